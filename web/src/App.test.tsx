// @vitest-environment jsdom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MetaResponse, SessionResponse } from '../../src/http/api-types.js';
import { App } from './App.js';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean;
}
globalThis.IS_REACT_ACT_ENVIRONMENT = true;

const SESSION: SessionResponse = {
  user: { id: 'u1', email: 'ada@example.com', name: 'Ada Lovelace', role: 'viewer', createdAt: '2026-01-02T10:00:00Z' },
  organisation: { id: 'o1', name: 'Acme Robotics', createdAt: '2026-01-02T10:00:00Z' },
  csrfToken: 'csrf-1',
};

type Routes = Record<string, () => Response>;

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** Answers `METHOD /path` from the table; anything else is a test failure. */
function serve(routes: Routes) {
  const calls: string[] = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const key = `${init?.method ?? 'GET'} ${String(input)}`;
    calls.push(key);
    const route = routes[key];
    if (route === undefined) throw new Error(`unexpected request ${key}`);
    return route();
  });
  return calls;
}

let container: HTMLDivElement;
let root: Root;

async function render(path: string): Promise<void> {
  window.history.replaceState(null, '', path);
  await act(async () => root.render(<App />));
  // Let the start-up requests settle.
  for (let i = 0; i < 5; i++) await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
}

const meta = (overrides: Partial<MetaResponse> = {}) => () =>
  json(200, { version: '0.1.0', setupRequired: false, sandboxMode: false, sandbox: null, ...overrides });

beforeEach(() => {
  // jsdom does not implement scrolling; navigation scrolls to the top.
  vi.spyOn(window, 'scrollTo').mockImplementation(() => undefined);
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('App start-up', () => {
  it('shows Create the first admin while setup is required, at /setup', async () => {
    serve({ 'GET /api/meta': meta({ setupRequired: true }) });
    await render('/rules');
    expect(container.querySelector('h1')?.textContent).toBe('Create the first admin');
    expect(window.location.pathname).toBe('/setup');
    expect(document.title).toBe('Create the first admin · Integration Hub');
  });

  it('shows Log in with the sandbox banner when logged out in sandbox mode', async () => {
    serve({
      'GET /api/meta': meta({ sandboxMode: true, sandbox: { pagerdutyUrl: 'http://localhost:4010', linearUrl: 'http://localhost:4020' } }),
      'GET /api/session': () => json(401, { error: { code: 'unauthenticated', message: 'Log in to continue.' } }),
    });
    await render('/activity');
    expect(container.querySelector('h1')?.textContent).toBe('Log in to Integration Hub');
    expect(window.location.pathname).toBe('/login');
    const banner = container.querySelector('[role="status"]');
    expect(banner?.textContent).toContain('Sandbox mode');
    expect(banner?.textContent).toContain('not the real services');
  });

  it('shows the tab for the address when logged in, with the tab marked current', async () => {
    serve({
      'GET /api/meta': meta(),
      'GET /api/session': () => json(200, SESSION),
      'GET /api/webhooks': () =>
        json(200, { linear: { blockedBy: null, teams: [], teamsError: null }, pagerduty: { subscriptions: [] } }),
    });
    await render('/webhooks');
    expect(container.querySelector('h1')?.textContent).toBe('Webhooks');
    expect(container.querySelector('[aria-current="page"]')?.textContent).toBe('Webhooks');
    expect(container.querySelector('.sandbox-banner')).toBeNull();
  });

  it('says so when the hub cannot be reached, and retries', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('fetch failed');
    });
    await render('/');
    expect(container.querySelector('[role="alert"]')?.textContent).toContain('Could not reach the hub');

    serve({ 'GET /api/meta': meta({ setupRequired: true }) });
    const retry = [...container.querySelectorAll('button')].find((button) => button.textContent === 'Try again');
    await act(async () => retry?.click());
    await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(container.querySelector('h1')?.textContent).toBe('Create the first admin');
  });
});

describe('user menu', () => {
  it('opens with the account details, closes on Escape and gives focus back', async () => {
    serve({ 'GET /api/meta': meta(), 'GET /api/session': () => json(200, SESSION) });
    await render('/connections');
    const button = container.querySelector<HTMLButtonElement>('button[aria-haspopup]');
    expect(button?.textContent).toContain('Ada Lovelace');
    expect(button?.getAttribute('aria-expanded')).toBe('false');

    await act(async () => button?.click());
    expect(button?.getAttribute('aria-expanded')).toBe('true');
    const panel = container.querySelector('[role="dialog"]');
    expect(panel?.textContent).toContain('ada@example.com');
    expect(panel?.textContent).toContain('Viewer');
    expect(panel?.textContent).toContain('Acme Robotics');
    expect(document.activeElement?.textContent).toBe('Log out');

    await act(async () => {
      document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(button?.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(button);
  });
});

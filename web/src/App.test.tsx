// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { MetaResponse } from '../../src/api/index.js';
import { json, META, serve, session } from './test-support/api-stub.js';
import { field, fill } from './test-support/forms.js';
import { container, render, setUpAppInEachTest } from './test-support/render-app.js';

const SESSION = session('viewer');

const meta = (overrides: Partial<MetaResponse> = {}) => () => json(200, { ...META, ...overrides });

setUpAppInEachTest();

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
    expect(document.activeElement?.textContent).toBe('Change password');

    await act(async () => {
      document.activeElement?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(button?.getAttribute('aria-expanded')).toBe('false');
    expect(document.activeElement).toBe(button);
  });
});

describe('logging in from a deep address', () => {
  it('comes back to a page inside a tab (a rule), not to the first tab', async () => {
    let loggedIn = false;
    serve({
      'GET /api/meta': meta(),
      'GET /api/session': () => (loggedIn ? json(200, SESSION) : json(401, { error: { code: 'unauthenticated', message: 'Log in to continue.' } })),
      'POST /api/session': () => {
        loggedIn = true;
        return json(200, SESSION);
      },
      'GET /api/rules/rul_1': () => json(404, { error: { code: 'rule_not_found', message: 'No such rule.' } }),
      'GET /api/rules': () => json(200, { checklist: { pagerdutyConnected: true, linearConnected: true, teamWebhooks: [] }, blockedBy: null, rules: [] }),
    });
    await render('/rules/rul_1');
    expect(window.location.pathname).toBe('/login');
    await fill(field(container, 'Email'), 'ada@example.com');
    await fill(field(container, 'Password'), 'a long enough password');
    const logIn = [...container.querySelectorAll('button')].find((button) => button.textContent === 'Log in');
    await act(async () => logIn?.click());
    await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
    expect(window.location.pathname).toBe('/rules/rul_1');
  });
});

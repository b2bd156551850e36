// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { ConnectionView, MetaResponse, ServiceView } from '../../../../src/api/index.js';
import { json, loggedIn, META, serve, type Routes } from '../../test-support/api-stub.js';
import { openAndCancelConfirmStep } from '../../test-support/confirm-step.js';
import { container, render, settle, setUpAppInEachTest } from '../../test-support/render-app.js';
import { browser } from './browser.js';

const SANDBOX_META: MetaResponse = {
  ...META,
  sandboxMode: true,
  sandbox: { pagerdutyUrl: 'http://localhost:4010', linearUrl: 'http://localhost:4020' },
};

function connection(provider: 'pagerduty' | 'linear', overrides: Partial<ConnectionView> = {}): ConnectionView {
  return {
    provider,
    status: 'not_connected',
    statusReason: null,
    mode: 'sandbox',
    connectBlockedBy: null,
    account: null,
    connectedAs: null,
    connectedBy: null,
    connectedAt: null,
    scopes: [],
    requestedScopes: provider === 'linear' ? ['read', 'write', 'admin'] : ['services.read', 'services.write'],
    ...overrides,
  };
}

const PAGERDUTY_CONNECTED = connection('pagerduty', {
  status: 'connected',
  account: { id: 'PACC', name: 'Acme Robotics', subdomain: 'acme', region: 'eu', url: null },
  connectedAs: { id: 'PUSR', name: 'Pat Manager', email: 'pat@acme.example', role: 'manager' },
  connectedBy: { userId: 'u1', email: 'ada@example.com' },
  connectedAt: '2026-03-04T10:00:00Z',
  scopes: ['services.read', 'services.write'],
});

const LINEAR_BLOCKED = connection('linear', {
  connectBlockedBy: { code: 'pagerduty_not_connected', message: 'Connect PagerDuty first: rules page a PagerDuty service.' },
});

function baseRoutes(role: 'admin' | 'viewer', connections: ConnectionView[]): Routes {
  return {
    ...loggedIn(role, SANDBOX_META),
    'GET /api/connections': () => json(200, { connections }),
  };
}

function card(name: string): HTMLElement {
  const heading = [...container.querySelectorAll('h2')].find((element) => element.textContent === name);
  const section = heading?.closest('section');
  if (section === null || section === undefined) throw new Error(`no ${name} card`);
  return section;
}

function button(scope: HTMLElement, text: string): HTMLButtonElement | undefined {
  return [...scope.querySelectorAll('button')].find((element) => element.textContent === text);
}

setUpAppInEachTest();

describe('Connections tab', () => {
  it('shows viewers no Connect button, only who can connect', async () => {
    serve(baseRoutes('viewer', [connection('pagerduty'), LINEAR_BLOCKED]));
    await render('/connections');
    const pagerduty = card('PagerDuty');
    expect(pagerduty.querySelector('button')).toBeNull();
    expect(pagerduty.textContent).toContain('An admin of this organisation must connect PagerDuty.');
    expect(pagerduty.textContent).toContain('Not connected');
    expect(card('Linear').querySelector('button')).toBeNull();
    expect(container.textContent).toContain('Connect PagerDuty and Linear to start syncing');
  });

  it('disables Connect Linear with the hub’s reason while PagerDuty is not connected', async () => {
    serve(baseRoutes('admin', [connection('pagerduty'), LINEAR_BLOCKED]));
    await render('/connections');
    const linear = card('Linear');
    const connect = button(linear, 'Connect Linear');
    expect(connect?.disabled).toBe(true);
    const reason = document.getElementById(connect?.getAttribute('aria-describedby') ?? '');
    expect(reason?.textContent).toBe('Connect PagerDuty first: rules page a PagerDuty service.');
    expect(linear.textContent).toContain('admin scope');
    expect(button(card('PagerDuty'), 'Connect PagerDuty')?.disabled).toBe(false);
  });

  it('shows a failed attempt on its card and removes it from the address', async () => {
    serve({
      ...baseRoutes('admin', [PAGERDUTY_CONNECTED, connection('linear')]),
      'GET /api/connections/pagerduty/services': () => json(200, { services: [], loadedAt: '2026-03-04T10:00:00Z' }),
      'GET /api/connections/attempts/att_1': () =>
        json(200, {
          attempt: {
            id: 'att_1',
            provider: 'linear',
            outcome: 'failed',
            code: 'insufficient_role',
            message: 'Your Linear role is Guest. Ask a workspace admin to connect Linear.',
            createdAt: '2026-03-04T10:00:00Z',
            finishedAt: '2026-03-04T10:01:00Z',
          },
        }),
    });
    await render('/connections?attempt=att_1');
    const alert = card('Linear').querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('Your Linear role is Guest. Ask a workspace admin to connect Linear.');
    expect(card('PagerDuty').querySelector('[role="alert"]')).toBeNull();
    expect(window.location.pathname + window.location.search).toBe('/connections');
    // One connection exists: no getting-started empty state.
    expect(container.querySelector('.empty-state')).toBeNull();
  });

  it('explains a return without an attempt (the session had ended) on that provider’s card', async () => {
    serve(baseRoutes('admin', [connection('pagerduty'), LINEAR_BLOCKED]));
    await render('/connections?provider=linear&error=session_required');
    expect(card('Linear').querySelector('[role="alert"]')?.textContent).toContain('Your hub session ended before Linear sent you back');
    expect(window.location.search).toBe('');
  });

  it('lists every service with a count and says so when there are none after a refresh', async () => {
    const services: ServiceView[] = Array.from({ length: 32 }, (_, index) => ({
      id: `PS${index}`,
      name: `Service ${index}`,
      status: 'active',
      url: null,
    }));
    const routes: Routes = {
      ...baseRoutes('admin', [PAGERDUTY_CONNECTED, connection('linear')]),
      'GET /api/connections/pagerduty/services': () => json(200, { services, loadedAt: '2026-03-04T10:00:00Z' }),
    };
    serve(routes);
    await render('/connections');
    const pagerduty = card('PagerDuty');
    expect(pagerduty.textContent).toContain('Connected as Pat Manager (pat@acme.example)');
    expect(pagerduty.textContent).toContain('region EU');
    expect(pagerduty.querySelector('.resource-count')?.textContent).toBe('32 services');
    expect(pagerduty.querySelectorAll('.resource-list li')).toHaveLength(32);

    routes['GET /api/connections/pagerduty/services'] = () => json(200, { services: [], loadedAt: '2026-03-04T10:05:00Z' });
    await act(async () => button(pagerduty, 'Refresh services')?.click());
    await settle();
    expect(pagerduty.textContent).toContain('No services in this PagerDuty account yet');
  });

  it('reloads the connections when the services answer that the connection was lost', async () => {
    let connections = [PAGERDUTY_CONNECTED, connection('linear')];
    serve({
      ...loggedIn('admin', SANDBOX_META),
      'GET /api/connections': () => json(200, { connections }),
      'GET /api/connections/pagerduty/services': () => {
        connections = [
          {
            ...PAGERDUTY_CONNECTED,
            status: 'disconnected',
            statusReason: { code: 'access_revoked', message: 'Access was revoked in PagerDuty. Reconnect PagerDuty.', at: '2026-03-05T09:00:00Z' },
          },
          connection('linear'),
        ];
        return json(409, { error: { code: 'connection_disconnected', message: 'The PagerDuty connection stopped working.' } });
      },
    });
    await render('/connections');
    const pagerduty = card('PagerDuty');
    expect(pagerduty.textContent).toContain('Disconnected');
    expect(pagerduty.textContent).toContain('Access was revoked in PagerDuty. Reconnect PagerDuty.');
    expect(button(pagerduty, 'Reconnect PagerDuty')).toBeDefined();
  });

  it('starts OAuth with a CSRF-protected POST and leaves for the provider', async () => {
    const leave = vi.spyOn(browser, 'leaveFor').mockImplementation(() => undefined);
    const calls = serve({
      ...baseRoutes('admin', [connection('pagerduty'), LINEAR_BLOCKED]),
      'POST /api/connections/pagerduty/authorize': () =>
        json(200, { authorizationUrl: 'http://localhost:4010/oauth/authorize?state=s1', attemptId: 'att_2' }),
    });
    await render('/connections');
    await act(async () => button(card('PagerDuty'), 'Connect PagerDuty')?.click());
    await settle();
    const post = calls.find((call) => call.key === 'POST /api/connections/pagerduty/authorize');
    expect(post?.init?.body).toBe('{}');
    expect(post?.init?.headers).toMatchObject({ 'x-csrf-token': 'csrf-1' });
    expect(leave).toHaveBeenCalledWith('http://localhost:4010/oauth/authorize?state=s1');
  });

  it('asks before disconnecting and reports what was cleaned up', async () => {
    let connections = [PAGERDUTY_CONNECTED, connection('linear')];
    serve({
      ...baseRoutes('admin', connections),
      'GET /api/connections': () => json(200, { connections }),
      'GET /api/connections/pagerduty/services': () => json(200, { services: [], loadedAt: '2026-03-04T10:00:00Z' }),
      'DELETE /api/connections/pagerduty': () => {
        connections = [connection('pagerduty'), LINEAR_BLOCKED];
        return json(200, {
          connection: connection('pagerduty'),
          report: { revocation: 'not_supported', webhooksDeleted: 3, problems: ['Webhook subscription PX1 could not be deleted.'] },
        });
      },
    });
    await render('/connections');
    const pagerduty = card('PagerDuty');
    await openAndCancelConfirmStep(pagerduty, () => button(pagerduty, 'Disconnect'), 'Disconnect PagerDuty?');

    await act(async () => button(pagerduty, 'Disconnect')?.click());
    const confirm = pagerduty.querySelector<HTMLElement>('[role="group"]');
    await act(async () => (confirm === null ? undefined : button(confirm, 'Disconnect')?.click()));
    await settle();
    expect(pagerduty.querySelector('[role="status"].notice')?.textContent).toContain('Deleted the 3 webhooks the hub had created.');
    expect(pagerduty.querySelector('[role="alert"]')?.textContent).toContain('Webhook subscription PX1 could not be deleted.');
    expect(button(pagerduty, 'Connect PagerDuty')).toBeDefined();
    expect(card('Linear').textContent).toContain('Connect PagerDuty first');
  });
});

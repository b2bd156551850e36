// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import type { LinearWebhookView, PagerDutySubscriptionView, WebhooksResponse } from '../../../../src/api/index.js';
import { json, loggedIn, serve, type Routes } from '../../test-support/api-stub.js';
import { openAndCancelConfirmStep } from '../../test-support/confirm-step.js';
import { buttons, container, render, settle, setUpAppInEachTest } from '../../test-support/render-app.js';

const ENGINEERING = { id: 'team-eng', name: 'Engineering', key: 'ENG' };
const SUPPORT = { id: 'team-sup', name: 'Support', key: 'SUP' };

function linearWebhook(overrides: Partial<LinearWebhookView> = {}): LinearWebhookView {
  return {
    id: 'wh-eng',
    teamId: ENGINEERING.id,
    teamName: ENGINEERING.name,
    status: 'active',
    statusDetail: null,
    url: 'https://hub.example/webhooks/linear/wh-eng',
    lastDeliveryAt: null,
    lastCheckedAt: null,
    lastRepair: null,
    createdAt: '2026-03-04T10:00:00Z',
    createdBy: 'ada@example.com',
    ...overrides,
  };
}

function subscription(overrides: Partial<PagerDutySubscriptionView> = {}): PagerDutySubscriptionView {
  return {
    id: 'sub-1',
    serviceId: 'PSVC1',
    serviceName: 'Checkout API',
    status: 'active',
    statusDetail: null,
    url: 'https://hub.example/webhooks/pagerduty/sub-1',
    lastDeliveryAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    lastCheckedAt: null,
    lastRepair: null,
    createdAt: '2026-03-04T10:00:00Z',
    rules: [{ id: 'rul-1', name: 'Urgent checkout' }],
    ...overrides,
  };
}

function webhooks(overrides: { linear?: Partial<WebhooksResponse['linear']>; subscriptions?: PagerDutySubscriptionView[] } = {}): WebhooksResponse {
  return {
    linear: {
      blockedBy: null,
      teams: [
        { team: ENGINEERING, webhook: linearWebhook() },
        { team: SUPPORT, webhook: null },
      ],
      teamsError: null,
      ...overrides.linear,
    },
    pagerduty: { subscriptions: overrides.subscriptions ?? [] },
  };
}

function baseRoutes(role: 'admin' | 'viewer', answer: () => WebhooksResponse): Routes {
  return {
    ...loggedIn(role),
    'GET /api/webhooks': () => json(200, answer()),
  };
}

function section(title: string): HTMLElement {
  const heading = [...container.querySelectorAll('h2')].find((element) => element.textContent === title);
  const found = heading?.closest('section');
  if (found === null || found === undefined) throw new Error(`no ${title} section`);
  return found;
}

function row(name: string): HTMLElement {
  const heading = [...container.querySelectorAll('h3')].find((element) => element.textContent?.startsWith(name));
  const found = heading?.closest('li');
  if (found === null || found === undefined) throw new Error(`no ${name} row`);
  return found;
}

/** The first button whose visible words are `text`. */
function button(scope: HTMLElement, text: string): HTMLButtonElement | undefined {
  return buttons(scope, text)[0];
}

setUpAppInEachTest();

describe('Webhooks tab', () => {
  it('lists every team with its webhook’s status, URL and last delivery, and gives viewers no Create or Delete', async () => {
    serve(baseRoutes('viewer', () => webhooks({ subscriptions: [subscription()] })));
    await render('/webhooks');
    const linear = section('Linear team webhooks');
    expect(linear.textContent).toContain('one webhook per Linear team');
    expect(linear.textContent).toContain('Issue and Comment events');
    expect(linear.textContent).toContain('Only admins can create and delete webhooks.');

    const engineering = row('Engineering');
    expect(engineering.querySelector('.team-key')?.textContent).toBe('ENG');
    expect(engineering.querySelector('.status')?.textContent).toBe('Status: Active');
    expect(engineering.querySelector('code')?.textContent).toBe('https://hub.example/webhooks/linear/wh-eng');
    expect(engineering.textContent).toContain('Last delivery: none yet');
    expect(row('Support').querySelector('.status')?.textContent).toBe('Status: No webhook');

    expect(linear.querySelector('button')).toBeNull();
    const pagerduty = section('PagerDuty webhook subscriptions');
    expect(row('Checkout API').textContent).toContain('Last delivery: 5 minutes ago');
    expect(row('Checkout API').textContent).toContain('Used by rule: Urgent checkout');
    expect(pagerduty.querySelector('button')).toBeNull();
  });

  it('shows why creating and deleting are refused while Linear is not connected, and disables both', async () => {
    serve(
      baseRoutes('admin', () =>
        webhooks({
          linear: {
            blockedBy: { code: 'connection_disconnected', message: 'The Linear connection stopped working. Reconnect Linear.' },
            teams: [
              { team: ENGINEERING, webhook: linearWebhook({ status: 'unknown', statusDetail: 'Could not check: Linear is disconnected.' }) },
              { team: SUPPORT, webhook: null },
            ],
          },
        }),
      ),
    );
    await render('/webhooks');
    const linear = section('Linear team webhooks');
    expect(linear.textContent).toContain('The Linear connection stopped working. Reconnect Linear.');
    const create = button(row('Support'), 'Create webhook');
    const remove = button(row('Engineering'), 'Delete');
    expect(create?.disabled).toBe(true);
    expect(remove?.disabled).toBe(true);
    const reason = document.getElementById(create?.getAttribute('aria-describedby') ?? '');
    expect(reason?.textContent).toContain('The Linear connection stopped working.');
    expect(row('Engineering').textContent).toContain('Could not check: Linear is disconnected.');
    expect(row('Engineering').querySelector('.status')?.textContent).toBe('Status: Unknown');
  });

  it('says why the teams could not be loaded', async () => {
    serve(
      baseRoutes('admin', () =>
        webhooks({
          linear: {
            teams: [{ team: ENGINEERING, webhook: linearWebhook() }],
            teamsError: { code: 'provider_unavailable', message: 'Linear is not answering right now.' },
          },
        }),
      ),
    );
    await render('/webhooks');
    const alert = section('Linear team webhooks').querySelector('[role="alert"]');
    expect(alert?.textContent).toContain('Linear is not answering right now.');
    expect(alert?.textContent).toContain('Only the teams that already have a hub webhook are listed.');
  });

  it('creates a team’s webhook with a CSRF-protected POST of its team id', async () => {
    let answer = webhooks();
    const created = linearWebhook({ id: 'wh-sup', teamId: SUPPORT.id, teamName: SUPPORT.name, url: 'https://hub.example/webhooks/linear/wh-sup' });
    const calls = serve({
      ...baseRoutes('admin', () => answer),
      'POST /api/webhooks/linear': () => {
        answer = webhooks({ linear: { teams: [{ team: ENGINEERING, webhook: linearWebhook() }, { team: SUPPORT, webhook: created }] } });
        return json(201, { webhook: created });
      },
    });
    await render('/webhooks');
    await act(async () => button(row('Support'), 'Create webhook')?.click());
    await settle();

    const post = calls.find((call) => call.key === 'POST /api/webhooks/linear');
    expect(post?.init?.body).toBe(JSON.stringify({ teamId: SUPPORT.id }));
    expect(post?.init?.headers).toMatchObject({ 'x-csrf-token': 'csrf-1', 'content-type': 'application/json' });
    const support = row('Support');
    expect(support.querySelector('[role="status"].notice')?.textContent).toContain('Created the webhook for Support');
    expect(support.querySelector('.status')?.textContent).toBe('Status: Active');
    expect(button(support, 'Delete')).toBeDefined();
    expect(button(support, 'Create webhook')).toBeUndefined();
    expect(document.activeElement).toBe(support.querySelector('h3'));
  });

  it('shows the hub’s message when creating fails', async () => {
    serve({
      ...baseRoutes('admin', () => webhooks()),
      'POST /api/webhooks/linear': () =>
        json(502, { error: { code: 'provider_forbidden', message: 'Linear refused: only workspace admins can create webhooks.' } }),
    });
    await render('/webhooks');
    await act(async () => button(row('Support'), 'Create webhook')?.click());
    await settle();
    expect(row('Support').querySelector('[role="alert"]')?.textContent).toBe('Linear refused: only workspace admins can create webhooks.');
    expect(button(row('Support'), 'Create webhook')?.disabled).toBe(false);
  });

  it('asks before deleting a webhook, then deletes it', async () => {
    let answer = webhooks();
    const calls = serve({
      ...baseRoutes('admin', () => answer),
      'DELETE /api/webhooks/linear/wh-eng': () => {
        answer = webhooks({ linear: { teams: [{ team: ENGINEERING, webhook: null }, { team: SUPPORT, webhook: null }] } });
        return new Response(null, { status: 204 });
      },
    });
    await render('/webhooks');
    const engineering = row('Engineering');
    await openAndCancelConfirmStep(engineering, () => button(engineering, 'Delete'), 'Delete the webhook for Engineering?');
    expect(calls.some((call) => call.key.startsWith('DELETE'))).toBe(false);

    await act(async () => button(engineering, 'Delete')?.click());
    const confirm = engineering.querySelector<HTMLElement>('[role="group"]');
    await act(async () => (confirm === null ? undefined : button(confirm, 'Delete')?.click()));
    await settle();
    expect(calls.filter((call) => call.key === 'DELETE /api/webhooks/linear/wh-eng')).toHaveLength(1);
    expect(engineering.textContent).toContain('Deleted the webhook for Engineering.');
    expect(button(engineering, 'Create webhook')).toBeDefined();
  });

  it('offers Re-enable to admins on a temporarily disabled subscription only', async () => {
    let answer = webhooks({
      subscriptions: [
        subscription(),
        subscription({ id: 'sub-2', serviceName: 'Payments', status: 'temporarily_disabled', statusDetail: 'Disabled after 3 failed deliveries.' }),
      ],
    });
    const calls = serve({
      ...baseRoutes('admin', () => answer),
      'POST /api/webhooks/pagerduty/sub-2/enable': () => {
        const enabled = subscription({ id: 'sub-2', serviceName: 'Payments' });
        answer = webhooks({ subscriptions: [subscription(), enabled] });
        return json(200, { subscription: enabled });
      },
    });
    await render('/webhooks');
    expect(button(row('Checkout API'), 'Re-enable')).toBeUndefined();
    const payments = row('Payments');
    expect(payments.querySelector('.status')?.textContent).toBe('Status: Needs attention');
    expect(payments.textContent).toContain('Disabled after 3 failed deliveries.');

    await act(async () => button(payments, 'Re-enable')?.click());
    await settle();
    const post = calls.find((call) => call.key === 'POST /api/webhooks/pagerduty/sub-2/enable');
    expect(post?.init?.body).toBe('{}');
    expect(payments.querySelector('.status')?.textContent).toBe('Status: Active');
    expect(button(payments, 'Re-enable')).toBeUndefined();
    expect(payments.textContent).toContain('Re-enabled');
  });

  it('explains the PagerDuty subscriptions before there are any, and reloads on Refresh', async () => {
    let answer = webhooks();
    const calls = serve(baseRoutes('viewer', () => answer));
    await render('/webhooks');
    expect(section('PagerDuty webhook subscriptions').textContent).toContain(
      'The hub creates one subscription per PagerDuty service when a rule targets it.',
    );

    answer = webhooks({ subscriptions: [subscription()] });
    await act(async () => button(container, 'Refresh')?.click());
    await settle();
    expect(calls.filter((call) => call.key === 'GET /api/webhooks')).toHaveLength(2);
    expect(row('Checkout API').querySelector('.status')?.textContent).toBe('Status: Active');
  });

  it('shows when each webhook was last checked and what the hub last repaired', async () => {
    const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
    serve(
      baseRoutes('viewer', () =>
        webhooks({
          linear: {
            teams: [
              {
                team: ENGINEERING,
                webhook: linearWebhook({
                  lastCheckedAt: minutesAgo(1),
                  lastRepair: { at: minutesAgo(2), what: 'Re-created at Linear (it was deleted there)' },
                }),
              },
              { team: SUPPORT, webhook: null },
            ],
          },
          subscriptions: [subscription()],
        }),
      ),
    );
    await render('/webhooks');
    const engineering = row('Engineering');
    expect(engineering.querySelector('.webhook-check')?.textContent).toBe(
      'Last checked: 1 minute ago · Re-created at Linear (it was deleted there) 2 minutes ago',
    );
    expect(row('Checkout API').querySelector('.webhook-check')?.textContent).toBe('Last checked: not yet');
  });

  it('an admin’s Refresh checks and repairs now (POST /api/webhooks/refresh) and says what it did', async () => {
    let repaired = false;
    const calls = serve({
      ...baseRoutes('admin', () => webhooks()),
      'POST /api/webhooks/refresh': () => {
        repaired = true;
        return json(200, {
          ...webhooks({
            linear: {
              teams: [
                {
                  team: ENGINEERING,
                  webhook: linearWebhook({ id: 'wh-new', lastCheckedAt: new Date().toISOString(), lastRepair: { at: new Date().toISOString(), what: 'Re-created at Linear (it was deleted there)' } }),
                },
                { team: SUPPORT, webhook: null },
              ],
            },
          }),
          repair: [
            { provider: 'pagerduty', skipped: 'PagerDuty is Disconnected: its subscriptions were not checked. Reconnect it on the Connections tab.', repaired: [], problems: [] },
            { provider: 'linear', skipped: null, repaired: ['Engineering: Re-created at Linear (it was deleted there).'], problems: [] },
          ],
        });
      },
    });
    await render('/webhooks');
    expect(repaired).toBe(false);
    await act(async () => button(container, 'Refresh')?.click());
    await settle();
    const post = calls.find((call) => call.key === 'POST /api/webhooks/refresh');
    expect(post?.init?.headers).toMatchObject({ 'x-csrf-token': 'csrf-1' });
    const summary = container.querySelector('.repair-summary');
    expect([...(summary?.querySelectorAll('li') ?? [])].map((item) => item.textContent)).toEqual([
      'PagerDuty is Disconnected: its subscriptions were not checked. Reconnect it on the Connections tab.',
      'Engineering: Re-created at Linear (it was deleted there).',
    ]);
    expect(row('Engineering').querySelector('.webhook-repair')?.textContent).toContain('Re-created at Linear');
  });

  it('a viewer’s Refresh only reloads the stored statuses (no repair call)', async () => {
    const calls = serve(baseRoutes('viewer', () => webhooks()));
    await render('/webhooks');
    await act(async () => button(container, 'Refresh')?.click());
    await settle();
    expect(calls.filter((call) => call.key === 'GET /api/webhooks')).toHaveLength(2);
    expect(calls.some((call) => call.key === 'POST /api/webhooks/refresh')).toBe(false);
    expect(container.querySelector('.repair-summary')).toBeNull();
  });
});

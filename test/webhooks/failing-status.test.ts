import { afterAll, beforeAll, expect, test } from 'vitest';
import type { WebhooksResponse } from '../../src/http/api-types.js';
import { client, setupFirstAdmin, type HubClient } from '../helpers/client.js';
import { connectProvider, startHubWithSandbox, type HubWithSandbox } from '../helpers/connections.js';

/**
 * "Failing": Linear says the webhook is active, but the hub refused what arrived (here: the
 * stand-in signs with a stale timestamp, like a host whose clock is off). The Webhooks tab says
 * so with the reason, and an accepted delivery clears it.
 */
let env: HubWithSandbox;
let admin: HubClient;
beforeAll(async () => {
  env = await startHubWithSandbox('sqlite', { CONNECTION_CHECK_INTERVAL_SECONDS: '0' });
  admin = client(env.hub);
  await setupFirstAdmin(admin);
  await connectProvider(admin, 'pagerduty');
  await connectProvider(admin, 'linear');
});
afterAll(async () => env?.close());

const engineeringWebhook = async () =>
  (await admin.get<WebhooksResponse>('/api/webhooks')).body.linear.teams.find((row) => row.team.key === 'ENG')!;

async function createIssue(teamId: string, title: string): Promise<void> {
  const form = new URLSearchParams({ teamId, title });
  const response = await fetch(`${env.sandbox.linearUrl}/_sandbox/ui/issues`, { method: 'POST', body: form, redirect: 'manual' });
  expect(response.status).toBe(303);
}

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (const deadline = Date.now() + 5000; ; ) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('a webhook whose deliveries the hub refuses shows Failing with the reason, until one is accepted', async () => {
  const { team } = await engineeringWebhook();
  expect((await admin.post('/api/webhooks/linear', { teamId: team.id })).status).toBe(201);
  expect((await engineeringWebhook()).webhook?.status).toBe('active');

  await fetch(`${env.sandbox.linearUrl}/_sandbox/webhooks/stale-timestamps`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count: 1, ageMs: 120_000 }),
  });
  await createIssue(team.id, 'Refused: signed two minutes ago');
  const failing = await waitFor(engineeringWebhook, (row) => row.webhook?.status === 'failing');
  expect(failing.webhook).toMatchObject({ status: 'failing', lastDeliveryAt: null });
  expect(failing.webhook?.statusDetail).toMatch(/older \(or newer\) than 60 seconds/);

  await createIssue(team.id, 'Accepted');
  const healed = await waitFor(engineeringWebhook, (row) => row.webhook?.status === 'active');
  expect(healed.webhook?.status).toBe('active');
  expect(healed.webhook?.lastDeliveryAt).not.toBeNull();
});

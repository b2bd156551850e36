import { afterAll, beforeAll, expect, test } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { WebhooksResponse } from '../../src/api/index.js';
import { client, setupFirstAdmin, type HubClient } from '../helpers/client.js';
import { advanceSandboxClock, connectProvider, sandboxControl, startHubWithSandbox, type HubWithSandbox } from '../helpers/connections.js';

/**
 * "Failing": Linear says the webhook is active, but the hub keeps refusing what arrives (here:
 * the hub's clock runs 2 minutes ahead, so every signed timestamp looks stale). One refusal is
 * not enough — anyone can POST to a delivery URL — and writes nothing; a sustained pattern
 * (5 refusals over 5 minutes, none accepted) shows Failing with the reason, and an accepted
 * delivery clears it. The hub runs on a ManualClock; the stand-ins on real time.
 */
const clock = new ManualClock(Date.now());
let env: HubWithSandbox;
let admin: HubClient;
beforeAll(async () => {
  // The clock moves by minutes: webhook repair (which records each webhook's status) must not come due.
  env = await startHubWithSandbox('sqlite', { CONNECTION_CHECK_INTERVAL_SECONDS: '0', RECONCILE_INTERVAL_SECONDS: '86400' }, { clock });
  admin = client(env.hub);
  await setupFirstAdmin(admin);
  await connectProvider(admin, 'pagerduty');
  await connectProvider(admin, 'linear');
});
afterAll(async () => env?.close());

const engineeringWebhook = async () =>
  (await admin.get<WebhooksResponse>('/api/webhooks')).body.linear.teams.find((row) => row.team.key === 'ENG')!;
/** What the intake records about refusals (the tab's own status checks update the rest of the row). */
const refusalRecord = (id: string) =>
  env.hub.database.db.selectFrom('webhook_endpoints').select(['last_refused_at', 'last_refusal', 'last_delivery_at']).where('id', '=', id).executeTakeFirstOrThrow();

/** Creates an issue in the stand-in and waits for its delivery's first attempt; its status. */
async function deliverIssue(teamId: string, title: string): Promise<number | undefined> {
  const form = new URLSearchParams({ teamId, title });
  const response = await fetch(`${env.sandbox.linearUrl}/_sandbox/ui/issues`, { method: 'POST', body: form, redirect: 'manual' });
  expect(response.status).toBe(303);
  for (const deadline = Date.now() + 5000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 25))) {
    const { deliveries } = await sandboxControl<{ deliveries: Array<{ status?: number; requestBody: string }> }>(env.sandbox.linearUrl, 'GET', '/_sandbox/deliveries');
    const attempt = deliveries.find((d) => d.requestBody.includes(JSON.stringify(title)) && d.status !== undefined);
    if (attempt !== undefined) return attempt.status;
  }
  throw new Error(`no delivery attempt for ${title}`);
}

test('one refused delivery changes nothing; refusals sustained over 5 minutes show Failing with the reason, until one is accepted', async () => {
  const { team } = await engineeringWebhook();
  const created = await admin.post<{ webhook: { id: string } }>('/api/webhooks/linear', { teamId: team.id });
  expect(created.status).toBe(201);
  expect((await engineeringWebhook()).webhook?.status).toBe('active');
  const id = created.body.webhook.id;

  clock.advance(120_000); // the hub's clock is now 2 minutes fast
  const before = await refusalRecord(id);
  expect(before).toEqual({ last_refused_at: null, last_refusal: null, last_delivery_at: null });
  expect(await deliverIssue(team.id, 'Refused 1')).toBe(401);
  expect(await refusalRecord(id)).toEqual(before); // nothing written
  expect((await engineeringWebhook()).webhook?.status).toBe('active');

  for (let n = 2; n <= 4; n++) {
    clock.advance(90_000);
    expect(await deliverIssue(team.id, `Refused ${n}`)).toBe(401);
  }
  expect(await refusalRecord(id)).toEqual(before); // 4 refusals over 4.5 minutes: not yet a pattern
  expect((await engineeringWebhook()).webhook?.status).toBe('active');

  clock.advance(90_000);
  expect(await deliverIssue(team.id, 'Refused 5')).toBe(401);
  const failing = await engineeringWebhook();
  expect(failing.webhook).toMatchObject({ status: 'failing', lastDeliveryAt: null });
  expect(failing.webhook?.statusDetail).toMatch(/5 requests refused since .*older \(or newer\) than 60 seconds/);

  // The clock is fixed (here: the stand-ins catch up with the hub) and the next delivery is accepted.
  await advanceSandboxClock(env.sandbox, clock.now() - Date.now());
  expect(await deliverIssue(team.id, 'Accepted')).toBe(200);
  const healed = await engineeringWebhook();
  expect(healed.webhook?.status).toBe('active');
  expect(healed.webhook?.lastDeliveryAt).not.toBeNull();
});

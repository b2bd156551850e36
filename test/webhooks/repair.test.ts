import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPS } from '../../sandbox/linear/operations.js';
import type { WebhooksRefreshResponse } from '../../src/api/index.js';
import { insertRule } from '../../src/rules/rules-repository.js';
import { CREATING_GRACE_MS } from '../../src/webhooks/repair-webhooks.js';
import { client, createUser, login, type HubClient } from '../helpers/client.js';
import { connectProvider, sandboxControl } from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';
import { connectionOf } from '../connections/fixture.js';
import { newRule } from '../rules/fixture.js';
import {
  actOnIncidentPage,
  CHECKOUT,
  createIssueInLinear,
  createTeamWebhook,
  deliveryWhere,
  ENG_TEAM,
  ensureCheckoutSubscription,
  linearGraphql,
  pagerdutyRest,
  signingSecret,
  startConnectedHub,
  triggerIncidentOnPage,
  webhooksOf,
  type ConnectedHub,
} from './fixture.js';

interface StandInWebhook {
  id: string;
  url: string;
  teamId: string | null;
  enabled: boolean;
  secret: string;
}

/**
 * Webhook repair (src/webhooks/repair-webhooks.ts) through POST /api/webhooks/refresh, against
 * the stand-ins: what was deleted, disabled or orphaned at Linear and PagerDuty is put right,
 * deliveries flow again, and a second pass changes nothing.
 */
describe.each(testDialects())('webhook repair on %s', (dialect) => {
  let env: ConnectedHub;
  let viewer: HubClient;
  const admin = () => env.org.admin;
  const orgId = () => env.org.organisationId;
  const db = () => env.hub.database.db;
  const standInWebhooks = async () =>
    (await sandboxControl<{ webhooks: StandInWebhook[] }>(env.sandbox.linearUrl, 'GET', '/_sandbox/webhooks')).webhooks;
  const standInSubscriptions = async () =>
    (await pagerdutyRest<{ webhook_subscriptions: any[] }>(env.sandbox.pagerdutyUrl, 'GET', '/webhook_subscriptions')).body.webhook_subscriptions;
  const endpointRows = () => db().selectFrom('webhook_endpoints').selectAll().where('organisation_id', '=', orgId()).orderBy('provider').execute();
  const refresh = async (): Promise<WebhooksRefreshResponse> => {
    const answer = await admin().post<WebhooksRefreshResponse>('/api/webhooks/refresh');
    expect(answer.status, answer.text).toBe(200);
    return answer.body;
  };
  const repairedOf = (answer: WebhooksRefreshResponse, provider: 'linear' | 'pagerduty') => answer.repair.find((one) => one.provider === provider)!;
  const engWebhook = (answer: { linear: WebhooksRefreshResponse['linear'] }) => answer.linear.teams.find((row) => row.team.id === ENG_TEAM)?.webhook;
  /** A second pass: nothing repaired, the same rows and the same webhooks at the stand-ins. */
  const expectSecondPassChangesNothing = async () => {
    const rows = (await endpointRows()).map((row) => [row.id, row.external_id, row.status, row.last_repair_at]);
    const linear = await standInWebhooks();
    const pagerduty = await standInSubscriptions();
    await new Promise((resolve) => setTimeout(resolve, 5)); // the test's own reads above stay before `since`
    const since = Date.now();
    const again = await refresh();
    // One listing per provider and no write; besides, Linear's teams are read for the list the answer carries.
    const calls = async (url: string) =>
      (await sandboxControl<{ requests: Array<{ method: string; path: string; body?: { query?: string } }> }>(url, 'GET', `/_sandbox/requests?since=${since}`)).requests
        .filter((r) => !r.path.startsWith('/oauth'))
        .map((r) => `${r.method} ${r.path}${r.body?.query === undefined ? '' : ` ${/^\s*(query|mutation)\s+\w+/.exec(r.body.query)?.[0] ?? '?'}`}`);
    expect(await calls(env.sandbox.pagerdutyUrl)).toEqual(['GET /webhook_subscriptions']);
    expect((await calls(env.sandbox.linearUrl)).sort()).toEqual(['POST /graphql query HubWebhooks', 'POST /graphql query HubTeams'].sort());
    expect(again.repair.map((one) => [one.provider, one.skipped, one.repaired, one.problems])).toEqual([
      ['pagerduty', null, [], []],
      ['linear', null, [], []],
    ]);
    expect((await endpointRows()).map((row) => [row.id, row.external_id, row.status, row.last_repair_at])).toEqual(rows);
    expect(await standInWebhooks()).toEqual(linear);
    expect(await standInSubscriptions()).toEqual(pagerduty);
  };

  beforeAll(async () => {
    env = await startConnectedHub(dialect);
    await createUser(admin(), { email: 'viewer@acme.test', password: 'viewer password 1', role: 'viewer' });
    viewer = client(env.hub);
    await login(viewer, 'viewer@acme.test', 'viewer password 1');
  });
  afterAll(async () => env?.close());

  /** Every test starts connected, with no hub webhooks, no rules and nothing at the stand-ins. */
  beforeEach(async () => {
    for (const provider of ['pagerduty', 'linear'] as const) {
      if ((await connectionOf(admin(), provider)).status !== 'connected') {
        const { attempt } = await connectProvider(admin(), provider);
        expect(attempt?.outcome).toBe('succeeded');
      }
    }
    for (const row of await endpointRows()) {
      if (row.provider === 'linear') await admin().delete(`/api/webhooks/linear/${row.id}`);
      else await env.hub.hub.deps.webhooks.releaseEndpoint(orgId(), 'pagerduty', row.scope_id);
    }
    for (const webhook of await standInWebhooks()) await linearGraphql(env.sandbox.linearUrl, OPS.Unhook, { id: webhook.id });
    for (const sub of await standInSubscriptions()) await pagerdutyRest(env.sandbox.pagerdutyUrl, 'DELETE', `/webhook_subscriptions/${sub.id}`);
    await db().deleteFrom('rule_history').where('organisation_id', '=', orgId()).execute();
    await db().deleteFrom('rules').where('organisation_id', '=', orgId()).execute();
    await sandboxControl(env.sandbox.pagerdutyUrl, 'DELETE', '/_sandbox/faults');
  });

  it('Refresh is for admins: a viewer gets 403 and nothing is checked', async () => {
    await createTeamWebhook(admin());
    const before = await endpointRows();
    const answer = await viewer.post('/api/webhooks/refresh');
    expect(answer.status).toBe(403);
    expect(answer.body.error.code).toBe('forbidden');
    expect(await endpointRows()).toEqual(before);
  });

  it('a Linear team webhook deleted at Linear → re-created with a new URL and secret (stored first); deliveries flow again; a second pass changes nothing', async () => {
    const hook = await createTeamWebhook(admin());
    const [before] = await standInWebhooks();
    expect((await linearGraphql(env.sandbox.linearUrl, OPS.Unhook, { id: before!.id })).body.errors).toBeUndefined();

    const answer = await refresh();
    expect(repairedOf(answer, 'linear')).toEqual({
      provider: 'linear',
      skipped: null,
      repaired: ['Engineering: Re-created at Linear (it was deleted there).'],
      problems: [],
    });
    const webhook = engWebhook(answer)!;
    expect(webhook.id).not.toBe(hook.id);
    expect(webhook).toMatchObject({ status: 'active', createdBy: env.org.email, lastRepair: { what: 'Re-created at Linear (it was deleted there)' } });
    expect(webhook.lastCheckedAt).not.toBeNull();
    const [after] = await standInWebhooks();
    expect(after).toMatchObject({ teamId: ENG_TEAM, enabled: true, url: webhook.url });
    expect(await signingSecret(env.hub, orgId(), webhook.id)).toBe(after!.secret);
    expect(after!.secret).not.toBe(before!.secret);
    expect(await signingSecret(env.hub, orgId(), hook.id)).toBeUndefined();
    // GET /api/webhooks shows the same stored facts.
    expect(engWebhook(await webhooksOf(viewer))).toEqual(webhook);

    const issue = await createIssueInLinear(env.sandbox.linearUrl, 'After the repair');
    await deliveryWhere(admin(), 'the delivery through the re-created webhook', (d) => d.entity.id === issue.id && d.outcome === 'processed');
    await expectSecondPassChangesNothing();
  });

  it('a Linear team webhook disabled at Linear → re-enabled there; deliveries flow; a second pass changes nothing', async () => {
    const hook = await createTeamWebhook(admin());
    const [remote] = await standInWebhooks();
    await linearGraphql(env.sandbox.linearUrl, OPS.WebhookUpdate, { id: remote!.id, input: { enabled: false } });

    const answer = await refresh();
    expect(repairedOf(answer, 'linear').repaired).toEqual(['Engineering: Re-enabled at Linear (it was disabled).']);
    expect(engWebhook(answer)).toMatchObject({ id: hook.id, status: 'active', statusDetail: null, lastRepair: { what: 'Re-enabled at Linear (it was disabled)' } });
    expect(await standInWebhooks()).toEqual([expect.objectContaining({ id: remote!.id, enabled: true })]);
    const issue = await createIssueInLinear(env.sandbox.linearUrl, 'After re-enabling');
    await deliveryWhere(admin(), 'the delivery after re-enabling', (d) => d.entity.id === issue.id && d.outcome === 'processed');
    await expectSecondPassChangesNothing();
  });

  it('a PagerDuty subscription temporarily disabled (three refused deliveries) → re-enabled; deliveries flow; a second pass changes nothing', async () => {
    const row = await ensureCheckoutSubscription(env);
    await sandboxControl(env.sandbox.pagerdutyUrl, 'POST', '/_sandbox/faults', { deliveries: [{ kind: 'bad_signature', count: 3 }] });
    const incidentId = await triggerIncidentOnPage(env.sandbox.pagerdutyUrl, 'Refused three times');
    await actOnIncidentPage(env.sandbox.pagerdutyUrl, incidentId, 'acknowledge');
    await actOnIncidentPage(env.sandbox.pagerdutyUrl, incidentId, 'resolve');
    await sandboxControl(env.sandbox.pagerdutyUrl, 'GET', `/_sandbox/deliveries?subscriptionId=${row.externalId}&waitIdleMs=5000`);
    expect((await standInSubscriptions())[0].delivery_method.temporarily_disabled).toBe(true);

    const answer = await refresh();
    expect(repairedOf(answer, 'pagerduty').repaired).toEqual(['Checkout API: Re-enabled at PagerDuty (it was temporarily disabled).']);
    expect(answer.pagerduty.subscriptions).toEqual([
      expect.objectContaining({ id: row.id, status: 'active', lastRepair: expect.objectContaining({ what: 'Re-enabled at PagerDuty (it was temporarily disabled)' }) }),
    ]);
    expect((await standInSubscriptions())[0].delivery_method.temporarily_disabled).toBe(false);
    const next = await triggerIncidentOnPage(env.sandbox.pagerdutyUrl, 'Delivered after the repair');
    await deliveryWhere(admin(), 'the delivery after the repair', (d) => d.entity.id === next && d.outcome === 'processed');
    await expectSecondPassChangesNothing();
  });

  it('a PagerDuty subscription turned off (active: false) → turned on again', async () => {
    const row = await ensureCheckoutSubscription(env);
    const off = await pagerdutyRest(env.sandbox.pagerdutyUrl, 'PUT', `/webhook_subscriptions/${row.externalId}`, { webhook_subscription: { active: false } });
    expect(off.status).toBe(200);
    const answer = await refresh();
    expect(repairedOf(answer, 'pagerduty').repaired).toEqual(['Checkout API: Re-enabled at PagerDuty (it was disabled).']);
    expect((await standInSubscriptions())[0]).toMatchObject({ id: row.externalId, active: true });
    await expectSecondPassChangesNothing();
  });

  it('a PagerDuty subscription deleted while a rule needs the service → re-created, its new secret stored before use; deliveries flow', async () => {
    const row = await ensureCheckoutSubscription(env);
    await insertRule(db(), { ...newRule(orgId(), 10, Date.now()), routing: { serviceId: CHECKOUT.id, urgency: 'from_priority', pagerdutyPriorityId: null } });
    expect((await pagerdutyRest(env.sandbox.pagerdutyUrl, 'DELETE', `/webhook_subscriptions/${row.externalId}`)).status).toBe(204);

    const answer = await refresh();
    expect(repairedOf(answer, 'pagerduty').repaired).toEqual(['Checkout API: Re-created at PagerDuty (it was deleted there).']);
    const [sub] = answer.pagerduty.subscriptions;
    expect(sub).toMatchObject({ serviceId: CHECKOUT.id, status: 'active', rules: [expect.objectContaining({ name: 'Urgent engineering' })] });
    expect(sub!.id).not.toBe(row.id);
    const remote = await standInSubscriptions();
    expect(remote).toHaveLength(1);
    expect(remote[0].delivery_method.url).toBe(sub!.url);
    expect(await signingSecret(env.hub, orgId(), sub!.id)).toBe(env.sandbox.pagerduty.state.subscriptions.get(remote[0].id)!.secret);
    const incident = await triggerIncidentOnPage(env.sandbox.pagerdutyUrl, 'Delivered to the re-created subscription');
    await deliveryWhere(admin(), 'the delivery to the re-created subscription', (d) => d.entity.id === incident && d.outcome === 'processed');
    await expectSecondPassChangesNothing();
  });

  it('a PagerDuty subscription deleted that nothing needs any more → its record is dropped, nothing is made', async () => {
    const row = await ensureCheckoutSubscription(env);
    await pagerdutyRest(env.sandbox.pagerdutyUrl, 'DELETE', `/webhook_subscriptions/${row.externalId}`);
    const answer = await refresh();
    expect(repairedOf(answer, 'pagerduty').repaired).toEqual([
      'Dropped the record of the subscription of Checkout API: deleted at PagerDuty, and no rule or open link needs it.',
    ]);
    expect(answer.pagerduty.subscriptions).toEqual([]);
    expect(await standInSubscriptions()).toEqual([]);
    expect(await signingSecret(env.hub, orgId(), row.id)).toBeUndefined();
    await expectSecondPassChangesNothing();
  });

  it('an orphan at Linear whose create answer was lost (record `creating`, secret stored) → adopted; deliveries verify with the stored secret', async () => {
    // What createEndpoint leaves when the answer to webhookCreate is lost: the row `creating`
    // (no external id) with its secret, and the webhook at Linear; past the grace period.
    const endpoint = await createTeamWebhook(admin());
    await db().updateTable('webhook_endpoints').set({ external_id: null, status: 'creating', status_checked_at: null, created_at: Date.now() - CREATING_GRACE_MS - 1000 }).where('id', '=', endpoint.id).execute();

    const answer = await refresh();
    expect(repairedOf(answer, 'linear').repaired).toEqual(['Engineering: Adopted at Linear (made there, but its create answer was lost).']);
    const [remote] = await standInWebhooks();
    expect(engWebhook(answer)).toMatchObject({ id: endpoint.id, status: 'active' });
    expect((await endpointRows())[0]).toMatchObject({ id: endpoint.id, external_id: remote!.id, status: 'active' });
    const issue = await createIssueInLinear(env.sandbox.linearUrl, 'Through the adopted webhook');
    await deliveryWhere(admin(), 'the delivery through the adopted webhook', (d) => d.entity.id === issue.id && d.outcome === 'processed');
    await expectSecondPassChangesNothing();
  });

  it('orphans the hub cannot adopt are removed at the vendor: an unknown endpoint id at Linear, a PagerDuty one whose secret was never stored; other URLs are left alone', async () => {
    const unknown = `${env.hub.url}/webhooks/linear/whk_unknown`;
    const foreign = 'https://elsewhere.example/webhooks/linear/whk_other';
    for (const url of [unknown, foreign]) {
      const made = await linearGraphql(env.sandbox.linearUrl, OPS.Hook, { url, teamId: ENG_TEAM, resourceTypes: ['Issue'], secret: 'x'.repeat(32) });
      expect(made.body.errors).toBeUndefined();
    }
    // PagerDuty: the row is `creating` but the secret (only in the lost create answer) is not in the vault.
    const row = await ensureCheckoutSubscription(env);
    await db().updateTable('webhook_endpoints').set({ external_id: null, status: 'creating', created_at: Date.now() - CREATING_GRACE_MS - 1000 }).where('id', '=', row.id).execute();
    await env.hub.hub.deps.vault.deleteOwner(db(), orgId(), 'webhook_endpoints', row.id);

    const answer = await refresh();
    expect(repairedOf(answer, 'linear').repaired).toEqual([expect.stringMatching(/^Removed an orphan webhook at Linear \(.+\): the hub has no record of it\.$/)]);
    expect((await standInWebhooks()).map((w) => w.url)).toEqual([foreign]);
    expect(repairedOf(answer, 'pagerduty').repaired).toEqual([
      `Removed an orphan subscription at PagerDuty (${row.externalId}): the hub has no record of it.`,
      'Dropped the record of the subscription of Checkout API: deleted at PagerDuty, and no rule or open link needs it.',
    ]);
    expect(await standInSubscriptions()).toEqual([]);
    expect(await endpointRows()).toEqual([]);
    await expectSecondPassChangesNothing();
    await linearGraphql(env.sandbox.linearUrl, OPS.Unhook, { id: (await standInWebhooks())[0]!.id });
  });

  it('a record still `creating` inside the grace period is left alone (its create may still answer)', async () => {
    const row = await ensureCheckoutSubscription(env);
    await db().updateTable('webhook_endpoints').set({ external_id: null, status: 'creating' }).where('id', '=', row.id).execute();
    const answer = await refresh();
    expect(repairedOf(answer, 'pagerduty')).toMatchObject({ repaired: [], problems: [] });
    expect((await standInSubscriptions()).map((sub) => sub.id)).toEqual([row.externalId]);
    expect((await endpointRows())[0]).toMatchObject({ id: row.id, status: 'creating' });
  });

  it('a Disconnected connection is skipped and said so; nothing changes there', async () => {
    const hook = await createTeamWebhook(admin());
    const [remote] = await standInWebhooks();
    await linearGraphql(env.sandbox.linearUrl, OPS.Unhook, { id: remote!.id });
    await sandboxControl(env.sandbox.linearUrl, 'POST', '/_sandbox/tokens/revoke', { all: true });
    expect((await admin().get('/api/connections/linear/teams')).status).toBe(409);

    const answer = await refresh();
    expect(repairedOf(answer, 'linear')).toEqual({
      provider: 'linear',
      skipped: 'Linear is Disconnected: its webhooks were not checked. Reconnect it on the Connections tab.',
      repaired: [],
      problems: [],
    });
    expect(repairedOf(answer, 'pagerduty').skipped).toBeNull();
    expect((await endpointRows()).map((row) => [row.id, row.status])).toEqual([[hook.id, 'active']]);
    expect(await standInWebhooks()).toEqual([]);
  });

  it('a vendor that fails is skipped for this pass and said so; the next pass repairs', async () => {
    const row = await ensureCheckoutSubscription(env);
    await pagerdutyRest(env.sandbox.pagerdutyUrl, 'PUT', `/webhook_subscriptions/${row.externalId}`, { webhook_subscription: { active: false } });
    await sandboxControl(env.sandbox.pagerdutyUrl, 'POST', '/_sandbox/faults', { api: [{ kind: '500', count: 10, method: 'GET', pathPrefix: '/webhook_subscriptions' }] });
    const failed = await refresh();
    expect(repairedOf(failed, 'pagerduty')).toMatchObject({ skipped: expect.stringMatching(/^PagerDuty could not be checked: /), repaired: [] });
    await sandboxControl(env.sandbox.pagerdutyUrl, 'DELETE', '/_sandbox/faults');
    expect((await standInSubscriptions())[0]).toMatchObject({ active: false });
    expect(repairedOf(await refresh(), 'pagerduty').repaired).toEqual(['Checkout API: Re-enabled at PagerDuty (it was disabled).']);
  });
});

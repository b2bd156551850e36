import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPS } from '../../sandbox/linear/operations.js';
import type { DisconnectResponse } from '../../src/api/index.js';
import { PAGERDUTY_SUBSCRIPTION_EVENTS } from '../../src/providers/pagerduty/webhooks.js';
import { client, createUser, login, type HubClient } from '../helpers/client.js';
import { connectProvider, sandboxControl } from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';
import { connectionOf } from '../connections/fixture.js';
import {
  actOnIncidentPage,
  allDeliveries,
  CHECKOUT,
  createIssueInLinear,
  createTeamWebhook,
  deliveryWhere,
  ENG_TEAM,
  ensureCheckoutSubscription,
  ensureSubscription,
  linearGraphql,
  linearPayload,
  pagerdutyRest,
  sendLinear,
  signingSecret,
  startConnectedHub,
  SUP_TEAM,
  triggerIncidentOnPage,
  until,
  webhooksOf,
  type ConnectedHub,
} from './fixture.js';

interface StandInWebhook {
  id: string;
  url: string;
  teamId: string | null;
  resourceTypes: string[];
  enabled: boolean;
  secret: string;
  label: string | null;
}

/**
 * The webhooks the hub creates and looks after (src/webhooks/webhooks-service.ts and
 * /api/webhooks): Linear team webhooks through the API, PagerDuty service subscriptions through
 * ensure/release, the statuses a check records (GET /api/webhooks answers them as stored),
 * re-enabling, and what Disconnect cleans up. Repair: repair.test.ts.
 */
describe.each(testDialects())('webhook lifecycle on %s', (dialect) => {
  let env: ConnectedHub;
  let viewer: HubClient;
  const admin = () => env.org.admin;
  const orgId = () => env.org.organisationId;
  const standInWebhooks = async () =>
    (await sandboxControl<{ webhooks: StandInWebhook[] }>(env.sandbox.linearUrl, 'GET', '/_sandbox/webhooks')).webhooks;
  const teamRow = async (c: HubClient, teamId: string) => (await webhooksOf(c)).linear.teams.find((row) => row.team.id === teamId);
  const endpointRows = () => env.hub.database.db.selectFrom('webhook_endpoints').selectAll().where('organisation_id', '=', orgId()).execute();
  const endpointSecrets = () =>
    env.hub.database.db.selectFrom('vault_secrets').select(['owner_id']).where('organisation_id', '=', orgId()).where('owner_table', '=', 'webhook_endpoints').execute();
  const standInSubscriptions = async () => {
    const listed = await pagerdutyRest<{ webhook_subscriptions: any[] }>(env.sandbox.pagerdutyUrl, 'GET', '/webhook_subscriptions');
    expect(listed.status).toBe(200);
    return listed.body.webhook_subscriptions;
  };
  /** Records the providers' statuses without repairing (what a repair pass records first). */
  const checkStored = async (provider: 'linear' | 'pagerduty') => {
    const service = env.hub.hub.deps.webhooks;
    await service.checkEndpoints(orgId(), provider, await service.list(orgId(), provider));
  };
  const makeLinearDisconnected = async () => {
    await sandboxControl(env.sandbox.linearUrl, 'POST', '/_sandbox/tokens/revoke', { all: true });
    const teams = await admin().get('/api/connections/linear/teams');
    expect(teams.status).toBe(409);
    expect(teams.body.error.code).toBe('connection_disconnected');
  };

  beforeAll(async () => {
    env = await startConnectedHub(dialect);
    await createUser(admin(), { email: 'viewer@acme.test', password: 'viewer password 1', role: 'viewer' });
    viewer = client(env.hub);
    await login(viewer, 'viewer@acme.test', 'viewer password 1');
  });
  afterAll(async () => env?.close());

  /** Every test starts with Linear and PagerDuty connected and no hub webhooks. */
  beforeEach(async () => {
    for (const provider of ['pagerduty', 'linear'] as const) {
      if ((await connectionOf(admin(), provider)).status !== 'connected') {
        const { attempt } = await connectProvider(admin(), provider);
        expect(attempt?.outcome).toBe('succeeded');
      }
    }
    for (const row of await endpointRows()) {
      if (row.provider === 'linear') expect((await admin().delete(`/api/webhooks/linear/${row.id}`)).status).toBe(204);
      else await env.hub.hub.deps.webhooks.releaseEndpoint(orgId(), 'pagerduty', row.scope_id);
    }
  });

  describe('Linear team webhooks', () => {
    it('a viewer sees GET /api/webhooks but may not create, delete or enable (403), and nothing changes', async () => {
      const hook = await createTeamWebhook(admin());
      const sub = await ensureCheckoutSubscription(env);
      const seen = await webhooksOf(viewer);
      expect(seen.linear.teams.find((row) => row.team.id === ENG_TEAM)?.webhook?.id).toBe(hook.id);
      expect(seen.pagerduty.subscriptions.map((s) => s.id)).toEqual([sub.id]);
      const create = await viewer.post('/api/webhooks/linear', { teamId: SUP_TEAM });
      expect(create.status).toBe(403);
      expect(create.body.error.code).toBe('forbidden');
      const remove = await viewer.delete(`/api/webhooks/linear/${hook.id}`);
      expect(remove.status).toBe(403);
      const enable = await viewer.post(`/api/webhooks/pagerduty/${sub.id}/enable`);
      expect(enable.status).toBe(403);
      expect((await standInWebhooks()).map((w) => w.teamId)).toEqual([ENG_TEAM]);
      expect((await endpointRows()).length).toBe(2);
    });

    it('create → 201, and the stand-in has a webhook for the team: Issue + Comment, the hub’s URL, the secret in the vault', async () => {
      const before = await teamRow(admin(), ENG_TEAM);
      expect(before).toMatchObject({ team: { id: ENG_TEAM, name: 'Engineering', key: 'ENG' }, webhook: null });
      const hook = await createTeamWebhook(admin());
      expect(hook).toMatchObject({ teamId: ENG_TEAM, teamName: 'Engineering', status: 'active', statusDetail: null, lastDeliveryAt: null, createdBy: env.org.email });
      expect(hook.url).toBe(`${env.hub.url}/webhooks/linear/${hook.id}`);
      const remote = await standInWebhooks();
      expect(remote).toHaveLength(1);
      expect(remote[0]).toMatchObject({ teamId: ENG_TEAM, url: hook.url, enabled: true, allPublicTeams: false });
      expect([...remote[0]!.resourceTypes].sort()).toEqual(['Comment', 'Issue']);
      expect(await signingSecret(env.hub, orgId(), hook.id)).toBe(remote[0]!.secret);
      // The secret never leaves the server.
      for (const text of admin().seen) expect(text).not.toContain(remote[0]!.secret);
      const row = await teamRow(admin(), ENG_TEAM);
      expect(row?.webhook).toEqual(hook);
      // Only the ENG team has one.
      expect((await webhooksOf(admin())).linear.teams.filter((t) => t.webhook !== null)).toHaveLength(1);
    });

    it('a second create for the same team → 409 webhook_exists (also when 3 arrive at once for another team: one wins)', async () => {
      await createTeamWebhook(admin());
      const again = await admin().post('/api/webhooks/linear', { teamId: ENG_TEAM });
      expect(again.status, again.text).toBe(409);
      expect(again.body.error.code).toBe('webhook_exists');
      const burst = await Promise.all([1, 2, 3].map(() => admin().post('/api/webhooks/linear', { teamId: SUP_TEAM })));
      expect(burst.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      expect(burst.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(['webhook_exists', 'webhook_exists']);
      const remote = await standInWebhooks();
      expect(remote.map((w) => w.teamId).sort()).toEqual([ENG_TEAM, SUP_TEAM].sort());
      expect(await endpointRows()).toHaveLength(2);
      expect(await endpointSecrets()).toHaveLength(2);
    });

    it('an unknown team, or a team of another workspace → 404, and nothing is made; bad bodies → 400', async () => {
      for (const teamId of ['00000000-0000-4000-8000-000000000000', '912db33b-0000-0000-0000-000000000000']) {
        const answer = await admin().post('/api/webhooks/linear', { teamId });
        expect(answer.status, answer.text).toBe(404);
        expect(answer.body.error.code).toBe('team_not_found');
      }
      const { SEED_IDS } = await import('../../sandbox/linear/seed.js');
      expect((await admin().post('/api/webhooks/linear', { teamId: SEED_IDS.globex.teams.ENG })).status).toBe(404);
      for (const body of [{}, { teamId: '' }, { teamId: ENG_TEAM, extra: 1 }, { teamId: 42 }]) {
        const answer = await admin().post('/api/webhooks/linear', body);
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(answer.body.error.code).toBe('invalid_body');
      }
      expect(await standInWebhooks()).toEqual([]);
      expect(await endpointRows()).toEqual([]);
      expect(await endpointSecrets()).toEqual([]);
    });

    it('delete → 204, gone at the stand-in, in the vault and in GET /api/webhooks (the team row has webhook null); again → 404', async () => {
      const hook = await createTeamWebhook(admin());
      const removed = await admin().delete(`/api/webhooks/linear/${hook.id}`);
      expect(removed.status, removed.text).toBe(204);
      expect(await standInWebhooks()).toEqual([]);
      expect((await teamRow(admin(), ENG_TEAM))?.webhook).toBeNull();
      expect(await endpointRows()).toEqual([]);
      expect(await endpointSecrets()).toEqual([]);
      const again = await admin().delete(`/api/webhooks/linear/${hook.id}`);
      expect(again.status).toBe(404);
      // The old URL is dead: a delivery to it is 404.
      const late = await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(late.status).toBe(404);
    });

    it('a webhook deleted right after it accepted deliveries refuses the next one at once (404: the intake caches endpoints, this process forgets at once)', async () => {
      const hook = await createTeamWebhook(admin());
      const secret = (await signingSecret(env.hub, orgId(), hook.id))!;
      // Accepted twice: the second is answered from the intake's endpoint cache.
      for (let i = 0; i < 2; i += 1) expect((await sendLinear(env.hub, hook.id, secret, linearPayload())).status).toBe(200);
      expect((await admin().delete(`/api/webhooks/linear/${hook.id}`)).status).toBe(204);
      const late = await sendLinear(env.hub, hook.id, secret, linearPayload());
      expect(late.status, late.text).toBe(404);
    });

    it('while Linear is Disconnected: create and delete → 409 connection_disconnected, and GET /api/webhooks says blockedBy', async () => {
      const hook = await createTeamWebhook(admin());
      await makeLinearDisconnected();
      const create = await admin().post('/api/webhooks/linear', { teamId: SUP_TEAM });
      expect(create.status, create.text).toBe(409);
      expect(create.body.error.code).toBe('connection_disconnected');
      const remove = await admin().delete(`/api/webhooks/linear/${hook.id}`);
      expect(remove.status, remove.text).toBe(409);
      expect(remove.body.error.code).toBe('connection_disconnected');
      const view = await webhooksOf(admin());
      expect(view.linear.blockedBy?.code).toBe('connection_disconnected');
      expect(view.linear.blockedBy?.message).toMatch(/Reconnect Linear/);
      // The teams cannot be read: the stored webhook is still listed, so it can be seen (and deleted later).
      expect(view.linear.teams.map((row) => row.webhook?.id)).toEqual([hook.id]);
      expect(view.linear.teams[0]!.team).toMatchObject({ id: ENG_TEAM, name: 'Engineering' });
      // Nothing changed anywhere.
      expect((await standInWebhooks()).map((w) => w.teamId)).toEqual([ENG_TEAM]);
      expect(await endpointRows()).toHaveLength(1);
      // After a reconnect both work again.
      expect((await connectProvider(admin(), 'linear')).attempt?.outcome).toBe('succeeded');
      expect((await webhooksOf(admin())).linear.blockedBy).toBeNull();
      expect((await admin().delete(`/api/webhooks/linear/${hook.id}`)).status).toBe(204);
      expect(await standInWebhooks()).toEqual([]);
    });

    it('the GET /api/webhooks that discovers a revoked Linear authorization already says blockedBy', async () => {
      await createTeamWebhook(admin());
      await sandboxControl(env.sandbox.linearUrl, 'POST', '/_sandbox/tokens/revoke', { all: true });
      const first = await webhooksOf(admin());
      const second = await webhooksOf(admin());
      expect(second.linear.blockedBy?.code).toBe('connection_disconnected');
      expect({ blockedBy: first.linear.blockedBy?.code ?? null, teams: first.linear.teams.length }).toEqual({ blockedBy: 'connection_disconnected', teams: 1 });
    });

    it('GET /api/webhooks answers the stored statuses (no status call to Linear); a check records disabled, then missing; the hub can still delete it', async () => {
      const hook = await createTeamWebhook(admin());
      const remoteId = (await standInWebhooks())[0]!.id;
      const disable = await linearGraphql(env.sandbox.linearUrl, OPS.WebhookUpdate, { id: remoteId, input: { enabled: false } });
      expect(disable.body.errors).toBeUndefined();
      const since = Date.now();
      // No live check per page load: still the stored status, and no webhooks query reached the stand-in.
      expect((await teamRow(admin(), ENG_TEAM))?.webhook).toMatchObject({ id: hook.id, status: 'active' });
      const { requests } = await sandboxControl<{ requests: Array<{ body?: { query?: string } }> }>(env.sandbox.linearUrl, 'GET', `/_sandbox/requests?since=${since}`);
      expect(requests.filter((r) => r.body?.query?.includes('webhooks') === true)).toEqual([]);

      await checkStored('linear');
      let row = await teamRow(admin(), ENG_TEAM);
      expect(row?.webhook).toMatchObject({ id: hook.id, status: 'disabled' });
      expect(row?.webhook?.statusDetail).toMatch(/disabled/i);
      expect((await teamRow(viewer, ENG_TEAM))?.webhook?.status).toBe('disabled');

      const unhook = await linearGraphql(env.sandbox.linearUrl, OPS.Unhook, { id: remoteId });
      expect(unhook.body.errors).toBeUndefined();
      await checkStored('linear');
      row = await teamRow(admin(), ENG_TEAM);
      expect(row?.webhook).toMatchObject({ id: hook.id, status: 'missing' });
      expect(row?.webhook?.statusDetail).toMatch(/no longer has this webhook/);

      // Deleting one Linear no longer has works.
      const removed = await admin().delete(`/api/webhooks/linear/${hook.id}`);
      expect(removed.status, removed.text).toBe(204);
      expect((await teamRow(admin(), ENG_TEAM))?.webhook).toBeNull();
      const recreated = await createTeamWebhook(admin());
      expect(recreated.status).toBe('active');
    });
  });

  describe('PagerDuty service subscriptions', () => {
    it('ensure 3 times at once, then twice more → one subscription at the stand-in for PSVC001 with the ten events', async () => {
      const burst = await Promise.all([1, 2, 3].map(() => ensureCheckoutSubscription(env)));
      expect(new Set(burst.map((row) => row.id)).size).toBe(1);
      const first = await ensureCheckoutSubscription(env);
      const second = await ensureCheckoutSubscription(env);
      expect(first.id).toBe(burst[0]!.id);
      expect(second.id).toBe(first.id);
      expect(second.status).toBe('active');
      const subscriptions = await standInSubscriptions();
      expect(subscriptions).toHaveLength(1);
      const [sub] = subscriptions;
      expect(sub.filter).toEqual({ type: 'service_reference', id: CHECKOUT.id });
      expect([...sub.events].sort()).toEqual([...PAGERDUTY_SUBSCRIPTION_EVENTS].sort());
      expect(sub.events).toHaveLength(10);
      expect(sub.delivery_method.url).toBe(`${env.hub.url}/webhooks/pagerduty/${first.id}`);
      expect(sub.active).toBe(true);
      expect(first.externalId).toBe(sub.id);
      // The secret PagerDuty returned once is in the vault, and it is the one PagerDuty signs with.
      expect(await signingSecret(env.hub, orgId(), first.id)).toBe(env.sandbox.pagerduty.state.subscriptions.get(sub.id)!.secret);
      const view = await webhooksOf(admin());
      expect(view.pagerduty.subscriptions).toEqual([
        expect.objectContaining({ id: first.id, serviceId: CHECKOUT.id, serviceName: CHECKOUT.name, status: 'active', url: sub.delivery_method.url }),
      ]);
      // Another service gets its own.
      await ensureSubscription(env.hub, orgId(), { id: 'PSVC002', name: 'Payments Gateway' });
      expect(await standInSubscriptions()).toHaveLength(2);
    });

    it('release deletes it at the stand-in and in the hub (row and secret); releasing again is a no-op', async () => {
      const row = await ensureCheckoutSubscription(env);
      expect(await env.hub.hub.deps.webhooks.releaseEndpoint(orgId(), 'pagerduty', CHECKOUT.id)).toBe(true);
      expect(await standInSubscriptions()).toEqual([]);
      expect(await endpointRows()).toEqual([]);
      expect(await endpointSecrets()).toEqual([]);
      expect((await webhooksOf(admin())).pagerduty.subscriptions).toEqual([]);
      expect(await env.hub.hub.deps.webhooks.releaseEndpoint(orgId(), 'pagerduty', CHECKOUT.id)).toBe(false);
      const late = await fetch(`${env.hub.url}/webhooks/pagerduty/${row.id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(late.status).toBe(404);
    });

    it('three refused deliveries in a row → temporarily_disabled; POST …/enable → active, and deliveries flow again', async () => {
      const row = await ensureCheckoutSubscription(env);
      // The stand-in's bad_signature fault makes the hub refuse (401); PagerDuty drops a 4xx at once.
      await sandboxControl(env.sandbox.pagerdutyUrl, 'POST', '/_sandbox/faults', { deliveries: [{ kind: 'bad_signature', count: 3 }] });
      const incidentId = await triggerIncidentOnPage(env.sandbox.pagerdutyUrl, 'Refused three times');
      await actOnIncidentPage(env.sandbox.pagerdutyUrl, incidentId, 'acknowledge');
      await actOnIncidentPage(env.sandbox.pagerdutyUrl, incidentId, 'resolve');
      const { deliveries } = await sandboxControl<{ deliveries: Array<{ status?: number; outcome: string }> }>(
        env.sandbox.pagerdutyUrl,
        'GET',
        `/_sandbox/deliveries?subscriptionId=${row.externalId}&waitIdleMs=5000`,
      );
      expect(deliveries.map((d) => [d.status, d.outcome])).toEqual([
        [401, 'dropped'],
        [401, 'dropped'],
        [401, 'dropped'],
      ]);
      const remote = await pagerdutyRest(env.sandbox.pagerdutyUrl, 'GET', `/webhook_subscriptions/${row.externalId}`);
      expect(remote.body.webhook_subscription.delivery_method.temporarily_disabled).toBe(true);

      await checkStored('pagerduty');
      const view = await webhooksOf(admin());
      expect(view.pagerduty.subscriptions).toEqual([expect.objectContaining({ id: row.id, status: 'temporarily_disabled' })]);
      expect(view.pagerduty.subscriptions[0]!.statusDetail).toMatch(/Re-enable/);
      expect((await webhooksOf(viewer)).pagerduty.subscriptions[0]!.status).toBe('temporarily_disabled');
      // Nothing was stored from the refused deliveries.
      expect((await allDeliveries(admin())).filter((d) => d.entity.id === incidentId)).toEqual([]);

      const enabled = await admin().post(`/api/webhooks/pagerduty/${row.id}/enable`);
      expect(enabled.status, enabled.text).toBe(200);
      expect(enabled.body.subscription).toMatchObject({ id: row.id, status: 'active', statusDetail: null });
      const after = await pagerdutyRest(env.sandbox.pagerdutyUrl, 'GET', `/webhook_subscriptions/${row.externalId}`);
      expect(after.body.webhook_subscription.delivery_method.temporarily_disabled).toBe(false);
      expect((await webhooksOf(admin())).pagerduty.subscriptions[0]!.status).toBe('active');

      const next = await triggerIncidentOnPage(env.sandbox.pagerdutyUrl, 'Delivered after re-enabling');
      await deliveryWhere(admin(), 'the delivery after re-enabling', (d) => d.entity.id === next && d.outcome === 'processed');
    });

    it('enable: an unknown id or a Linear webhook’s id → 404', async () => {
      const hook = await createTeamWebhook(admin());
      expect((await admin().post('/api/webhooks/pagerduty/whk_nope/enable')).status).toBe(404);
      expect((await admin().post(`/api/webhooks/pagerduty/${hook.id}/enable`)).status).toBe(404);
    });

    it('enable on a subscription deleted at PagerDuty → a 4xx and status missing, not a 502', async () => {
      const row = await ensureCheckoutSubscription(env);
      expect((await pagerdutyRest(env.sandbox.pagerdutyUrl, 'DELETE', `/webhook_subscriptions/${row.externalId}`)).status).toBe(204);
      const enabled = await admin().post(`/api/webhooks/pagerduty/${row.id}/enable`);
      const stored = await env.hub.database.db.selectFrom('webhook_endpoints').select('status').where('id', '=', row.id).executeTakeFirstOrThrow();
      expect({ status: enabled.status < 500 ? '4xx' : enabled.status, stored: stored.status }, enabled.text).toEqual({ status: '4xx', stored: 'missing' });
    });

    it('deleted at PagerDuty → missing; ensuring it again makes a new one; release cleans up', async () => {
      const row = await ensureCheckoutSubscription(env);
      expect((await pagerdutyRest(env.sandbox.pagerdutyUrl, 'DELETE', `/webhook_subscriptions/${row.externalId}`)).status).toBe(204);
      await checkStored('pagerduty');
      const view = await webhooksOf(admin());
      expect(view.pagerduty.subscriptions).toEqual([expect.objectContaining({ id: row.id, status: 'missing' })]);
      // Ensuring it again makes a new one (the missing one is forgotten).
      const again = await ensureCheckoutSubscription(env);
      expect(again.id).not.toBe(row.id);
      expect(again.status).toBe('active');
      const remote = await standInSubscriptions();
      expect(remote.map((sub) => sub.id)).toEqual([again.externalId]);
      expect(remote[0].delivery_method.url).toBe(`${env.hub.url}/webhooks/pagerduty/${again.id}`);
      expect((await endpointRows()).map((r) => r.id)).toEqual([again.id]);
      expect((await endpointSecrets()).map((r) => r.owner_id)).toEqual([again.id]);
      expect((await webhooksOf(admin())).pagerduty.subscriptions).toEqual([expect.objectContaining({ id: again.id, status: 'active' })]);
      // Releasing one PagerDuty no longer has still cleans up the hub's side.
      await pagerdutyRest(env.sandbox.pagerdutyUrl, 'DELETE', `/webhook_subscriptions/${again.externalId}`);
      expect(await env.hub.hub.deps.webhooks.releaseEndpoint(orgId(), 'pagerduty', CHECKOUT.id)).toBe(true);
      expect(await endpointRows()).toEqual([]);
    });
  });

  describe('Disconnect', () => {
    it('Disconnect Linear with a team webhook: webhooksDeleted 1, gone at the stand-in, row and secret gone; deliveries stay; PagerDuty untouched', async () => {
      const hook = await createTeamWebhook(admin());
      const sub = await ensureCheckoutSubscription(env);
      const issue = await createIssueInLinear(env.sandbox.linearUrl, 'Delivered before the disconnect');
      const delivered = await deliveryWhere(admin(), 'a delivery before the disconnect', (d) => d.entity.id === issue.id && d.outcome === 'processed');

      const response = await admin().delete<DisconnectResponse>('/api/connections/linear');
      expect(response.status, response.text).toBe(200);
      expect(response.body.report).toMatchObject({ webhooksDeleted: 1, problems: [] });
      expect(await standInWebhooks()).toEqual([]);
      const rows = await endpointRows();
      expect(rows.map((row) => row.id)).toEqual([sub.id]);
      expect((await endpointSecrets()).map((s) => s.owner_id)).toEqual([sub.id]);
      expect(await signingSecret(env.hub, orgId(), hook.id)).toBeUndefined();
      // History stays.
      const history = await allDeliveries(admin());
      expect(history.find((d) => d.id === delivered.id)).toMatchObject({ outcome: 'processed', scope: { name: 'Engineering' } });
      // GET /api/webhooks: Linear not connected, no team webhooks; the subscription is still there.
      const view = await webhooksOf(admin());
      expect(view.linear.blockedBy?.code).toBe('not_connected');
      expect(view.linear.teams).toEqual([]);
      expect(view.pagerduty.subscriptions.map((s) => s.id)).toEqual([sub.id]);
      expect(await standInSubscriptions()).toHaveLength(1);
      // The old URL is dead.
      expect((await fetch(hook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
    });

    it('a webhook made before a revocation and reconnect is still cleaned up by Disconnect (same connection)', async () => {
      const hook = await createTeamWebhook(admin());
      await makeLinearDisconnected();
      expect((await connectProvider(admin(), 'linear')).attempt?.outcome).toBe('succeeded');
      expect((await teamRow(admin(), ENG_TEAM))?.webhook).toMatchObject({ id: hook.id, status: 'active' });
      const response = await admin().delete<DisconnectResponse>('/api/connections/linear');
      expect(response.status, response.text).toBe(200);
      expect(response.body.report).toMatchObject({ webhooksDeleted: 1, problems: [] });
      expect(await standInWebhooks()).toEqual([]);
      expect(await endpointRows()).toEqual([]);
    });

    it('Disconnect while Linear is Disconnected: the webhook cannot be deleted there — reported as a problem; the hub forgets it', async () => {
      const hook = await createTeamWebhook(admin());
      await makeLinearDisconnected();
      const response = await admin().delete<DisconnectResponse>('/api/connections/linear');
      expect(response.status, response.text).toBe(200);
      expect(response.body.report.webhooksDeleted).toBe(0);
      expect(response.body.report.problems).toEqual([expect.stringMatching(/Engineering.*delete it there by hand/)]);
      // Still at the stand-in (the hub had no working token), gone from the hub.
      expect((await standInWebhooks()).map((w) => w.url)).toEqual([hook.url]);
      expect(await endpointRows()).toEqual([]);
      expect(await endpointSecrets()).toEqual([]);
      // Its deliveries now reach an unknown endpoint: 404, nothing stored.
      const before = (await allDeliveries(admin())).length;
      await createIssueInLinear(env.sandbox.linearUrl, 'After the hub forgot the webhook');
      const refused = await until('the stand-in’s attempt at the forgotten URL', async () => {
        const { deliveries } = await sandboxControl<{ deliveries: Array<{ url: string; status?: number }> }>(env.sandbox.linearUrl, 'GET', '/_sandbox/deliveries');
        const mine = deliveries.filter((d) => d.url === hook.url);
        return mine.length > 0 ? mine : undefined;
      });
      expect(refused.map((d) => d.status)).toEqual([404]);
      expect((await allDeliveries(admin())).length).toBe(before);
      // Clean the stand-in by hand, as the problem says.
      await linearGraphql(env.sandbox.linearUrl, OPS.Unhook, { id: (await standInWebhooks())[0]!.id });
    });

    it('Disconnect PagerDuty with a service subscription: webhooksDeleted 1 and the subscription is gone', async () => {
      await ensureCheckoutSubscription(env);
      const response = await admin().delete<DisconnectResponse>('/api/connections/pagerduty');
      expect(response.status, response.text).toBe(200);
      expect(response.body.report.webhooksDeleted).toBe(1);
      expect(await standInSubscriptions()).toEqual([]);
      expect((await endpointRows()).filter((row) => row.provider === 'pagerduty')).toEqual([]);
    });
  });
});

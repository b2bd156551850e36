import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_IDS } from '../../sandbox/linear/seed.js';
import type { ConnectionView, DisconnectResponse } from '../../src/api/index.js';
import { client } from '../helpers/client.js';
import {
  authorizeAndConsent,
  connectProvider,
  deliverCallback,
  followCallback,
  injectApiFaults,
  resetSandbox,
  sandboxControl,
  sandboxRequests,
  sandboxTokens,
  startHubWithSandbox,
  type HubWithSandbox,
} from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';
import {
  connectionOf,
  connectionRows,
  expectLandingError,
  firstOrganisation,
  forgetConnections,
  PAGERDUTY_SCOPES,
  vaultEntries,
  type OrganisationAdmin,
} from './fixture.js';

/**
 * SPEC §1.2, §1.3: Connect PagerDuty and Linear by OAuth against the stand-ins, what the cards
 * then show, one account per provider, Disconnect and Connect again. Each test starts from
 * "never connected" (freshly reset stand-ins, the organisation's connections forgotten).
 */
describe.each(testDialects())('Connect and Disconnect on %s', (dialect) => {
  let env: HubWithSandbox;
  let org: OrganisationAdmin;
  const pd = () => env.sandbox.pagerdutyUrl;
  const linear = () => env.sandbox.linearUrl;

  beforeAll(async () => {
    env = await startHubWithSandbox(dialect);
    org = await firstOrganisation(env.hub);
  });
  afterAll(async () => env?.close());
  beforeEach(async () => {
    await resetSandbox(env.sandbox, env.hub.url);
    await forgetConnections(env.hub, org.organisationId);
  });

  describe('PagerDuty', () => {
    it('Connect → Authorize → connected to acme (US) as Ada Admin, with the seven scopes', async () => {
      const { admin } = org;
      const before = await connectionOf(admin, 'pagerduty');
      expect(before).toMatchObject({ status: 'not_connected', statusReason: null, connectBlockedBy: null, account: null, mode: 'vendor' });
      expect(before.requestedScopes).toEqual(PAGERDUTY_SCOPES);

      const { attempt, landing } = await connectProvider(admin, 'pagerduty');
      expect(landing.pathname).toBe('/connections');
      expect([...landing.searchParams.keys()]).toEqual(['attempt']);
      expect(attempt).toMatchObject({ provider: 'pagerduty', outcome: 'succeeded', code: null });
      expect(attempt!.message).toMatch(/acme/);
      expect(attempt!.message).toMatch(/Ada Admin/);
      expect(attempt!.finishedAt).not.toBeNull();

      const card = await connectionOf(admin, 'pagerduty');
      expect(card).toMatchObject({
        status: 'connected',
        statusReason: null,
        connectBlockedBy: null,
        account: { name: 'acme', subdomain: 'acme', region: 'us' },
        connectedAs: { id: 'PUSR001', name: 'Ada Admin', email: 'admin@acme.example', role: 'admin' },
        connectedBy: { userId: org.userId, email: org.email },
      });
      expect(card.account!.id).toBeTruthy();
      expect(Date.parse(card.connectedAt!)).not.toBeNaN();
      expect(card.scopes).toEqual(expect.arrayContaining(PAGERDUTY_SCOPES));

      // The identity was learned from the provider with the new token (the account's user, not a guess).
      const me = await sandboxRequests(pd(), { method: 'GET', pathPrefix: '/users/me' });
      expect(me.map((request) => request.status)).toContain(200);

      // SPEC §1.7: tokens never leave the server.
      const tokens = await sandboxTokens(pd());
      expect(tokens.length).toBeGreaterThan(0);
      for (const token of tokens) for (const text of admin.seen) expect(text).not.toContain(token.value);
    });

    it('loads every acme service after connecting', async () => {
      const { admin } = org;
      await connectProvider(admin, 'pagerduty');
      const response = await admin.get('/api/connections/pagerduty/services');
      expect(response.status).toBe(200);
      const services = response.body.services as Array<{ id: string; name: string; status: string }>;
      expect(services).toHaveLength(32);
      const expectedIds = Array.from({ length: 32 }, (_, i) => `PSVC${String(i + 1).padStart(3, '0')}`);
      expect(services.map((service) => service.id).sort()).toEqual(expectedIds);
      expect(services).toContainEqual(expect.objectContaining({ id: 'PSVC001', name: 'Checkout API' }));
      expect(services.find((service) => service.id === 'PSVC031')?.status).toBe('maintenance');
      expect(services.find((service) => service.id === 'PSVC032')?.status).toBe('disabled');
      expect(Date.parse(response.body.loadedAt)).not.toBeNaN();

      // Live from the stand-in. 32 is more than PagerDuty's default page (25): the hub must ask
      // for larger pages (at most 100) or follow `more` — together its calls cover all 32.
      const calls = await sandboxRequests(pd(), { method: 'GET', pathPrefix: '/services' });
      expect(calls.length).toBeGreaterThan(0);
      expect(calls.every((call) => call.status === 200)).toBe(true);
      const fetched = calls.reduce((sum, call) => sum + Math.min(Number(call.query.limit ?? 25), 100), 0);
      expect(fetched).toBeGreaterThanOrEqual(32);
    });

    it('an EU account: globex as Gina Admin → region eu, and its own services', async () => {
      const { admin } = org;
      const { attempt } = await connectProvider(admin, 'pagerduty', { account: 'globex', user: 'PUSR101' });
      expect(attempt?.outcome).toBe('succeeded');
      expect(attempt!.message).toMatch(/globex/);
      const card = await connectionOf(admin, 'pagerduty');
      expect(card).toMatchObject({
        status: 'connected',
        account: { name: 'globex', subdomain: 'globex', region: 'eu' },
        connectedAs: { id: 'PUSR101', email: 'admin@globex.example' },
      });
      const services = await admin.get('/api/connections/pagerduty/services');
      expect(services.body.services.map((service: { id: string }) => service.id).sort()).toEqual(['PSVC101', 'PSVC102', 'PSVC103']);
    });

    it('one account at a time: Connect while connected → 409 already_connected', async () => {
      const { admin } = org;
      await connectProvider(admin, 'pagerduty');
      const again = await admin.post('/api/connections/pagerduty/authorize', {});
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('already_connected');
      expect(again.body.error.message).toMatch(/Disconnect/);
      expect((await connectionOf(admin, 'pagerduty')).account?.name).toBe('acme');
    });

    it('two Connect clicks in flight: the second to come back fails with already_connected', async () => {
      const { admin } = org;
      const first = await authorizeAndConsent(admin, 'pagerduty');
      const second = await authorizeAndConsent(admin, 'pagerduty', { account: 'globex', user: 'PUSR101' });
      expect((await deliverCallback(admin, first.callbackUrl)).attempt?.outcome).toBe('succeeded');
      const late = await deliverCallback(admin, second.callbackUrl);
      expect(late.attempt).toMatchObject({ outcome: 'failed', code: 'already_connected' });
      expect(late.attempt!.message).toMatch(/already connected.*Disconnect/);
      expect(await connectionOf(admin, 'pagerduty')).toMatchObject({ status: 'connected', account: { name: 'acme' } });
    });
  });

  describe('Linear', () => {
    it('after PagerDuty: connected to the Acme workspace, teams ENG, SUP and PRD listed', async () => {
      const { admin } = org;
      await connectProvider(admin, 'pagerduty');
      const before = await connectionOf(admin, 'linear');
      expect(before.connectBlockedBy).toBeNull();
      expect(before.requestedScopes).toEqual(expect.arrayContaining(['read', 'write', 'admin']));

      const { attempt } = await connectProvider(admin, 'linear');
      expect(attempt).toMatchObject({ provider: 'linear', outcome: 'succeeded', code: null });
      expect(attempt!.message).toMatch(/Acme/);
      const card = await connectionOf(admin, 'linear');
      expect(card).toMatchObject({
        status: 'connected',
        statusReason: null,
        account: { id: SEED_IDS.acme.organization, name: 'Acme', subdomain: 'acme', region: null },
        connectedAs: { id: SEED_IDS.acme.admin, role: 'admin' },
        connectedBy: { userId: org.userId, email: org.email },
      });
      expect(card.scopes).toEqual(expect.arrayContaining(['read', 'write', 'admin']));

      const teams = await admin.get('/api/connections/linear/teams');
      expect(teams.status).toBe(200);
      expect(teams.body.teams.map((team: { key: string }) => team.key).sort()).toEqual(['ENG', 'PRD', 'SUP']);
      expect(teams.body.teams).toContainEqual({ id: SEED_IDS.acme.teams.ENG, name: 'Engineering', key: 'ENG' });
      // PagerDuty is untouched.
      expect((await connectionOf(admin, 'pagerduty')).status).toBe('connected');
    });

    it('before PagerDuty: Connect answers 409 pagerduty_not_connected and the card says why', async () => {
      const { admin } = org;
      const card = await connectionOf(admin, 'linear');
      expect(card.status).toBe('not_connected');
      expect(card.connectBlockedBy?.code).toBe('pagerduty_not_connected');
      expect(card.connectBlockedBy?.message).toMatch(/PagerDuty/);

      const refused = await admin.post('/api/connections/linear/authorize', {});
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('pagerduty_not_connected');
      // Nothing was started.
      expect(await env.hub.database.db.selectFrom('oauth_attempts').select('id').where('organisation_id', '=', org.organisationId).execute()).toEqual([]);
      expect(await sandboxRequests(linear())).toEqual([]);
    });

    it('one workspace at a time: Connect while connected → 409 already_connected', async () => {
      const { admin } = org;
      await connectProvider(admin, 'pagerduty');
      await connectProvider(admin, 'linear');
      const again = await admin.post('/api/connections/linear/authorize', {});
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('already_connected');
    });
  });

  describe('Disconnect', () => {
    const disconnect = async (provider: 'pagerduty' | 'linear') => {
      const response = await org.admin.delete<DisconnectResponse>(`/api/connections/${provider}`);
      expect(response.status).toBe(200);
      return response.body;
    };
    const expectDisconnectedByUser = (card: ConnectionView) => {
      expect(card.status).toBe('not_connected');
      expect(card.statusReason?.code).toBe('disconnected_by_user');
      expect(card.statusReason?.message).toContain(org.email);
      expect(Date.parse(card.statusReason!.at)).not.toBeNaN();
    };

    it('PagerDuty: tokens forgotten (PagerDuty cannot revoke), reason names the admin; Connect again works', async () => {
      const { admin, organisationId } = org;
      await connectProvider(admin, 'pagerduty');
      const [row] = await connectionRows(env.hub, organisationId);
      expect((await vaultEntries(env.hub, organisationId, 'connections')).map((entry) => entry.field).sort()).toEqual([
        'access_token',
        'refresh_token',
      ]);

      const { connection, report } = await disconnect('pagerduty');
      expect(report).toEqual({ revocation: 'not_supported', webhooksDeleted: 0, problems: [] });
      expectDisconnectedByUser(connection);
      expect(await connectionOf(admin, 'pagerduty')).toEqual(connection);
      expect(await vaultEntries(env.hub, organisationId, 'connections')).toEqual([]);

      const services = await admin.get('/api/connections/pagerduty/services');
      expect(services.status).toBe(409);
      expect(services.body.error.code).toBe('not_connected');
      const twice = await admin.delete('/api/connections/pagerduty');
      expect(twice.status).toBe(409);
      expect(twice.body.error.code).toBe('not_connected');

      // Connect again: the same connection comes back, without the old reason.
      const { attempt } = await connectProvider(admin, 'pagerduty');
      expect(attempt?.outcome).toBe('succeeded');
      expect(await connectionOf(admin, 'pagerduty')).toMatchObject({ status: 'connected', statusReason: null });
      expect((await connectionRows(env.hub, organisationId))[0]!.id).toBe(row!.id);
      expect((await admin.get('/api/connections/pagerduty/services')).body.services).toHaveLength(32);
    });

    it('PagerDuty: after Disconnect another account may be connected (switching accounts)', async () => {
      const { admin } = org;
      await connectProvider(admin, 'pagerduty');
      await disconnect('pagerduty');
      const { attempt } = await connectProvider(admin, 'pagerduty', { account: 'globex', user: 'PUSR101' });
      expect(attempt?.outcome).toBe('succeeded');
      expect((await connectionOf(admin, 'pagerduty')).account).toMatchObject({ name: 'globex', region: 'eu' });
    });

    it('Linear: the authorization is revoked at Linear, PagerDuty stays connected; Connect again works', async () => {
      const { admin, organisationId } = org;
      await connectProvider(admin, 'pagerduty');
      await connectProvider(admin, 'linear');
      const issued = await sandboxTokens(linear());
      expect(issued.length).toBeGreaterThan(0);
      expect(issued.some((token) => token.revoked)).toBe(false);

      const { connection, report } = await disconnect('linear');
      expect(report).toEqual({ revocation: 'revoked', webhooksDeleted: 0, problems: [] });
      expectDisconnectedByUser(connection);
      const after = await sandboxTokens(linear());
      expect(after.length).toBe(issued.length);
      expect(after.every((token) => token.revoked)).toBe(true);
      const linearRow = (await connectionRows(env.hub, organisationId)).find((r) => r.provider === 'linear')!;
      expect((await vaultEntries(env.hub, organisationId, 'connections')).filter((entry) => entry.owner_id === linearRow.id)).toEqual([]);
      expect((await connectionOf(admin, 'pagerduty')).status).toBe('connected');
      expect((await admin.get('/api/connections/linear/teams')).body.error.code).toBe('not_connected');

      expect((await connectProvider(admin, 'linear')).attempt?.outcome).toBe('succeeded');
      expect(await connectionOf(admin, 'linear')).toMatchObject({ status: 'connected', statusReason: null, account: { name: 'Acme' } });
    });
  });

  describe('Disconnect when the provider cannot be told', () => {
    it('Linear revocation fails → reported as failed with advice; the hub forgets the tokens anyway', async () => {
      const { admin, organisationId } = org;
      await connectProvider(admin, 'pagerduty');
      await connectProvider(admin, 'linear');
      await injectApiFaults(linear(), [{ kind: '500', count: 1, method: 'POST', pathPrefix: '/oauth/revoke' }]);
      const response = await admin.delete<DisconnectResponse>('/api/connections/linear');
      expect(response.status).toBe(200);
      expect(response.body.report.revocation).toBe('failed');
      expect(response.body.report.problems).toHaveLength(1);
      expect(response.body.report.problems[0]).toMatch(/Linear/);
      expect(response.body.report.problems[0]).toMatch(/settings/);
      expect(response.body.connection).toMatchObject({ status: 'not_connected', statusReason: { code: 'disconnected_by_user' } });
      const linearRow = (await connectionRows(env.hub, organisationId)).find((row) => row.provider === 'linear')!;
      expect((await vaultEntries(env.hub, organisationId, 'connections')).filter((entry) => entry.owner_id === linearRow.id)).toEqual([]);
    });

    it('a connection already Disconnected (revoked at the provider) can still be disconnected', async () => {
      const { admin, organisationId } = org;
      await connectProvider(admin, 'pagerduty');
      await sandboxControl(pd(), 'POST', '/_sandbox/tokens/revoke', { all: true });
      expect((await admin.get('/api/connections/pagerduty/services')).body.error.code).toBe('connection_disconnected');
      expect((await connectionOf(admin, 'pagerduty')).status).toBe('disconnected');
      const response = await admin.delete<DisconnectResponse>('/api/connections/pagerduty');
      expect(response.status).toBe(200);
      expect(response.body.connection).toMatchObject({ status: 'not_connected', statusReason: { code: 'disconnected_by_user' } });
      expect(await vaultEntries(env.hub, organisationId, 'connections')).toEqual([]);
      // Not connected (no longer Disconnected): any account may be connected now.
      const { attempt } = await connectProvider(admin, 'pagerduty', { account: 'globex', user: 'PUSR101' });
      expect(attempt?.outcome).toBe('succeeded');
    });
  });

  describe('a callback in a browser without a hub session', () => {
    it('→ ?error=session_required; the Connect click stays open for its own session', async () => {
      const { admin } = org;
      const { callbackUrl, attemptId } = await authorizeAndConsent(admin, 'pagerduty');
      const stranger = client(env.hub);
      const landing = await followCallback(stranger, callbackUrl);
      expectLandingError(landing, 'pagerduty', 'session_required');
      expect(await sandboxRequests(pd(), { method: 'POST', pathPrefix: '/oauth/token' })).toEqual([]);
      expect((await connectionOf(admin, 'pagerduty')).status).toBe('not_connected');
      expect((await admin.get(`/api/connections/attempts/${attemptId}`)).body.attempt.outcome).toBe('pending');

      // Also without any state at all.
      const bare = new URL(callbackUrl);
      bare.searchParams.delete('state');
      expectLandingError(await followCallback(stranger, bare.toString()), 'pagerduty', 'session_required');

      // The person who clicked Connect can still finish.
      expect((await deliverCallback(admin, callbackUrl)).attempt).toMatchObject({ id: attemptId, outcome: 'succeeded' });
    });
  });
});

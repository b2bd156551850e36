import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/index.js';
import { SEED_IDS } from '../../sandbox/linear/seed.js';
import { ManualClock } from '../../src/core/clock.js';
import type { AuthorizeResponse } from '../../src/api/index.js';
import { client, createUser, login, setupFirstAdmin, type HubClient } from '../helpers/client.js';
import {
  authorizeAndConsent,
  connectProvider,
  deliverCallback,
  injectApiFaults,
  resetSandbox,
  sandboxControl,
  sandboxRequests,
  sandboxTokens,
  startHubWithSandbox,
  vendorEnvFor,
  type HubWithSandbox,
} from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';
import { freePort, startTestHub, type TestHub } from '../helpers/hub.js';
import {
  connectionOf,
  connectionRows,
  expectFailed,
  expectNothingConnected,
  firstOrganisation,
  forgetConnections,
  vaultEntries,
  type OrganisationAdmin,
} from './fixture.js';

/**
 * SPEC §1.8: "OAuth failure or time-out, wrong role, wrong account → a clear error on return
 * to the hub, and no half-made connection." Every way a Connect can fail, through the real
 * callback against the stand-ins: the attempt's code and message, the card, the database and
 * what the provider issued. Each test starts from "never connected" (the organisation's
 * connections forgotten) with freshly reset stand-ins.
 */
describe.each(testDialects())('Connect failures on %s', (dialect) => {
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

  describe('on the provider’s page', () => {
    it('Deny → access_denied, and PagerDuty issued nothing', async () => {
      const { admin, organisationId } = org;
      const { attempt, landing } = await connectProvider(admin, 'pagerduty', { decision: 'deny' });
      expect(landing.pathname).toBe('/connections');
      expectFailed(attempt, 'access_denied', /denied/i);
      expect(attempt!.provider).toBe('pagerduty');
      await expectNothingConnected(env.hub, admin, organisationId, 'pagerduty');
      expect(await sandboxTokens(pd())).toEqual([]);
      expect(await sandboxRequests(pd(), { method: 'POST', pathPrefix: '/oauth/token' })).toEqual([]);
    });

    it('Deny on Linear → access_denied; the PagerDuty connection is untouched', async () => {
      const { admin, organisationId } = org;
      expect((await connectProvider(admin, 'pagerduty')).attempt?.outcome).toBe('succeeded');
      const { attempt } = await connectProvider(admin, 'linear', { decision: 'deny' });
      expectFailed(attempt, 'access_denied', /Linear/);
      await expectNothingConnected(env.hub, admin, organisationId, 'linear');
      expect(await sandboxTokens(linear())).toEqual([]);
      expect((await connectionOf(admin, 'pagerduty')).status).toBe('connected');
    });
  });

  /**
   * A reply the hub refuses before any exchange is recorded as a failed attempt of the
   * session it arrived in (the tab reads the hub's message by id); the Connect click it may
   * have belonged to is left as it was.
   */
  describe('the state check', () => {
    const pending = async (c: HubClient, attemptId: string) =>
      (await c.get(`/api/connections/attempts/${attemptId}`)).body.attempt.outcome;

    it('a reply without state → state_missing, and the Connect click stays open', async () => {
      const { admin, organisationId } = org;
      const { callbackUrl, attemptId } = await authorizeAndConsent(admin, 'pagerduty');
      const url = new URL(callbackUrl);
      expect(url.searchParams.get('code')).toBeTruthy();
      url.searchParams.delete('state');
      const { attempt } = await deliverCallback(admin, url.toString());
      expectFailed(attempt, 'state_missing', /no state/);
      expect(attempt!.id).not.toBe(attemptId);
      expect(await pending(admin, attemptId)).toBe('pending');
      await expectNothingConnected(env.hub, admin, organisationId, 'pagerduty', { attemptEnded: false });
      expect(await sandboxTokens(pd())).toEqual([]);
    });

    it('a forged state → state_unknown; no code is exchanged', async () => {
      const { admin, organisationId } = org;
      const { callbackUrl, attemptId } = await authorizeAndConsent(admin, 'pagerduty');
      const url = new URL(callbackUrl);
      url.searchParams.set('state', 'forged-state-value-0123456789');
      const { attempt } = await deliverCallback(admin, url.toString());
      expectFailed(attempt, 'state_unknown', /does not match/);
      expect(await pending(admin, attemptId)).toBe('pending');
      await expectNothingConnected(env.hub, admin, organisationId, 'pagerduty', { attemptEnded: false });
      expect(await sandboxRequests(pd(), { method: 'POST', pathPrefix: '/oauth/token' })).toEqual([]);
    });

    it('a replayed reply → state_reused: one token exchange, the connection unchanged', async () => {
      const { admin } = org;
      const { callbackUrl } = await authorizeAndConsent(admin, 'pagerduty');
      const first = await deliverCallback(admin, callbackUrl);
      expect(first.attempt?.outcome).toBe('succeeded');
      const before = await admin.get('/api/connections');
      const rowsBefore = await env.hub.database.db.selectFrom('connections').selectAll().execute();

      // Reload / Back button: the same URL again. (A reused *code* cannot reach the provider
      // through the hub, because the state is one-time.)
      const second = await deliverCallback(admin, callbackUrl);
      expectFailed(second.attempt, 'state_reused', /already used/);
      expect(second.attempt!.id).not.toBe(first.attempt!.id);
      expect((await admin.get('/api/connections')).body).toEqual(before.body);
      expect(await env.hub.database.db.selectFrom('connections').selectAll().execute()).toEqual(rowsBefore);
      expect(await sandboxRequests(pd(), { method: 'POST', pathPrefix: '/oauth/token' })).toHaveLength(1);
      // The first attempt keeps its outcome.
      expect(await pending(admin, first.attempt!.id)).toBe('succeeded');
    });

    it('a replay after a failure → state_reused, still nothing connected', async () => {
      const { admin, organisationId } = org;
      const { callbackUrl, attemptId } = await authorizeAndConsent(admin, 'pagerduty', { decision: 'deny' });
      expect((await deliverCallback(admin, callbackUrl)).attempt).toMatchObject({ id: attemptId, code: 'access_denied' });
      const again = await deliverCallback(admin, callbackUrl);
      expectFailed(again.attempt, 'state_reused', /already used/);
      expect((await admin.get(`/api/connections/attempts/${attemptId}`)).body.attempt.code).toBe('access_denied');
      await expectNothingConnected(env.hub, admin, organisationId, 'pagerduty');
    });

    it('the same reply delivered twice at once (double click) → exactly one exchange, one success', async () => {
      const { admin, organisationId } = org;
      const { callbackUrl, attemptId } = await authorizeAndConsent(admin, 'pagerduty');
      const results = await Promise.all([deliverCallback(admin, callbackUrl), deliverCallback(admin, callbackUrl)]);
      const outcomes = results.map((result) => `${result.attempt?.outcome}:${result.attempt?.code}`).sort();
      expect(outcomes).toEqual(['failed:state_reused', 'succeeded:null']);
      expect(results.find((result) => result.attempt?.outcome === 'succeeded')!.attempt!.id).toBe(attemptId);
      expect(await sandboxRequests(pd(), { method: 'POST', pathPrefix: '/oauth/token' })).toHaveLength(1);
      expect(await connectionRows(env.hub, organisationId)).toHaveLength(1);
    });

    it('two Connect clicks coming back at once → one connection, the other already_connected', async () => {
      const { admin, organisationId } = org;
      const first = await authorizeAndConsent(admin, 'pagerduty');
      const second = await authorizeAndConsent(admin, 'pagerduty');
      const results = await Promise.all([deliverCallback(admin, first.callbackUrl), deliverCallback(admin, second.callbackUrl)]);
      expect(results.map((result) => `${result.attempt?.outcome}:${result.attempt?.code}`).sort()).toEqual([
        'failed:already_connected',
        'succeeded:null',
      ]);
      const rows = await connectionRows(env.hub, organisationId);
      expect(rows).toHaveLength(1);
      expect((await vaultEntries(env.hub, organisationId, 'connections')).every((entry) => entry.owner_id === rows[0]!.id)).toBe(true);
      expect((await connectionOf(admin, 'pagerduty')).status).toBe('connected');
    });

    it('an admin demoted to viewer before the reply arrives → not_admin, nothing connected', async () => {
      const { admin, organisationId } = org;
      const email = `demoted-${organisationId}@org.test`;
      const demoted = await createUser(admin, { email, role: 'admin', password: 'demoted admin password' });
      const other = client(env.hub);
      await login(other, email, 'demoted admin password');
      const { callbackUrl } = await authorizeAndConsent(other, 'pagerduty');
      expect((await admin.patch(`/api/users/${demoted.id}`, { role: 'viewer' })).status).toBe(200);
      const { attempt } = await deliverCallback(other, callbackUrl);
      expectFailed(attempt, 'not_admin', /Only admins can connect PagerDuty/);
      await expectNothingConnected(env.hub, admin, organisationId, 'pagerduty');
    });

    it('another admin’s session of the same organisation → state_other_session; the owner can still finish', async () => {
      const { admin, organisationId } = org;
      const otherEmail = `second-admin-${organisationId}@org.test`;
      await createUser(admin, { email: otherEmail, role: 'admin', password: 'second admin password' });
      const other = client(env.hub);
      await login(other, otherEmail, 'second admin password');

      const { callbackUrl, attemptId } = await authorizeAndConsent(admin, 'pagerduty');
      const stolen = await deliverCallback(other, callbackUrl);
      expectFailed(stolen.attempt, 'state_other_session', /another browser session/);
      await expectNothingConnected(env.hub, admin, organisationId, 'pagerduty', { attemptEnded: false });
      expect(await sandboxTokens(pd())).toEqual([]);
      // Attempts are private to whoever clicked: the other admin cannot read the original.
      expect((await other.get(`/api/connections/attempts/${attemptId}`)).status).toBe(404);

      // The reply was not burnt: the browser that clicked Connect completes it.
      const own = await deliverCallback(admin, callbackUrl);
      expect(own.attempt).toMatchObject({ id: attemptId, outcome: 'succeeded' });
    });

    it('the same person in a new session (logged out and in) → state_other_session', async () => {
      const { admin, organisationId, email, password } = org;
      const { callbackUrl, attemptId } = await authorizeAndConsent(admin, 'pagerduty');
      const relogged = client(env.hub);
      await login(relogged, email, password);
      expectFailed((await deliverCallback(relogged, callbackUrl)).attempt, 'state_other_session', /another browser session/);
      expect(await pending(admin, attemptId)).toBe('pending');
      await expectNothingConnected(env.hub, admin, organisationId, 'pagerduty', { attemptEnded: false });
    });

    it('a PagerDuty reply delivered to the Linear callback → state_wrong_provider', async () => {
      const { admin, organisationId } = org;
      const { callbackUrl, attemptId } = await authorizeAndConsent(admin, 'pagerduty');
      const { attempt } = await deliverCallback(admin, `${env.hub.url}/oauth/linear/callback${new URL(callbackUrl).search}`);
      expectFailed(attempt, 'state_wrong_provider', /different provider/);
      expect(attempt!.provider).toBe('linear');
      expect(await pending(admin, attemptId)).toBe('pending');
      await expectNothingConnected(env.hub, admin, organisationId, 'pagerduty', { attemptEnded: false });
      await expectNothingConnected(env.hub, admin, organisationId, 'linear', { attemptEnded: false });
      expect(await sandboxTokens(pd())).toEqual([]);
      expect(await sandboxTokens(linear())).toEqual([]);
    });
  });

  describe('the code exchange', () => {
    it('a PagerDuty code older than 30 s → code_rejected', async () => {
      const { admin, organisationId } = org;
      const { callbackUrl } = await authorizeAndConsent(admin, 'pagerduty');
      await sandboxControl(pd(), 'POST', '/_sandbox/clock', { advanceMs: 31_000 });
      const { attempt } = await deliverCallback(admin, callbackUrl);
      expectFailed(attempt, 'code_rejected', /30 seconds/);
      await expectNothingConnected(env.hub, admin, organisationId, 'pagerduty');
      const exchanges = await sandboxRequests(pd(), { method: 'POST', pathPrefix: '/oauth/token' });
      expect(exchanges.map((request) => request.status)).toEqual([400]);
      expect(await sandboxTokens(pd())).toEqual([]);
    });

    it('the token endpoint answers 500 → provider_unavailable', async () => {
      const { admin, organisationId } = org;
      const { callbackUrl } = await authorizeAndConsent(admin, 'pagerduty');
      await injectApiFaults(pd(), [{ kind: '500', count: 1, method: 'POST', pathPrefix: '/oauth/token' }]);
      const { attempt } = await deliverCallback(admin, callbackUrl);
      expectFailed(attempt, 'provider_unavailable', /500/);
      await expectNothingConnected(env.hub, admin, organisationId, 'pagerduty');
      expect(await sandboxTokens(pd())).toEqual([]);
    });
  });

  describe('after the exchange (PagerDuty cannot revoke: the hub only forgets the tokens)', () => {
    it('fewer scopes configured on the app → insufficient_scope naming the missing ones', async () => {
      const { admin, organisationId } = org;
      await sandboxControl(pd(), 'POST', '/_sandbox/clients', {
        clientId: 'integration-hub-sandbox',
        redirectUris: [`${env.hub.url}/oauth/pagerduty/callback`],
        scopes: ['services.read', 'incidents.read', 'webhook_subscriptions.read', 'users.read', 'priorities.read'],
      });
      const { attempt } = await connectProvider(admin, 'pagerduty');
      expectFailed(attempt, 'insufficient_scope', /incidents\.write/);
      expect(attempt!.message).toMatch(/webhook_subscriptions\.write/);
      expect(attempt!.message).not.toMatch(/Missing:.*services\.read/);
      await expectNothingConnected(env.hub, admin, organisationId, 'pagerduty');
      // The provider did issue one authorization (with the reduced scopes); the hub kept none of it.
      const issued = await sandboxTokens(pd());
      expect(new Set(issued.map((token) => token.family)).size).toBe(1);
      expect(issued[0]!.scopes).not.toContain('incidents.write');
    });

    it('a Responder authorizes → insufficient_role naming the roles that may connect', async () => {
      const { admin, organisationId } = org;
      const { attempt } = await connectProvider(admin, 'pagerduty', { account: 'acme', user: 'PUSR003' });
      expectFailed(attempt, 'insufficient_role', /Rita Responder/);
      expect(attempt!.message).toMatch(/Responder/);
      expect(attempt!.message).toMatch(/Manager, Admin or Global Admin/);
      await expectNothingConnected(env.hub, admin, organisationId, 'pagerduty');
      const issued = await sandboxTokens(pd());
      expect(new Set(issued.map((token) => token.family)).size).toBe(1);
      expect(issued.every((token) => token.user === 'PUSR003')).toBe(true);
    });

    it('a Manager may connect (the Manager role suffices)', async () => {
      const { admin } = org;
      const { attempt } = await connectProvider(admin, 'pagerduty', { account: 'acme', user: 'PUSR002' });
      expect(attempt?.outcome).toBe('succeeded');
      expect((await connectionOf(admin, 'pagerduty')).connectedAs).toMatchObject({ id: 'PUSR002', email: 'manager@acme.example' });
    });

    it('GET /users/me fails with a 5xx → provider_unavailable', async () => {
      const { admin, organisationId } = org;
      const { callbackUrl } = await authorizeAndConsent(admin, 'pagerduty');
      await injectApiFaults(pd(), [{ kind: '500', count: 1, method: 'GET', pathPrefix: '/users/me' }]);
      const { attempt } = await deliverCallback(admin, callbackUrl);
      expectFailed(attempt, 'provider_unavailable', /PagerDuty/);
      expect(attempt!.message).toMatch(/500/);
      await expectNothingConnected(env.hub, admin, organisationId, 'pagerduty');
    });
  });

  describe('wrong account on reconnect', () => {
    it('PagerDuty: a Disconnected connection on acme refuses globex, stays on acme, and resumes with acme', async () => {
      const { admin, organisationId } = org;
      expect((await connectProvider(admin, 'pagerduty')).attempt?.outcome).toBe('succeeded');
      const [original] = await connectionRows(env.hub, organisationId);

      // Access revoked on the PagerDuty side: the hub notices on its next call.
      await sandboxControl(pd(), 'POST', '/_sandbox/tokens/revoke', { all: true });
      const services = await admin.get('/api/connections/pagerduty/services');
      expect(services.status).toBe(409);
      expect(services.body.error.code).toBe('connection_disconnected');
      const disconnected = await connectionOf(admin, 'pagerduty');
      expect(disconnected.status).toBe('disconnected');

      const vaultEnvelopes = () =>
        env.hub.database.db.selectFrom('vault_secrets').select(['owner_id', 'field', 'envelope']).where('organisation_id', '=', organisationId)
          .where('owner_table', '=', 'connections').orderBy('field').execute();
      const tokensBefore = await vaultEnvelopes();
      const { attempt } = await connectProvider(admin, 'pagerduty', { account: 'globex', user: 'PUSR101' });
      expectFailed(attempt, 'wrong_account', /globex/);
      expect(attempt!.message).toMatch(/acme/);
      expect(attempt!.message).toMatch(/Disconnect/);
      // Still the same Disconnected connection on acme, with its reason; no globex token kept.
      expect(await connectionOf(admin, 'pagerduty')).toEqual(disconnected);
      expect(await vaultEnvelopes()).toEqual(tokensBefore);

      const again = await connectProvider(admin, 'pagerduty', { account: 'acme' });
      expect(again.attempt?.outcome).toBe('succeeded');
      const resumed = await connectionOf(admin, 'pagerduty');
      expect(resumed).toMatchObject({ status: 'connected', statusReason: null, account: { id: disconnected.account!.id, name: 'acme' } });
      const [row] = await connectionRows(env.hub, organisationId);
      expect(row!.id).toBe(original!.id);
      expect((await admin.get('/api/connections/pagerduty/services')).body.services).toHaveLength(32);
    });

    it('Linear: a Disconnected Acme workspace refuses Globex, and the Globex authorization is revoked', async () => {
      const { admin, organisationId } = org;
      expect((await connectProvider(admin, 'pagerduty')).attempt?.outcome).toBe('succeeded');
      expect((await connectProvider(admin, 'linear')).attempt?.outcome).toBe('succeeded');
      await sandboxControl(linear(), 'POST', '/_sandbox/tokens/revoke', { all: true });
      expect((await admin.get('/api/connections/linear/teams')).body.error?.code).toBe('connection_disconnected');
      const disconnected = await connectionOf(admin, 'linear');
      expect(disconnected.status).toBe('disconnected');

      const { attempt } = await connectProvider(admin, 'linear', {
        account: SEED_IDS.globex.organization,
        user: SEED_IDS.globex.admin,
      });
      expectFailed(attempt, 'wrong_account', /Globex/);
      expect(await connectionOf(admin, 'linear')).toEqual(disconnected);
      // No half-made connection: the unused Globex authorization was given back to Linear.
      const globexTokens = (await sandboxTokens(linear())).filter((token) => token.account === SEED_IDS.globex.organization);
      expect(globexTokens.length).toBeGreaterThan(0);
      expect(globexTokens.every((token) => token.revoked)).toBe(true);
      expect((await connectionRows(env.hub, organisationId)).find((row) => row.provider === 'linear')?.status).toBe('disconnected');
    });
  });
});

/**
 * Failures that need a hub of their own: a hand-moved clock (the 10-minute attempt lifetime),
 * a 1-second provider timeout, and PagerDuty's identity server unreachable.
 */
describe.each(testDialects())('Connect failures needing their own hub on %s', (dialect) => {
  describe('with a manual clock and PROVIDER_TIMEOUT_SECONDS=1', () => {
    let env: HubWithSandbox;
    const clock = new ManualClock(Date.now());
    let admin: HubClient;
    let organisationId: string;

    beforeAll(async () => {
      env = await startHubWithSandbox(dialect, { PROVIDER_TIMEOUT_SECONDS: '1' }, { clock });
      ({ admin, organisationId } = await firstOrganisation(env.hub));
    });
    afterAll(async () => env?.close());
    beforeEach(async () => {
      await resetSandbox(env.sandbox, env.hub.url);
      await forgetConnections(env.hub, organisationId);
    });

    it('a reply more than 10 minutes after Connect → state_expired', async () => {
      const { callbackUrl } = await authorizeAndConsent(admin, 'pagerduty');
      clock.advance(10 * 60_000 + 1_000);
      const { attempt } = await deliverCallback(admin, callbackUrl);
      expectFailed(attempt, 'state_expired', /10 minutes/);
      await expectNothingConnected(env.hub, admin, organisationId, 'pagerduty');
      expect(await sandboxRequests(env.sandbox.pagerdutyUrl, { method: 'POST', pathPrefix: '/oauth/token' })).toEqual([]);
    });

    it('the token endpoint does not answer → token_exchange_timeout, within about the timeout', async () => {
      const { callbackUrl } = await authorizeAndConsent(admin, 'pagerduty');
      await injectApiFaults(env.sandbox.pagerdutyUrl, [{ kind: 'timeout', count: 1, method: 'POST', pathPrefix: '/oauth/token' }]);
      const started = Date.now();
      const { attempt } = await deliverCallback(admin, callbackUrl);
      expect(Date.now() - started).toBeLessThan(5_000);
      expectFailed(attempt, 'token_exchange_timeout', /in time/);
      await expectNothingConnected(env.hub, admin, organisationId, 'pagerduty');
      expect(await sandboxTokens(env.sandbox.pagerdutyUrl)).toEqual([]);
    });

    it('just under 10 minutes is still accepted', async () => {
      const { callbackUrl } = await authorizeAndConsent(admin, 'pagerduty');
      clock.advance(10 * 60_000 - 1_000);
      expect((await deliverCallback(admin, callbackUrl)).attempt?.outcome).toBe('succeeded');
    });
  });

  describe('with PagerDuty’s identity server unreachable', () => {
    let sandbox: RunningSandbox;
    let closedHub: TestHub;

    beforeAll(async () => {
      sandbox = await startSandbox({ host: '127.0.0.1', pagerdutyPort: await freePort(), linearPort: await freePort() });
      closedHub = await startTestHub(dialect, {
        ...vendorEnvFor(sandbox),
        PAGERDUTY_IDENTITY_URL: `http://127.0.0.1:${await freePort()}`,
      });
    });
    afterAll(async () => {
      await closedHub?.close();
      await sandbox?.close();
    });

    it('Connect still answers a URL; the callback ends in provider_unavailable', async () => {
      const admin = client(closedHub);
      const organisationId = (await setupFirstAdmin(admin)).organisation.id;
      const started = await admin.post<AuthorizeResponse>('/api/connections/pagerduty/authorize', {});
      expect(started.status).toBe(200);
      const authorizationUrl = new URL(started.body.authorizationUrl);
      expect(authorizationUrl.origin).toBe(closedHub.config.providers.pagerduty.identityUrl);
      const state = authorizationUrl.searchParams.get('state')!;
      // The browser cannot open that page; play a reply by hand.
      const { attempt } = await deliverCallback(admin, `${closedHub.url}/oauth/pagerduty/callback?code=any-code&state=${encodeURIComponent(state)}`);
      expectFailed(attempt, 'provider_unavailable', /could not be reached/);
      expect(attempt!.id).toBe(started.body.attemptId);
      await expectNothingConnected(closedHub, admin, organisationId, 'pagerduty');
    });
  });
});

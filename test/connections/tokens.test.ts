/**
 * Token lifecycle of connections (SPEC §2 item 9, src/connections/tokens.ts): proactive refresh,
 * refresh on 401, exactly one refresh for a burst of callers, rotation persisted, revoked and
 * expired authorizations disconnect with the right reason, transient failures back off and
 * never disconnect. One hub process (per dialect), reset between tests; the two-process case is
 * tokens-processes.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { ConnectionView, Provider } from '../../src/api/index.js';
import type { Selectable } from 'kysely';
import { tokenRef } from '../../src/connections/connection.js';
import type { ConnectionsTable } from '../../src/db/tables.js';
import { client, setupFirstAdmin, type HubClient } from '../helpers/client.js';
import {
  advanceSandboxClock,
  connectProvider,
  injectApiFaults,
  presentRefreshToken,
  refreshGrants,
  resetConnectionsState,
  sandboxControl,
  sandboxSettings,
  sandboxTokens,
  startHubWithSandbox,
  TOKEN_DAY_MS,
  tokenRequests,
  type HubWithSandbox,
} from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';

const MINUTE = 60_000;
/**
 * The hub's clock moves by days here: keep the admin's session alive meanwhile. The connection
 * keeper's timer is off, so every refresh counted here is caused by the calls the test makes.
 */
const HUB_ENV = { SESSION_TTL_HOURS: String(24 * 90), CONNECTION_CHECK_INTERVAL_SECONDS: '0' };

interface Setup extends HubWithSandbox {
  clock: ManualClock;
  admin: HubClient;
}

describe.each(testDialects())('connection tokens on %s', (dialect) => {
  /** One hub and its stand-ins for the suite (a log-in costs a deliberately slow hash); reset before each test. */
  let shared: Setup | undefined;
  /** A hub of its own, for a test that needs other settings. */
  let own: Setup | undefined;
  beforeAll(async () => {
    shared = await startSetup();
  });
  afterAll(async () => shared?.close());
  afterEach(async () => {
    await own?.close();
    own = undefined;
  });

  /** A hub on a ManualClock (starting at real time) and its stand-ins, its first admin logged in. */
  async function startSetup(env: Record<string, string> = {}): Promise<Setup> {
    const clock = new ManualClock(Date.now());
    const started = await startHubWithSandbox(dialect, { ...HUB_ENV, ...env }, { clock });
    const admin = client(started.hub);
    try {
      await setupFirstAdmin(admin);
    } catch (error) {
      await started.close();
      throw error;
    }
    return { ...started, clock, admin };
  }

  /**
   * The suite's hub reset (or, with `env`, a new hub with those settings), `before` run, then
   * the providers connected.
   */
  async function setup(
    providers: Provider[],
    options: { env?: Record<string, string>; before?: (s: Setup) => Promise<void> } = {},
  ): Promise<Setup> {
    let s: Setup;
    if (options.env === undefined) {
      s = shared!;
      await resetConnectionsState(s);
    } else {
      s = own = await startSetup(options.env);
    }
    await options.before?.(s);
    for (const provider of providers) {
      const { attempt } = await connectProvider(s.admin, provider);
      expect(attempt?.outcome, attempt?.message ?? 'no attempt').toBe('succeeded');
    }
    return s;
  }

  const baseOf = (s: Setup, provider: Provider) => (provider === 'pagerduty' ? s.sandbox.pagerdutyUrl : s.sandbox.linearUrl);

  /** The stored row as it is (tests read the table itself). */
  async function row(s: Setup, provider: Provider): Promise<Selectable<ConnectionsTable>> {
    return s.hub.database.db.selectFrom('connections').selectAll().where('provider', '=', provider).executeTakeFirstOrThrow();
  }

  async function connectionRef(s: Setup, provider: Provider): Promise<{ id: string; organisationId: string }> {
    const { id, organisation_id: organisationId } = await row(s, provider);
    return { id, organisationId };
  }

  async function storedToken(s: Setup, provider: Provider, field: 'access_token' | 'refresh_token'): Promise<string | undefined> {
    return s.hub.hub.deps.vault.get(s.hub.database.db, tokenRef(await connectionRef(s, provider), field));
  }

  /** The hub's hub_token_refreshes_total counter, by outcome (refreshed, rejected, failed). */
  async function refreshMetric(s: Setup, outcome: 'refreshed' | 'rejected' | 'failed'): Promise<number> {
    const { values } = await s.hub.hub.deps.metrics.tokenRefreshes.get();
    return values.filter((value) => value.labels.outcome === outcome).reduce((sum, value) => sum + value.value, 0);
  }

  async function card(s: Setup, provider: Provider): Promise<ConnectionView> {
    const response = await s.admin.get<{ connections: ConnectionView[] }>('/api/connections');
    expect(response.status).toBe(200);
    return response.body.connections.find((connection) => connection.provider === provider)!;
  }

  /** GET the provider's resource list through the hub (PagerDuty services, Linear teams). */
  const resources = (s: Setup, provider: Provider) =>
    s.admin.get(provider === 'pagerduty' ? '/api/connections/pagerduty/services' : '/api/connections/linear/teams');

  async function expectResourcesLoad(s: Setup, provider: Provider): Promise<void> {
    const response = await resources(s, provider);
    expect(response.status, response.text).toBe(200);
    if (provider === 'pagerduty') expect(response.body.services).toHaveLength(32); // two pages at the stand-in
    else expect(response.body.teams.length).toBeGreaterThan(0);
  }

  it('refreshes proactively within 5 minutes of expiry, once, and stores the rotated refresh token', async () => {
    const s = await setup(['pagerduty']);
    const pd = s.sandbox.pagerdutyUrl;
    const connected = await row(s, 'pagerduty');
    expect(connected.access_token_expires_at).toBe(s.clock.now() + TOKEN_DAY_MS); // expires_in 86400
    const firstRefreshToken = await storedToken(s, 'pagerduty', 'refresh_token');
    expect(firstRefreshToken).toMatch(/^pdus\+_1/);

    // Not yet due: no refresh.
    s.clock.advance(TOKEN_DAY_MS - 6 * MINUTE);
    await expectResourcesLoad(s, 'pagerduty');
    expect(await refreshGrants(pd)).toHaveLength(0);

    // Within the 5-minute margin: exactly one refresh_token grant, with the stored refresh token.
    s.clock.advance(2 * MINUTE);
    await expectResourcesLoad(s, 'pagerduty');
    const grants = await refreshGrants(pd);
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ status: 200, body: { grant_type: 'refresh_token', refresh_token: firstRefreshToken } });

    // The new pair is stored, with the new expiry and version; the old refresh token is dead.
    const refreshed = await row(s, 'pagerduty');
    expect(refreshed).toMatchObject({ status: 'connected', token_version: connected.token_version + 1, refresh_failures: 0, refresh_retry_at: null });
    expect(refreshed.refresh_lease_owner).toBeNull();
    expect(refreshed.access_token_expires_at).toBe(s.clock.now() + TOKEN_DAY_MS);
    // (The stand-in leaves the old access token valid until it expires; only refresh tokens rotate out.)
    const tokens = await sandboxTokens(pd);
    const liveRefresh = tokens.filter((token) => token.kind === 'refresh' && !token.revoked);
    expect(liveRefresh).toHaveLength(1);
    const secondRefreshToken = await storedToken(s, 'pagerduty', 'refresh_token');
    expect(secondRefreshToken).toBe(liveRefresh[0]!.value);
    expect(await storedToken(s, 'pagerduty', 'access_token')).toBe(tokens.filter((token) => token.kind === 'access').at(-1)!.value);
    expect(tokens.find((token) => token.value === firstRefreshToken)?.revoked).toBe(true);

    // Later calls use the new token without refreshing again.
    await expectResourcesLoad(s, 'pagerduty');
    expect(await refreshGrants(pd)).toHaveLength(1);

    // A day later the stored (rotated) refresh token works: a second refresh.
    s.clock.advance(TOKEN_DAY_MS - 2 * MINUTE);
    await expectResourcesLoad(s, 'pagerduty');
    const after = await refreshGrants(pd);
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({ status: 200, body: { refresh_token: secondRefreshToken } });
    expect((await row(s, 'pagerduty')).token_version).toBe(connected.token_version + 2);

    // The first refresh token really is invalid at the provider (rotation).
    const replay = await presentRefreshToken(pd, firstRefreshToken!);
    expect(replay).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  });

  it('refreshes once when the provider refuses an expired token the hub thought valid (PagerDuty and Linear)', async () => {
    const s = await setup(['pagerduty', 'linear']);
    await expectResourcesLoad(s, 'pagerduty');
    await expectResourcesLoad(s, 'linear');
    const before = { pagerduty: await row(s, 'pagerduty'), linear: await row(s, 'linear') };

    await advanceSandboxClock(s.sandbox, TOKEN_DAY_MS + MINUTE); // the hub's clock does not move
    for (const provider of ['pagerduty', 'linear'] as const) {
      await expectResourcesLoad(s, provider);
      const grants = await refreshGrants(baseOf(s, provider));
      expect(grants, provider).toHaveLength(1);
      expect(grants[0]!.status).toBe(200);
      const after = await row(s, provider);
      expect(after.status).toBe('connected');
      expect(after.token_version).toBe(before[provider].token_version + 1);
      // The refresh did not wait for the hub's clock: the new expiry counts from the hub's now.
      expect(after.access_token_expires_at).toBeGreaterThan(s.clock.now() + TOKEN_DAY_MS - 2 * MINUTE);
      await expectResourcesLoad(s, provider);
      expect(await refreshGrants(baseOf(s, provider)), provider).toHaveLength(1);
    }
    // PagerDuty refused the old token once, then accepted the new one.
    const services = await sandboxControl<{ requests: Array<{ status: number }> }>(
      s.sandbox.pagerdutyUrl,
      'GET',
      '/_sandbox/requests?method=GET&pathPrefix=/services',
    );
    expect(services.requests.filter((request) => request.status === 401)).toHaveLength(1);
  });

  it('50 concurrent calls at the moment of expiry send exactly one refresh request, and all succeed', async () => {
    const s = await setup(['pagerduty']);
    await expectResourcesLoad(s, 'pagerduty');
    await advanceSandboxClock(s.sandbox, TOKEN_DAY_MS + MINUTE);

    const startedAt = performance.now();
    const responses = await Promise.all(Array.from({ length: 50 }, () => resources(s, 'pagerduty')));
    const elapsedMs = Math.round(performance.now() - startedAt);

    const failures = responses.filter((response) => response.status !== 200).map((response) => `${response.status} ${response.text}`);
    expect(failures).toEqual([]);
    for (const response of responses) expect(response.body.services).toHaveLength(32);
    const grants = await refreshGrants(s.sandbox.pagerdutyUrl);
    expect(grants).toHaveLength(1);
    expect(grants[0]!.status).toBe(200);
    expect(await refreshMetric(s, 'refreshed')).toBe(1);
    expect((await row(s, 'pagerduty'))).toMatchObject({ status: 'connected', token_version: 1, refresh_lease_owner: null });
    const refused = (await sandboxControl<{ requests: Array<{ status: number }> }>(s.sandbox.pagerdutyUrl, 'GET', '/_sandbox/requests?method=GET&pathPrefix=/services')).requests.filter(
      (request) => request.status === 401,
    ).length;
    process.stdout.write(`[tokens ${dialect}] 50-call burst after expiry: ${elapsedMs} ms, 1 refresh, ${refused} calls refused with 401 before it\n`);

    // The same burst when the hub itself sees the token due (proactive path): one more refresh.
    s.clock.advance(TOKEN_DAY_MS - 2 * MINUTE);
    const proactiveStart = performance.now();
    const proactive = await Promise.all(Array.from({ length: 50 }, () => resources(s, 'pagerduty')));
    const proactiveMs = Math.round(performance.now() - proactiveStart);
    expect(proactive.filter((response) => response.status !== 200).map((response) => response.text)).toEqual([]);
    expect((await refreshGrants(s.sandbox.pagerdutyUrl)).map((grant) => grant.status)).toEqual([200, 200]);
    expect(await refreshMetric(s, 'refreshed')).toBe(2);
    process.stdout.write(`[tokens ${dialect}] 50-call burst inside the refresh margin: ${proactiveMs} ms, 1 refresh\n`);
  });

  it('50 concurrent calls after a revocation try the refresh token once, and all answer 409', async () => {
    const s = await setup(['pagerduty']);
    await expectResourcesLoad(s, 'pagerduty');
    await sandboxControl(s.sandbox.pagerdutyUrl, 'POST', '/_sandbox/tokens/revoke', { all: true });
    const responses = await Promise.all(Array.from({ length: 50 }, () => resources(s, 'pagerduty')));
    expect(responses.map((response) => `${response.status} ${response.body?.error?.code}`)).toEqual(Array(50).fill('409 connection_disconnected'));
    expect((await refreshGrants(s.sandbox.pagerdutyUrl)).map((grant) => grant.status)).toEqual([400]);
    expect((await card(s, 'pagerduty')).statusReason?.code).toBe('access_revoked');
  });

  it('a token endpoint refusing the client (invalid_client: wrong client secret) backs off and never disconnects', async () => {
    const s = await setup(['pagerduty']);
    const pd = s.sandbox.pagerdutyUrl;
    const redirectUris = [`${s.hub.url}/oauth/pagerduty/callback`];
    await sandboxControl(pd, 'POST', '/_sandbox/clients', { clientId: 'integration-hub-sandbox', redirectUris, clientSecret: 'rotated-by-the-operator' });
    await advanceSandboxClock(s.sandbox, TOKEN_DAY_MS + MINUTE);

    const failed = await resources(s, 'pagerduty');
    expect(failed.status, failed.text).toBe(503);
    expect(failed.body.error.code).toBe('provider_unavailable');
    expect(failed.body.error.message).toContain('invalid_client'); // the operator can tell what is wrong
    expect((await tokenRequests(pd, 'refresh_token')).map((request) => request.status)).toEqual([401]);
    const backingOff = await row(s, 'pagerduty');
    expect(backingOff).toMatchObject({ status: 'connected', refresh_failures: 1 });
    expect((await card(s, 'pagerduty')).status).toBe('connected');

    // The operator fixes the secret; after the back-off the refresh goes through.
    await sandboxControl(pd, 'POST', '/_sandbox/clients', { clientId: 'integration-hub-sandbox', redirectUris, clientSecret: 'integration-hub-sandbox-secret' });
    s.clock.set(backingOff.refresh_retry_at! + 1);
    await expectResourcesLoad(s, 'pagerduty');
    expect((await tokenRequests(pd, 'refresh_token')).map((request) => request.status)).toEqual([401, 200]);
  });

  it('a revoked authorization disconnects with access_revoked, and reconnecting resumes (PagerDuty and Linear)', async () => {
    const s = await setup(['pagerduty', 'linear']);
    const names = { pagerduty: 'PagerDuty', linear: 'Linear' } as const;
    for (const provider of ['pagerduty', 'linear'] as const) {
      await expectResourcesLoad(s, provider);
      await sandboxControl(baseOf(s, provider), 'POST', '/_sandbox/tokens/revoke', { all: true });

      const refused = await resources(s, provider);
      expect(refused.status, provider).toBe(409);
      expect(refused.body.error.code).toBe('connection_disconnected');
      expect(refused.body.error.message).toMatch(/revoked/i);
      // It tried the refresh token once (a 401 alone is not proof of revocation).
      expect((await refreshGrants(baseOf(s, provider))).map((grant) => grant.status)).toEqual([400]);

      const view = await card(s, provider);
      expect(view.status).toBe('disconnected');
      expect(view.statusReason?.code).toBe('access_revoked');
      expect(view.statusReason?.message).toMatch(/revoked/i);
      expect(view.statusReason?.message).toContain(`Reconnect ${names[provider]}`);
      // Further calls do not hammer the provider: the connection is paused.
      const again = await resources(s, provider);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('connection_disconnected');
      expect(await refreshGrants(baseOf(s, provider))).toHaveLength(1);
    }
    expect(await refreshMetric(s, 'rejected')).toBe(2);

    // Reconnect resumes the same connections (PagerDuty first: Linear is connected after it).
    for (const provider of ['pagerduty', 'linear'] as const) {
      const before = await row(s, provider);
      const { attempt } = await connectProvider(s.admin, provider);
      expect(attempt?.outcome, attempt?.message ?? '').toBe('succeeded');
      const resumed = await card(s, provider);
      expect(resumed.status).toBe('connected');
      expect(resumed.statusReason).toBeNull();
      expect((await row(s, provider)).id).toBe(before.id);
      await expectResourcesLoad(s, provider);
    }
  });

  it('a token refused again right after refreshing disconnects with unauthorized_after_refresh, after one refresh', async () => {
    const s = await setup(['pagerduty']);
    const pd = s.sandbox.pagerdutyUrl;
    // From now on the stand-in mints access tokens that are dead on arrival.
    await sandboxSettings(pd, { accessTokenTtlMs: 1 });
    await advanceSandboxClock(s.sandbox, TOKEN_DAY_MS + MINUTE);

    const responses = await Promise.all(Array.from({ length: 10 }, () => resources(s, 'pagerduty')));
    expect(responses.map((response) => `${response.status} ${response.body?.error?.code}`)).toEqual(Array(10).fill('409 connection_disconnected'));
    expect((await refreshGrants(pd)).map((grant) => grant.status)).toEqual([200]);
    const view = await card(s, 'pagerduty');
    expect(view.status).toBe('disconnected');
    expect(view.statusReason?.code).toBe('unauthorized_after_refresh');
    expect(view.statusReason?.message).toContain('Reconnect PagerDuty');
  });

  it('a refresh token that expired too disconnects with refresh_failed (PagerDuty and Linear)', async () => {
    const s = await setup(['pagerduty', 'linear'], {
      before: async (hub) => {
        // Lifetimes apply to tokens issued from now on: short-lived refresh tokens for this connection.
        await sandboxSettings(hub.sandbox.pagerdutyUrl, { refreshTokenTtlMs: 10 * MINUTE });
        await sandboxSettings(hub.sandbox.linearUrl, { refreshTokenTtlMs: 10 * MINUTE });
      },
    });
    await advanceSandboxClock(s.sandbox, 11 * MINUTE); // refresh tokens dead, access tokens still live
    s.clock.advance(TOKEN_DAY_MS + MINUTE); // the hub sees its access tokens expired

    for (const provider of ['pagerduty', 'linear'] as const) {
      const response = await resources(s, provider);
      expect(response.status, provider).toBe(409);
      expect(response.body.error.code).toBe('connection_disconnected');
      const grants = await refreshGrants(baseOf(s, provider));
      expect(grants.map((grant) => grant.status), provider).toEqual([400]);
      const view = await card(s, provider);
      expect(view.status).toBe('disconnected');
      expect(view.statusReason?.code).toBe('refresh_failed');
      expect(view.statusReason?.message).toContain('token expired and could not be refreshed');
    }
  });

  it('a 500 from the token endpoint answers 503, keeps the connection, backs off, and a later call refreshes', async () => {
    const s = await setup(['pagerduty']);
    const pd = s.sandbox.pagerdutyUrl;
    await advanceSandboxClock(s.sandbox, TOKEN_DAY_MS + MINUTE);
    await injectApiFaults(pd, [{ kind: '500', count: 1, method: 'POST', pathPrefix: '/oauth/token' }]);

    const failed = await resources(s, 'pagerduty');
    expect(failed.status, failed.text).toBe(503);
    expect(failed.body.error.code).toBe('provider_unavailable');
    expect((await tokenRequests(pd)).filter((request) => request.status === 500)).toHaveLength(1);
    const backingOff = await row(s, 'pagerduty');
    expect(backingOff).toMatchObject({ status: 'connected', refresh_failures: 1, refresh_lease_owner: null });
    expect(backingOff.refresh_retry_at).toBeGreaterThan(s.clock.now());
    expect((await card(s, 'pagerduty')).status).toBe('connected');

    // While backing off, no token request is sent; the answer says when to come back.
    const waiting = await resources(s, 'pagerduty');
    expect(waiting.status).toBe(503);
    expect(waiting.body.error.code).toBe('provider_unavailable');
    expect(Number(waiting.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await tokenRequests(pd, 'refresh_token')).toHaveLength(0);
    expect((await tokenRequests(pd)).length).toBe(2); // the code exchange and the faulted call

    // Past refresh_retry_at (the fault is used up): the next call refreshes and succeeds.
    s.clock.set(backingOff.refresh_retry_at! + 1);
    await expectResourcesLoad(s, 'pagerduty');
    expect((await refreshGrants(pd)).map((grant) => grant.status)).toEqual([200]);
    expect(await row(s, 'pagerduty')).toMatchObject({ status: 'connected', token_version: 1, refresh_failures: 0, refresh_retry_at: null });
    expect(s.hub.logs.text).toContain('token refresh failed; backing off');
  });

  it('a token endpoint that does not answer (timeout) answers 503, never disconnects, and recovers', async () => {
    const s = await setup(['pagerduty'], { env: { PROVIDER_TIMEOUT_SECONDS: '1' } });
    const pd = s.sandbox.pagerdutyUrl;
    await advanceSandboxClock(s.sandbox, TOKEN_DAY_MS + MINUTE);
    await injectApiFaults(pd, [{ kind: 'timeout', count: 1, method: 'POST', pathPrefix: '/oauth/token' }]);

    const startedAt = performance.now();
    const failed = await resources(s, 'pagerduty');
    const elapsedMs = performance.now() - startedAt;
    expect(failed.status, failed.text).toBe(503);
    expect(failed.body.error.code).toBe('provider_unavailable');
    expect(failed.body.error.message).toMatch(/did not answer within 1 s/);
    expect(elapsedMs).toBeGreaterThanOrEqual(900);
    expect(elapsedMs).toBeLessThan(5_000);
    const backingOff = await row(s, 'pagerduty');
    expect(backingOff).toMatchObject({ status: 'connected', refresh_failures: 1, refresh_lease_owner: null });
    expect((await card(s, 'pagerduty')).status).toBe('connected');

    s.clock.set(backingOff.refresh_retry_at! + 1);
    await expectResourcesLoad(s, 'pagerduty');
    expect((await refreshGrants(pd)).map((grant) => grant.status)).toEqual([200]);
    expect((await row(s, 'pagerduty')).status).toBe('connected');
  });

  it('a proactive refresh that fails transiently backs off and keeps using the still-valid token', async () => {
    const s = await setup(['pagerduty']);
    const pd = s.sandbox.pagerdutyUrl;
    s.clock.advance(TOKEN_DAY_MS - 2 * MINUTE); // due for refresh, not expired anywhere
    await injectApiFaults(pd, [{ kind: '500', count: 1, method: 'POST', pathPrefix: '/oauth/token' }]);

    const first = await resources(s, 'pagerduty');
    const afterFirst = await row(s, 'pagerduty');
    expect(afterFirst).toMatchObject({ status: 'connected', refresh_failures: 1 });
    // Backing off: the old token is used while it lasts.
    await expectResourcesLoad(s, 'pagerduty');
    expect(await tokenRequests(pd, 'refresh_token')).toHaveLength(0);
    s.clock.set(afterFirst.refresh_retry_at! + 1);
    await expectResourcesLoad(s, 'pagerduty');
    expect((await refreshGrants(pd)).map((grant) => grant.status)).toEqual([200]);
    // The call that hit the failed refresh: the token was still valid, so the call need not fail.
    // (Fails while ConnectionTokens.fresh rethrows a transient error of a proactive refresh, even
    // though the token it meant to replace still works for minutes; see the contract's
    // "use the old token while it lasts".)
    expect(first.status, `first call during a failed proactive refresh: ${first.text}`).toBe(200);
  });
});

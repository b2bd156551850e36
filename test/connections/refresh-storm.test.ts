/**
 * Refresh pacing (issue 14 item 1, src/connections/refresh-policy.ts): with access tokens that
 * live less than the 5-minute refresh margin the hub once refreshed without pause (~380/s, one
 * call hanging for minutes), started by the connection keeper with nobody acting. Now the
 * margin scales with the token's lifetime, a freshly refreshed token is used, refreshes are
 * rate-limited per connection, and a provider that keeps issuing unusable tokens ends in
 * Disconnected (`token_lifetime_too_short`). The hub's clock and the stand-ins' clock move
 * together here; the keeper's timer is off, its passes are run by hand.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { ConnectionView, Provider } from '../../src/api/index.js';
import { MIN_REFRESH_INTERVAL_MS, UNUSABLE_TOKEN_LIMIT } from '../../src/connections/refresh-policy.js';
import { client, setupFirstAdmin, type HubClient } from '../helpers/client.js';
import {
  advanceSandboxClock,
  connectProvider,
  refreshGrants,
  resetConnectionsState,
  sandboxRequests,
  sandboxSettings,
  startHubWithSandbox,
  TOKEN_DAY_MS,
  type HubWithSandbox,
} from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const PROVIDERS = ['pagerduty', 'linear'] as const;
const HUB_ENV = { SESSION_TTL_HOURS: String(24 * 90), CONNECTION_CHECK_INTERVAL_SECONDS: '0' };

interface Setup extends HubWithSandbox {
  clock: ManualClock;
  admin: HubClient;
}

describe.each(testDialects())('token refresh pacing on %s', (dialect) => {
  let s: Setup;
  beforeAll(async () => {
    const clock = new ManualClock(Date.now());
    const started = await startHubWithSandbox(dialect, HUB_ENV, { clock });
    s = { ...started, clock, admin: client(started.hub) };
    await setupFirstAdmin(s.admin);
  });
  afterAll(async () => s?.close());

  beforeEach(async () => resetConnectionsState(s));

  const baseOf = (provider: Provider) => (provider === 'pagerduty' ? s.sandbox.pagerdutyUrl : s.sandbox.linearUrl);

  /** Access tokens issued from now on live `ms` at both stand-ins. */
  async function accessTokenLifetime(ms: number): Promise<void> {
    for (const provider of PROVIDERS) await sandboxSettings(baseOf(provider), { accessTokenTtlMs: ms });
  }

  async function connectBoth(): Promise<void> {
    for (const provider of PROVIDERS) {
      const { attempt } = await connectProvider(s.admin, provider);
      expect(attempt?.outcome, attempt?.message ?? 'no attempt').toBe('succeeded');
    }
  }

  /** Both clocks forward by `ms`. */
  async function elapse(ms: number): Promise<void> {
    s.clock.advance(ms);
    await advanceSandboxClock(s.sandbox, ms);
  }

  /** GET the provider's resource list through the hub (PagerDuty services, Linear teams). */
  const resources = (provider: Provider) =>
    s.admin.get(provider === 'pagerduty' ? '/api/connections/pagerduty/services' : '/api/connections/linear/teams');

  const row = (provider: Provider) =>
    s.hub.database.db.selectFrom('connections').selectAll().where('provider', '=', provider).executeTakeFirstOrThrow();

  async function card(provider: Provider): Promise<ConnectionView> {
    const response = await s.admin.get<{ connections: ConnectionView[] }>('/api/connections');
    return response.body.connections.find((connection) => connection.provider === provider)!;
  }

  /** hub_token_refreshes_total by outcome, or hub_connections_lost_total by reason. */
  async function metric(name: 'tokenRefreshes' | 'connectionsLost', label: string): Promise<number> {
    const { values } = await s.hub.hub.deps.metrics[name].get();
    const labelled = values as Array<{ labels: Record<string, string | number | undefined>; value: number }>;
    return labelled
      .filter((value) => (name === 'tokenRefreshes' ? value.labels.outcome : value.labels.reason) === label)
      .reduce((sum, value) => sum + value.value, 0);
  }

  it('60 s tokens: 10 minutes of keeper passes and calls refresh 12 times, never at once, and every call succeeds', async () => {
    await accessTokenLifetime(60 * SECOND);
    await connectBoth();
    // The stated lifetime is kept (PagerDuty says expires_in 60, Linear a second less).
    expect((await row('pagerduty')).access_token_lifetime_ms).toBe(60 * SECOND);
    expect((await row('linear')).access_token_lifetime_ms).toBe(59 * SECOND);

    // Nobody acting for 5 minutes: only the keeper, a pass every 10 s (this used to start the storm).
    for (let pass = 0; pass < 30; pass++) {
      await elapse(10 * SECOND);
      await s.hub.hub.keeper.runOnce();
    }
    const byKeeper = { pagerduty: (await refreshGrants(baseOf('pagerduty'))).length, linear: (await refreshGrants(baseOf('linear'))).length };

    // 5 more minutes of calls every 10 s, with keeper passes between them.
    const failed: string[] = [];
    for (let step = 0; step < 30; step++) {
      await elapse(10 * SECOND);
      for (const provider of PROVIDERS) {
        const response = await resources(provider);
        if (response.status !== 200) failed.push(`${provider} ${response.status} ${response.text}`);
      }
      await s.hub.hub.keeper.runOnce();
    }
    expect(failed).toEqual([]);

    let total = 0;
    for (const provider of PROVIDERS) {
      const grants = await refreshGrants(baseOf(provider));
      process.stdout.write(`[refresh-storm ${dialect}] ${provider}, 60 s tokens: ${byKeeper[provider]} refreshes in 5 min of keeper passes, ${grants.length} in 10 min\n`);
      // Refreshed when a quarter of the lifetime remains (here, at the first 10 s step past it): every 50 s.
      expect(byKeeper[provider], provider).toBe(6);
      expect(grants.length, provider).toBe(12);
      expect(grants.every((grant) => grant.status === 200)).toBe(true);
      // Each call carried a live token: nothing was refused.
      const refused = (await sandboxRequests(baseOf(provider))).filter((request) => request.status === 401);
      expect(refused, provider).toEqual([]);
      expect(await row(provider)).toMatchObject({ status: 'connected', short_lived_tokens: 0, refresh_failures: 0 });
      total += grants.length;
    }
    expect(await metric('tokenRefreshes', 'refreshed')).toBe(total);
    expect(await metric('tokenRefreshes', 'throttled')).toBe(0);
    expect(s.hub.logs.lines.filter((line) => line.includes('token refreshed'))).toHaveLength(total);
  });

  it('tokens that live 2 s: Disconnected (token_lifetime_too_short) after 3 refreshes, and calls answer at once', async () => {
    await connectBoth();
    // From now on tokens live 1.999 s: PagerDuty states expires_in 2; Linear's stand-in states
    // 0 (a second less, rounded down), i.e. no lifetime: there the hub learns it from the 401s.
    await accessTokenLifetime(1_999);
    await elapse(TOKEN_DAY_MS - 2 * MINUTE); // the day-long tokens are due

    const statuses: Record<Provider, string[]> = { pagerduty: [], linear: [] };
    for (let step = 0; step < 6; step++) {
      for (const provider of PROVIDERS) {
        const response = await resources(provider);
        statuses[provider].push(response.status === 200 ? '200' : `${response.status} ${response.body?.error?.code}`);
      }
      await s.hub.hub.keeper.runOnce();
      await elapse(MIN_REFRESH_INTERVAL_MS);
    }

    const disconnected = '409 connection_disconnected';
    const names = { pagerduty: 'PagerDuty', linear: 'Linear' } as const;
    for (const provider of PROVIDERS) {
      // The first refresh replaced a good token; the next two replaced unusable ones; the third
      // unusable token in a row disconnects without asking the provider again.
      expect(statuses[provider], provider).toEqual(['200', '200', '200', disconnected, disconnected, disconnected]);
      expect((await refreshGrants(baseOf(provider))).map((grant) => grant.status), provider).toEqual(Array(UNUSABLE_TOKEN_LIMIT).fill(200));
      const view = await card(provider);
      expect(view.status).toBe('disconnected');
      expect(view.statusReason?.code).toBe('token_lifetime_too_short');
      expect(view.statusReason?.message).toContain(`Reconnect ${names[provider]}`);
    }
    expect(await metric('connectionsLost', 'token_lifetime_too_short')).toBe(2);
    // Logged once per connection, not per attempt.
    const logged = s.hub.logs.lines.filter((line) => line.includes('token_lifetime_too_short'));
    expect(logged).toHaveLength(2);

    // Paused: keeper passes and calls no longer reach the token endpoint.
    await elapse(MINUTE);
    await s.hub.hub.keeper.runOnce();
    expect((await resources('pagerduty')).status).toBe(409);
    for (const provider of PROVIDERS) expect(await refreshGrants(baseOf(provider))).toHaveLength(UNUSABLE_TOKEN_LIMIT);
  });

  it('a token refused moments after a refresh is not refreshed again until the interval passed: 503 with Retry-After', async () => {
    await connectBoth();
    const pd = baseOf('pagerduty');
    // The stand-in's clock jumps a day (the hub's does not): the token is refused, one refresh.
    await advanceSandboxClock(s.sandbox, TOKEN_DAY_MS + MINUTE);
    expect((await resources('pagerduty')).status).toBe(200);
    expect(await refreshGrants(pd)).toHaveLength(1);

    // Again at once: the fresh token is refused too, and the rate limit holds.
    await advanceSandboxClock(s.sandbox, TOKEN_DAY_MS + MINUTE);
    const throttled = await resources('pagerduty');
    expect(throttled.status, throttled.text).toBe(503);
    expect(throttled.body.error.code).toBe('provider_unavailable');
    expect(Number(throttled.headers.get('retry-after'))).toBe(MIN_REFRESH_INTERVAL_MS / SECOND);
    expect(await refreshGrants(pd)).toHaveLength(1);
    expect(await metric('tokenRefreshes', 'throttled')).toBe(1);
    expect((await card('pagerduty')).status).toBe('connected');

    // Once the interval has passed, the next call refreshes and succeeds.
    s.clock.advance(MIN_REFRESH_INTERVAL_MS);
    expect((await resources('pagerduty')).status).toBe(200);
    expect((await refreshGrants(pd)).map((grant) => grant.status)).toEqual([200, 200]);
  });
});

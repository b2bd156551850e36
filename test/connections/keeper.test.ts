import { afterEach, describe, expect, test } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { ConnectionsResponse } from '../../src/api/index.js';
import { client, DEFAULT_ADMIN, login, setupFirstAdmin, type HubClient } from '../helpers/client.js';
import { connectProvider, startHubWithSandbox, type HubWithSandbox } from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';

/** Refresh-grant requests the PagerDuty stand-in received. */
async function refreshGrants(env: HubWithSandbox): Promise<number> {
  const response = await fetch(`${env.sandbox.pagerdutyUrl}/_sandbox/requests?method=POST&pathPrefix=/oauth/token`);
  const { requests } = (await response.json()) as { requests: Array<{ body: Record<string, unknown> | null }> };
  return requests.filter((request) => request.body?.grant_type === 'refresh_token').length;
}

async function pagerdutyCard(c: HubClient) {
  const response = await c.get<ConnectionsResponse>('/api/connections');
  return response.body.connections.find((connection) => connection.provider === 'pagerduty')!;
}

describe.each(testDialects())('connection keeper (%s)', (dialect) => {
  let env: HubWithSandbox | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  test('notices access revoked at the provider without anyone opening the tab', async () => {
    env = await startHubWithSandbox(dialect, { CONNECTION_CHECK_INTERVAL_SECONDS: '1' });
    const c = client(env.hub);
    await setupFirstAdmin(c);
    await connectProvider(c, 'pagerduty');
    expect((await pagerdutyCard(c)).status).toBe('connected');

    await fetch(`${env.sandbox.pagerdutyUrl}/_sandbox/tokens/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ all: true }),
    });
    // The keeper's timer (every second) finds out by itself.
    let card = await pagerdutyCard(c);
    for (const deadline = Date.now() + 5000; card.status !== 'disconnected' && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      card = await pagerdutyCard(c);
    }
    expect(card.status).toBe('disconnected');
    expect(card.statusReason?.code).toBe('access_revoked');
  });

  test('refreshes an idle connection before its token expires, once across concurrent passes', async () => {
    const clock = new ManualClock(Date.now());
    env = await startHubWithSandbox(dialect, { CONNECTION_CHECK_INTERVAL_SECONDS: '0' }, { clock });
    const c = client(env.hub);
    await setupFirstAdmin(c);
    await connectProvider(c, 'pagerduty');
    const keeper = env.hub.hub.keeper;

    // Nothing is due right after connecting.
    expect((await keeper.runOnce()).checked).toBe(0);
    expect(await refreshGrants(env)).toBe(0);

    // 23 h 57 min later the token (1 day) is inside the refresh margin: the pass refreshes it.
    clock.advance(24 * 3600_000 - 3 * 60_000);
    const passes = await Promise.all([keeper.runOnce(), keeper.runOnce()]);
    expect(passes.reduce((sum, pass) => sum + pass.checked, 0)).toBe(1);
    expect(await refreshGrants(env)).toBe(1);
    await login(c, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password); // the session (12 h) expired meanwhile
    expect((await pagerdutyCard(c)).status).toBe('connected');

    // The refreshed token works without a further refresh.
    const services = await c.get('/api/connections/pagerduty/services');
    expect(services.status).toBe(200);
    expect(await refreshGrants(env)).toBe(1);
  });

  test('purges connect attempts older than a day, with the PKCE verifier an abandoned one kept in the vault', async () => {
    const clock = new ManualClock(Date.now());
    env = await startHubWithSandbox(dialect, { CONNECTION_CHECK_INTERVAL_SECONDS: '0' }, { clock });
    const c = client(env.hub);
    await setupFirstAdmin(c);
    // Clicked Connect, never came back.
    expect((await c.post('/api/connections/pagerduty/authorize', {})).status).toBe(200);
    const db = env.hub.database.db;
    const verifiers = () => db.selectFrom('vault_secrets').select('id').where('owner_table', '=', 'oauth_attempts').execute();
    expect(await verifiers()).toHaveLength(1);

    clock.advance(23 * 3600_000);
    await env.hub.hub.keeper.runOnce();
    expect(await db.selectFrom('oauth_attempts').select('id').execute()).toHaveLength(1);

    clock.advance(2 * 3600_000);
    await env.hub.hub.keeper.runOnce();
    expect(await db.selectFrom('oauth_attempts').select('id').execute()).toHaveLength(0);
    expect(await verifiers()).toHaveLength(0);
  });
});

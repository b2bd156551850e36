/**
 * Provider secrets never leak: after connecting both providers (one failed token exchange first),
 * refreshing, a failed refresh, disconnecting Linear and a revoked PagerDuty authorization — all
 * at debug log level — no access token, refresh token, authorization code, PKCE verifier or the
 * OAuth client secret appears in the hub's log, in any API answer, or in clear in the database;
 * nor does the OAuth state in the log or the database (the API hands it out in the authorize
 * URL, by design).
 */
import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { quoteIdent } from '../../src/db/database.js';
import type { Provider } from '../../src/api/index.js';
import { client, setupFirstAdmin } from '../helpers/client.js';
import {
  advanceSandboxClock,
  connectProvider,
  injectApiFaults,
  refreshGrants,
  SANDBOX_CLIENT,
  sandboxControl,
  sandboxTokens,
  startHubWithSandbox,
  TOKEN_DAY_MS,
  tokenRequests,
  type HubWithSandbox,
} from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';
import type { TestHub } from '../helpers/hub.js';

/** Every way a secret could show up: as is, URL-encoded, base64, and its random tail alone. */
function formsOf(secret: string): string[] {
  const forms = new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]);
  const tail = /[0-9a-f]{32,}$/i.exec(secret)?.[0];
  if (tail !== undefined) forms.add(tail);
  return [...forms];
}

/** Every row of every table, as text (what someone holding a dump would read). */
async function databaseDump(hub: TestHub): Promise<string> {
  const { db } = hub.database;
  let dump = '';
  if (hub.database.dialect === 'sqlite') {
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db);
    expect(tables.rows.map((row) => row.name)).toEqual(expect.arrayContaining(['connections', 'vault_secrets', 'oauth_attempts']));
    for (const { name } of tables.rows) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.raw(quoteIdent(name))}`.execute(db);
      dump += `\n${name}: ${JSON.stringify(rows.rows)}`;
    }
    // And the files' bytes, before and after a checkpoint (the WAL holds recent writes).
    const { rows } = await sql<{ name: string; file: string }>`pragma database_list`.execute(db);
    const main = rows.find((row) => row.name === 'main')!.file;
    const files = () => [main, `${main}-wal`].filter((file) => existsSync(file)).map((file) => readFileSync(file).toString('latin1'));
    dump += files().join('\n');
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
    dump += files().join('\n');
  } else {
    const schema = hub.database.schema!;
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = ${schema} and table_type = 'BASE TABLE'`.execute(db);
    expect(tables.rows.map((row) => row.table_name)).toEqual(expect.arrayContaining(['connections', 'vault_secrets', 'oauth_attempts']));
    for (const { table_name } of tables.rows) {
      const rows = await sql<{ row: string }>`select t::text as row from ${sql.raw(`${quoteIdent(schema)}.${quoteIdent(table_name)}`)} t`.execute(db);
      dump += `\n${table_name}: ${rows.rows.map((row) => row.row).join('\n')}`;
    }
  }
  return dump;
}

describe.each(testDialects())('provider secrets on %s', (dialect) => {
  let running: HubWithSandbox | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('never appear in the debug log, in API answers, or in clear in the database', { timeout: 60_000 }, async () => {
    const clock = new ManualClock(Date.now());
    running = await startHubWithSandbox(dialect, { LOG_LEVEL: 'debug', SESSION_TTL_HOURS: '48' }, { clock });
    const { hub, sandbox } = running;
    const pd = sandbox.pagerdutyUrl;
    const lin = sandbox.linearUrl;
    const admin = client(hub);
    await setupFirstAdmin(admin);
    const callbacks: string[] = [];
    const connect = async (provider: Provider, outcome: 'succeeded' | 'failed') => {
      const { attempt, callbackUrl } = await connectProvider(admin, provider);
      callbacks.push(callbackUrl);
      expect(attempt?.outcome, attempt?.message ?? '').toBe(outcome);
      return attempt!;
    };

    // A token exchange that fails (the provider answers 500), then a good one; then Linear.
    await injectApiFaults(pd, [{ kind: '500', count: 1, method: 'POST', pathPrefix: '/oauth/token' }]);
    expect((await connect('pagerduty', 'failed')).code).toBe('provider_unavailable');
    await connect('pagerduty', 'succeeded');
    await connect('linear', 'succeeded');
    expect((await admin.get('/api/connections/pagerduty/services')).status).toBe(200);
    expect((await admin.get('/api/connections/linear/teams')).status).toBe(200);

    // Both refreshed on a 401.
    await advanceSandboxClock(sandbox, TOKEN_DAY_MS + 60_000);
    expect((await admin.get('/api/connections/pagerduty/services')).status).toBe(200);
    expect((await admin.get('/api/connections/linear/teams')).status).toBe(200);

    // A refresh that fails (500), then succeeds after the back-off. (The hub's clock moves on
    // too between refreshes: one connection is refreshed at most once every 10 s.)
    clock.advance(60_000);
    await advanceSandboxClock(sandbox, TOKEN_DAY_MS + 60_000);
    await injectApiFaults(pd, [{ kind: '500', count: 1, method: 'POST', pathPrefix: '/oauth/token' }]);
    expect((await admin.get('/api/connections/pagerduty/services')).status).toBe(503);
    clock.advance(10 * 60_000);
    expect((await admin.get('/api/connections/pagerduty/services')).status).toBe(200);
    expect((await admin.get('/api/connections/linear/teams')).status).toBe(200);
    expect((await refreshGrants(pd)).map((grant) => grant.status)).toEqual([200, 200]);
    expect((await refreshGrants(lin)).map((grant) => grant.status)).toEqual([200, 200]);

    // Disconnect Linear (revokes at Linear), and PagerDuty access revoked by someone (invalid_grant).
    const disconnected = await admin.delete('/api/connections/linear');
    expect(disconnected.status, disconnected.text).toBe(200);
    expect(disconnected.body.report.revocation).toBe('revoked');
    clock.advance(60_000);
    await sandboxControl(pd, 'POST', '/_sandbox/tokens/revoke', { all: true });
    const refused = await admin.get('/api/connections/pagerduty/services');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('connection_disconnected');
    expect((await admin.get('/api/connections')).status).toBe(200);

    // What there is to leak.
    const issued = [...(await sandboxTokens(pd)), ...(await sandboxTokens(lin))];
    expect(issued.filter((token) => token.kind === 'access')).toHaveLength(6); // 3 per provider: connect + 2 refreshes
    expect(issued.filter((token) => token.kind === 'refresh')).toHaveLength(6);
    const secrets = new Map<string, string>();
    const states = new Map<string, string>();
    for (const token of issued) secrets.set(`${token.kind} token ${token.value.slice(0, 12)}…`, token.value);
    secrets.set('client secret', SANDBOX_CLIENT.secret);
    for (const callback of callbacks) {
      const query = new URL(callback).searchParams;
      secrets.set(`authorization code ${query.get('code')!.slice(0, 6)}…`, query.get('code')!);
      // The state travels in the authorize URL the API answers with, by design: not in logs or the database.
      states.set(`state ${query.get('state')!.slice(0, 6)}…`, query.get('state')!);
    }
    // The hub really sent the client secret (so it had it in hand all along), and its PKCE verifiers.
    const tokenCalls = [...(await tokenRequests(pd)), ...(await tokenRequests(lin))].filter((call) => call.body !== undefined);
    expect(tokenCalls.every((call) => call.body?.client_secret === SANDBOX_CLIENT.secret)).toBe(true);
    const verifiers = tokenCalls.map((call) => call.body?.code_verifier).filter((verifier): verifier is string => verifier !== undefined);
    expect(verifiers).toHaveLength(2);
    for (const verifier of verifiers) secrets.set(`PKCE verifier ${verifier.slice(0, 6)}…`, verifier);

    const logs = hub.logs.text;
    expect(hub.config.logLevel).toBe('debug');
    expect(logs).toContain('incoming request');
    expect(logs).toContain('token refresh failed; backing off');
    expect(logs).toContain('token refreshed');
    expect(logs).toContain('connection disconnected');
    const responses = admin.seen.join('\n');
    expect(responses).toContain('Checkout API'); // the answers are really there
    const dump = await databaseDump(hub);
    expect(dump).toContain('admin@acme.example'); // the connected user, stored in clear on purpose
    expect(dump).toContain('v1.'); // sealed envelopes

    // The search finds what is there: the stand-ins' own request logs hold every token the hub sent.
    const sandboxLogs = JSON.stringify([await sandboxControl(pd, 'GET', '/_sandbox/requests'), await sandboxControl(lin, 'GET', '/_sandbox/requests')]);
    const sent = issued.filter((token) => formsOf(token.value).some((form) => sandboxLogs.includes(form)));
    expect(sent.length).toBeGreaterThanOrEqual(8); // the refresh tokens presented, the access tokens used

    const leaks: string[] = [];
    for (const [what, secret] of secrets) {
      for (const form of formsOf(secret)) {
        if (logs.includes(form)) leaks.push(`${what} in the log`);
        if (responses.includes(form)) leaks.push(`${what} in an API answer`);
        if (dump.includes(form)) leaks.push(`${what} in the database`);
      }
    }
    for (const [what, state] of states) {
      if (logs.includes(state)) leaks.push(`${what} in the log`);
      if (dump.includes(state)) leaks.push(`${what} in the database`);
    }
    expect(leaks).toEqual([]);
  });
});

/**
 * Exactly one refresh per connection across processes (SPEC §2 item 9): two real hub processes
 * (`integration-hub start`, the built program) share one database; a burst of calls at both the
 * moment the provider stops accepting the token sends one refresh_token grant, and every call
 * succeeds. PostgreSQL (a database of its own, created and dropped here) and a shared SQLite file.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteIdent } from '../../src/db/database.js';
import { startSandbox, type RunningSandbox } from '../../sandbox/index.js';
import { HubClient, login } from '../helpers/client.js';
import { assertBuilt, runCli, waitForOk } from '../helpers/cli.js';
import {
  advanceSandboxClock,
  connectProvider,
  refreshGrants,
  registerCallbacks,
  sandboxControl,
  startDelayingProxy,
  TOKEN_DAY_MS,
  vendorEnvFor,
} from '../helpers/connections.js';
import { TEST_DATABASE_URL } from '../helpers/databases.js';
import { freePort } from '../helpers/hub.js';
import { requirePrerequisite } from '../helpers/prerequisites.js';

const ADMIN = { email: 'ops@acme.test', password: 'two processes, one token' };
const CALLS_PER_PROCESS = 25;
/** The token endpoint answers this late, so the burst arrives while the one refresh is in flight. */
const TOKEN_DELAY_MS = 1000;

interface Database {
  url: string;
  drop(): Promise<void>;
}

/** A fresh PostgreSQL database on the TEST_DATABASE_URL server. */
async function createPostgresDatabase(): Promise<Database> {
  const name = `hub_tokens_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${quoteIdent(name)}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists ${quoteIdent(name)} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A SQLite file both processes open. */
async function createSqliteFile(): Promise<Database> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hub-two-processes-'));
  return { url: `sqlite:${path.join(dir, 'hub.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

const postgresAvailable = requirePrerequisite('PostgreSQL (TEST_DATABASE_URL)', TEST_DATABASE_URL !== undefined);
const cases: Array<{ name: string; available: boolean; create: () => Promise<Database> }> = [
  { name: 'PostgreSQL', available: postgresAvailable, create: createPostgresDatabase },
  { name: 'SQLite (one file)', available: true, create: createSqliteFile },
];

describe.each(cases)('two hub processes sharing one $name database', ({ name, available, create }) => {
  let database: Database | undefined;
  let sandbox: RunningSandbox | undefined;
  let slowTokens: Awaited<ReturnType<typeof startDelayingProxy>> | undefined;
  let hubs: Array<ReturnType<typeof runCli>> = [];
  const dataDirs: string[] = [];

  beforeAll(() => {
    if (available) assertBuilt();
  });
  afterAll(async () => {
    for (const hub of hubs) hub.child.kill('SIGTERM');
    const exits = await Promise.all(hubs.map((hub) => hub.done));
    for (const exit of exits) expect(exit.code, exit.stderr).toBe(0);
    hubs = [];
    await slowTokens?.close();
    await sandbox?.close();
    await database?.drop();
    for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it.runIf(available)('send exactly one refresh request for 50 concurrent calls, 25 at each, and all succeed', { timeout: 60_000 }, async () => {
    database = await create();
    sandbox = await startSandbox({ host: '127.0.0.1', pagerdutyPort: await freePort(), linearPort: await freePort() });
    const ports = [await freePort(), await freePort()];
    const urls = ports.map((port) => `http://127.0.0.1:${port}`);
    const publicUrl = urls[0]!;
    await registerCallbacks(sandbox, publicUrl);
    slowTokens = await startDelayingProxy(sandbox.pagerdutyUrl, {
      delayMs: TOKEN_DELAY_MS,
      matches: (method, path) => method === 'POST' && path === '/oauth/token',
    });
    const masterKey = randomBytes(32).toString('base64');

    // Both start at once on the empty database: migrations and the bootstrap admin must cope.
    hubs = ports.map((port) => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-proc-data-'));
      dataDirs.push(dataDir);
      return runCli(['start'], {
        ...vendorEnvFor(sandbox!),
        PAGERDUTY_IDENTITY_URL: slowTokens!.url, // OAuth through the slow proxy; the REST API direct
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: publicUrl,
        DATA_DIR: dataDir,
        DATABASE_URL: database!.url,
        HUB_MASTER_KEY: masterKey,
        HUB_ADMIN_EMAIL: ADMIN.email,
        HUB_ADMIN_PASSWORD: ADMIN.password,
        SANDBOX: 'off',
        LOG_LEVEL: 'info',
        // No background checks: every refresh counted is caused by the burst.
        CONNECTION_CHECK_INTERVAL_SECONDS: '0',
      });
    });
    try {
      await Promise.all(urls.map((url) => waitForOk(`${url}/readyz`)));
    } catch (error) {
      throw new Error(`${String(error)}\n${hubs.map((hub, i) => `--- hub ${i + 1}:\n${hub.output()}`).join('\n')}`, { cause: error });
    }

    // The second process answers on its own port but is reached as PUBLIC_URL (Origin checks).
    const clients = urls.map((url) => new HubClient({ url, config: { publicUrl: new URL(publicUrl) } as never }));
    for (const c of clients) await login(c, ADMIN.email, ADMIN.password);
    const { attempt } = await connectProvider(clients[0]!, 'pagerduty');
    expect(attempt?.outcome, attempt?.message ?? '').toBe('succeeded');
    for (const c of clients) {
      const warm = await c.get('/api/connections/pagerduty/services');
      expect(warm.status, warm.text).toBe(200);
    }
    expect(await refreshGrants(sandbox.pagerdutyUrl)).toHaveLength(0);

    await advanceSandboxClock(sandbox, TOKEN_DAY_MS + 60_000);
    const startedAt = performance.now();
    const responses = await Promise.all(
      Array.from({ length: CALLS_PER_PROCESS }).flatMap(() => clients.map((c) => c.get('/api/connections/pagerduty/services'))),
    );
    const elapsedMs = Math.round(performance.now() - startedAt);

    expect(responses).toHaveLength(2 * CALLS_PER_PROCESS);
    const failures = responses.filter((response) => response.status !== 200).map((response) => `${response.status} ${response.text}`);
    expect(failures).toEqual([]);
    for (const response of responses) expect(response.body.services).toHaveLength(32);
    const grants = await refreshGrants(sandbox.pagerdutyUrl);
    expect(grants.map((grant) => grant.status)).toEqual([200]);
    // Exactly one of the two processes refreshed; the other waited for the new token.
    const refreshedIn = hubs.map((hub) => hub.output().split('\n').filter((line) => line.includes('"msg":"token refreshed"')).length);
    expect(refreshedIn.reduce((a, b) => a + b, 0)).toBe(1);
    const { requests } = await sandboxControl<{ requests: Array<{ status: number }> }>(sandbox.pagerdutyUrl, 'GET', '/_sandbox/requests?method=GET&pathPrefix=/services');
    const refused = requests.filter((request) => request.status === 401).length;
    // More refused calls than either process made: both processes met the dead token, and only
    // one of them refreshed it — the other waited for the shared lease.
    expect(refused).toBeGreaterThan(CALLS_PER_PROCESS);
    process.stdout.write(
      `[tokens-processes ${name}] ${2 * CALLS_PER_PROCESS} calls over 2 processes: ${elapsedMs} ms, ${grants.length} refresh (by process ${refreshedIn.indexOf(1) + 1}), ${refused} calls refused with 401 first\n`,
    );

    // Both keep working with the one new token.
    for (const c of clients) expect((await c.get('/api/connections/pagerduty/services')).status).toBe(200);
    expect(await refreshGrants(sandbox.pagerdutyUrl)).toHaveLength(1);
  });
});

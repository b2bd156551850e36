/**
 * Process roles at the command line (docs/deployment.md#process-roles): what `start --role` and
 * HUB_ROLE accept and refuse, and what a stopping web process does with a request in flight.
 * The built program, as users run it. SQLite always; the PostgreSQL cases when it is available.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { quoteIdent } from '../../src/db/database.js';
import { assertBuilt, runCli, waitForOk } from '../helpers/cli.js';
import { TEST_DATABASE_URL } from '../helpers/databases.js';
import { freePort } from '../helpers/hub.js';
import { requirePrerequisite } from '../helpers/prerequisites.js';

const postgresAvailable = requirePrerequisite('PostgreSQL (TEST_DATABASE_URL)', TEST_DATABASE_URL !== undefined);
const ADMIN = { email: 'ops@acme.test', password: 'a request in flight' };

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hub-roles-'));
  dirs.push(dir);
  return dir;
};

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A fresh PostgreSQL database for one test; dropped after the suite. */
const created: string[] = [];
async function postgresUrl(): Promise<string> {
  const name = `hub_roles_${process.pid}_${Date.now().toString(36)}_${created.length}`;
  await admin(`create database ${quoteIdent(name)}`);
  created.push(name);
  const url = new URL(TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

beforeAll(() => assertBuilt('dist/src/config/roles.js', 'dist/src/http/probe-app.js'));
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
afterAll(async () => {
  for (const name of created.splice(0)) await admin(`drop database if exists ${quoteIdent(name)} with (force)`);
});

describe('start --role and HUB_ROLE', () => {
  it.each([
    { how: '--role web', args: ['start', '--role', 'web'], env: {}, role: 'web' },
    { how: 'HUB_ROLE=worker', args: ['start'], env: { HUB_ROLE: 'worker' }, role: 'worker' },
    { how: '--role=web without a verb (start is the default)', args: ['--role=web'], env: {}, role: 'web' },
  ])('refuse split roles on SQLite ($how) before opening the database: exit 78, one clear line', async ({ args, env, role }) => {
    const dataDir = tempDir();
    const result = await runCli(args, { DATA_DIR: dataDir, SANDBOX: 'off', PORT: String(await freePort()), ...env }).done;
    expect(result.code).toBe(78);
    expect(result.stderr).toContain(`integration-hub: role ${role} needs PostgreSQL`);
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(path.join(dataDir, 'hub.db'))).toBe(false);
  });

  it('refuses an unknown role or option with exit 2 and the usage', async () => {
    const bogus = await runCli(['start', '--role', 'everything'], { DATA_DIR: tempDir() }).done;
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toContain('--role must be all, web or worker (got "everything")');
    expect(bogus.stderr).toContain('Usage: integration-hub');
    const missing = await runCli(['start', '--role'], { DATA_DIR: tempDir() }).done;
    expect(missing.code).toBe(2);
    const unknown = await runCli(['start', '--verbose'], { DATA_DIR: tempDir() }).done;
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown option "--verbose" for start');
  });

  it('refuses an unknown HUB_ROLE as a configuration error (exit 78)', async () => {
    const result = await runCli(['start'], { DATA_DIR: tempDir(), HUB_ROLE: 'sideways' }).done;
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/HUB_ROLE: /);
  });

  it('--role all on SQLite is today’s hub: UI, API and probes in one process', async () => {
    const port = await freePort();
    const hub = runCli(['start', '--role=all'], { DATA_DIR: tempDir(), PORT: String(port), SANDBOX: 'off', LOG_LEVEL: 'info' });
    await waitForOk(`http://127.0.0.1:${port}/readyz`);
    expect((await fetch(`http://127.0.0.1:${port}/api/meta`)).status).toBe(200);
    hub.child.kill('SIGTERM');
    const result = await hub.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('"role":"all"');
  });

  it.runIf(postgresAvailable)('refuses role worker with WORKER_CONCURRENCY=0 (it would do nothing)', async () => {
    const result = await runCli(['start', '--role', 'worker'], {
      DATA_DIR: tempDir(),
      DATABASE_URL: await postgresUrl(),
      HUB_MASTER_KEY: randomBytes(32).toString('base64'),
      WORKER_CONCURRENCY: '0',
      SANDBOX: 'off',
    }).done;
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('role worker needs WORKER_CONCURRENCY of 1 or more');
  });
});

/**
 * SIGTERM with a request in flight: the process stops accepting, answers the request it was
 * reading (its body arrives after the signal) with `Connection: close`, and exits 0.
 */
const shutdownCases = [
  { name: 'role all on SQLite', available: true, role: 'all', database: async (): Promise<Record<string, string>> => ({}) },
  {
    name: 'role web on PostgreSQL',
    available: postgresAvailable,
    role: 'web',
    database: async (): Promise<Record<string, string>> => ({ DATABASE_URL: await postgresUrl(), HUB_MASTER_KEY: randomBytes(32).toString('base64') }),
  },
];

describe.each(shutdownCases)('graceful shutdown, $name', ({ available, role, database }) => {
  it.runIf(available)('a request in flight at SIGTERM is answered, then the process exits 0', async () => {
    const port = await freePort();
    const hub = runCli(['start', '--role', role], {
      DATA_DIR: tempDir(),
      PORT: String(port),
      SANDBOX: 'off',
      LOG_LEVEL: 'info',
      HUB_ADMIN_EMAIL: ADMIN.email,
      HUB_ADMIN_PASSWORD: ADMIN.password,
      ...(await database()),
    });
    await waitForOk(`http://127.0.0.1:${port}/readyz`, 30_000);

    // A log-in whose body arrives in two parts, the second after SIGTERM.
    const body = JSON.stringify({ email: ADMIN.email, password: ADMIN.password });
    const answered = new Promise<{ status: number; text: string; connection: string | undefined }>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/session',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), origin: `http://localhost:${port}`, 'x-csrf-token': 'x' },
        },
        (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text, connection: response.headers.connection }));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        hub.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 500);
      }, 200);
    });
    const answer = await answered;
    expect(answer.status, answer.text).toBe(200);
    // The connection is not kept alive past the drain (a proxy's idle keep-alive would hold the exit up).
    expect(answer.connection).toBe('close');
    const result = await hub.done;
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    const signalled = lines.findIndex((line) => line.includes('"msg":"shutting down: draining in-flight requests"'));
    const loggedIn = lines.findIndex((line) => line.includes('"url":"/api/session"') && line.includes('"statusCode":200'));
    expect(signalled).toBeGreaterThanOrEqual(0);
    // Answered after the signal: it was in flight, not done before.
    expect(loggedIn === -1 || loggedIn > signalled).toBe(true);
  });
});

describe('upgrades', () => {
  it('an older version started on a database a newer one migrated refuses in one line (exit 78), and changes nothing', async () => {
    const dataDir = tempDir();
    expect((await runCli(['migrate'], { DATA_DIR: dataDir }).done).code).toBe(0);
    const file = path.join(dataDir, 'hub.db');
    const db = new Database(file);
    db.prepare('insert into hub_migrations (name, timestamp) values (?, ?)').run('9999_from_a_newer_version', new Date().toISOString());
    const before = (db.prepare('select count(*) as n from hub_migrations').get() as { n: number }).n;
    db.close();
    for (const verb of ['start', 'migrate']) {
      const result = await runCli([verb], { DATA_DIR: dataDir, SANDBOX: 'off', PORT: String(await freePort()) }).done;
      expect(result.code, result.stderr).toBe(78);
      expect(result.stderr).toContain('integration-hub: the database has migration 9999_from_a_newer_version, which this version of the hub does not know');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    const after = new Database(file, { readonly: true });
    expect((after.prepare('select count(*) as n from hub_migrations').get() as { n: number }).n).toBe(before);
    after.close();
  });
});

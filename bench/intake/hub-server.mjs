// The hub under test, in its own process (bench/intake/run.mjs starts it): sandbox mode, the
// built hub from dist/, one organisation with Linear connected through the stand-in's consent
// page and one team webhook — the way test/webhooks/fixture.ts sets it up. Reports
// {url, path, secret} to the parent over IPC once ready; stops on SIGTERM.
//   env: BENCH_DIALECT=sqlite|postgres, BENCH_PG_URL, BENCH_SQLITE_SYNCHRONOUS=NORMAL|FULL
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { consent } from '../chaos/hub-api.mjs';
import { freePort } from './ports.mjs';

// BENCH_HUB_DIST: another build to measure (e.g. a copy of dist/ from before a change).
const dist = process.env.BENCH_HUB_DIST ? pathToFileURL(`${path.resolve(process.env.BENCH_HUB_DIST)}/`) : new URL('../../dist/', import.meta.url);
const { parseConfig } = await import(new URL('src/config/index.js', dist).href);
const { startHub } = await import(new URL('src/main.js', dist).href);
const { openDatabase } = await import(new URL('src/db/database.js', dist).href);
const { createLogger } = await import(new URL('src/observability/logger.js', dist).href);

const dialect = process.env.BENCH_DIALECT ?? 'sqlite';
const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-bench-'));
const port = await freePort();
const env = {
  PORT: String(port),
  DATA_DIR: dataDir,
  PUBLIC_URL: `http://127.0.0.1:${port}`,
  SANDBOX_PAGERDUTY_PORT: String(await freePort()),
  SANDBOX_LINEAR_PORT: String(await freePort()),
  SQLITE_SYNCHRONOUS: process.env.BENCH_SQLITE_SYNCHRONOUS ?? 'NORMAL',
  LOG_LEVEL: 'warn',
  ...(process.env.WORKER_CONCURRENCY !== undefined ? { WORKER_CONCURRENCY: process.env.WORKER_CONCURRENCY } : {}),
  ...(dialect === 'postgres' ? { DATABASE_URL: process.env.BENCH_PG_URL, HUB_MASTER_KEY: randomBytes(32).toString('base64') } : {}),
};
const config = parseConfig(env);
// PostgreSQL: a schema of its own in the given database, dropped on exit (as the tests do).
const schema = dialect === 'postgres' ? `bench_intake_${randomBytes(6).toString('hex')}` : undefined;
const database = schema === undefined ? undefined : await openDatabase(config.database, { schema });
const hub = await startHub(config, { logger: createLogger({ level: 'warn' }), ...(database ? { database } : {}) });

const origin = `http://127.0.0.1:${port}`;
const cookies = new Map();
let csrf = 'bench';
async function call(method, urlPath, body, options = {}) {
  const headers = { origin, 'x-csrf-token': csrf };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (cookies.size > 0) headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const response = await fetch(`${origin}${urlPath}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual', ...options });
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    cookies.set(pair.slice(0, at), pair.slice(at + 1));
  }
  const text = await response.text();
  const json = text.startsWith('{') ? JSON.parse(text) : undefined;
  if (typeof json?.csrfToken === 'string') csrf = json.csrfToken;
  return { status: response.status, json, text, location: response.headers.get('location') };
}
const expect = (response, status, what) => {
  if (response.status !== status) throw new Error(`${what}: ${response.status} ${response.text.slice(0, 300)}`);
  return response;
};

try {
  // The stand-ins' OAuth client knows only localhost:3000 callbacks: add ours.
  for (const [provider, base] of [['pagerduty', hub.sandbox.pagerdutyUrl], ['linear', hub.sandbox.linearUrl]]) {
    const registered = await fetch(`${base}/_sandbox/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: 'integration-hub-sandbox', redirectUris: [`${origin}/oauth/${provider}/callback`] }),
    });
    if (!registered.ok) throw new Error(`registering the ${provider} callback: ${registered.status}`);
  }
  const setup = expect(await call('POST', '/api/setup', { organisationName: 'Bench', name: 'Bench Admin', email: 'bench@bench.test', password: 'bench password long enough' }), 201, 'setup');
  const organisationId = setup.json.organisation.id;
  // PagerDuty first (Linear is connected after it), each through its stand-in's consent page.
  for (const provider of ['pagerduty', 'linear']) {
    const started = expect(await call('POST', `/api/connections/${provider}/authorize`, {}), 200, `authorize ${provider}`);
    const callback = await consent(started.json.authorizationUrl);
    expect(await call('GET', `${callback.pathname}${callback.search}`), 303, `${provider} callback`);
  }
  const teamId = '9874f2c6-57b4-4582-95f1-f33e9244eeb5'; // Acme ENG (docs/sandbox.md § Seed)
  const created = expect(await call('POST', '/api/webhooks/linear', { teamId }), 201, 'create the team webhook');
  const webhookPath = new URL(created.json.webhook.url).pathname;
  const endpointId = webhookPath.split('/').pop();
  const secret = await hub.deps.vault.get(hub.deps.database.db, { organisationId, ownerTable: 'webhook_endpoints', ownerId: endpointId, field: 'signing_secret' });
  if (secret === undefined) throw new Error('no signing secret stored');
  process.send({ ready: true, url: origin, path: webhookPath, secret, workspaceId: '632c11fa-738c-46b0-ab60-5a78487848f0', teamId });
} catch (error) {
  console.error(error);
  await hub.close();
  process.exit(1);
}

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await hub.close().catch((error) => console.error(error));
  await database?.close().catch((error) => console.error(error));
  if (schema !== undefined) {
    const admin = new pg.Client({ connectionString: process.env.BENCH_PG_URL });
    await admin.connect();
    await admin.query(`drop schema if exists "${schema}" cascade`);
    await admin.end();
  }
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('disconnect', stop);

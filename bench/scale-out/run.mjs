#!/usr/bin/env node
// bench/scale-out — intake throughput with 1 and 2 `--role web` processes on one PostgreSQL
// (docs/deployment.md, docs/benchmarks.md "Scale-out").
//
//   npm run build:server && node bench/scale-out/run.mjs [--webs 1,2] [--workers 1] [--connections 50]
//     [--duration 8] [--pickups 40] [--json file]
//
// For each count of web processes, on a fresh database (BENCH_PG_URL or TEST_DATABASE_URL):
// the stand-ins in their own process (`integration-hub sandbox`), N × `start --role web` and
// --workers × `start --role worker` (the built program, dist/), PagerDuty and Linear connected
// and one Linear team webhook made through the API. Then:
//   1. intake: closed loop, --connections keep-alive connections split evenly over the web
//      processes, 2 KB signed Linear deliveries (fresh delivery and issue ids) for --duration s
//      after a 1 s warm-up; 2xx answers per second and latency percentiles;
//   2. drain: how long the worker processes take to process what the load left queued (each job
//      reads its issue from the Linear stand-in), and the rate over load + drain;
//   3. pickup: --pickups single deliveries on an idle hub, 100 ms apart, alternating web
//      processes: time from the web process storing the delivery (its received_at) to the
//      worker process's first upstream call for it (the stand-in's arrival time of the issue
//      read) — the cross-process wake-up (PostgreSQL NOTIFY) plus the claim and the job's reads.
// The Linear stand-in's rate limit is raised for the run (with Linear's own, 1,200 requests an
// hour per OAuth app user, the drain is paced by Linear, not by the hub).
// The load generator runs in this process, on the same machine: on 2 cores it competes with
// the hub's processes, PostgreSQL and the stand-ins for CPU (see "bound" in the output).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freshDatabase } from '../chaos/databases.mjs';
import { consent } from '../chaos/hub-api.mjs';
import { BIN, freePort, sleep, spawnNode, standInVendorEnv, stopGracefully, waitForOk } from '../chaos/processes.mjs';
import { closedLoop, linearDelivery, percentile } from '../intake/load.mjs';
import { printRunInfo, runInfo } from '../run-info.mjs';

const dist = new URL('../../dist/', import.meta.url);
const { SEED_IDS } = await import(new URL('sandbox/linear/seed.js', dist).href);
const ENG_TEAM = SEED_IDS.acme.teams.ENG;
const ACME_WORKSPACE = SEED_IDS.acme.organization;
const ADMIN = { email: 'bench@acme.test', password: 'scale-out bench password' };
const SANDBOX_CLIENT = 'integration-hub-sandbox';

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`unknown argument: ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2);
    args[name] = inline ?? argv[++i];
  }
  return {
    webs: (args.webs ?? '1,2').split(',').map(Number),
    workers: Number(args.workers ?? 1),
    connections: Number(args.connections ?? 50),
    durationMs: Number(args.duration ?? 8) * 1000,
    pickups: Number(args.pickups ?? 40),
    json: args.json,
  };
}

/** A browser-like session on one web process (cookie, Origin = PUBLIC_URL, CSRF token). */
function session(baseUrl, publicUrl) {
  const cookies = new Map();
  let csrf = 'bench';
  return async function call(method, pathname, body) {
    const headers = { origin: publicUrl, 'x-csrf-token': csrf, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (cookies.size > 0) headers.cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(`${baseUrl}${pathname}`, { method, headers, redirect: 'manual', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      cookies.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
    }
    const text = await response.text();
    const parsed = text.startsWith('{') ? JSON.parse(text) : undefined;
    if (typeof parsed?.csrfToken === 'string') csrf = parsed.csrfToken;
    return { status: response.status, body: parsed, text, location: response.headers.get('location') };
  };
}

async function expectStatus(answer, status, what) {
  const got = await answer;
  if (got.status !== status) throw new Error(`${what}: expected ${status}, got ${got.status}: ${got.text.slice(0, 300)}`);
  return got;
}

async function control(base, method, pathname, body) {
  const response = await fetch(`${base}${pathname}`, { method, ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}) });
  if (!response.ok) throw new Error(`${method} ${pathname} answered ${response.status}`);
  return response.json();
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far, from /proc; 0 where unreadable. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Every PostgreSQL server process on this machine (the server the bench uses is local). */
function postgresPids() {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    });
}

/** CPU seconds the whole machine has spent busy (all cores, every process), from /proc/stat. */
function machineBusySeconds() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0); // idle + iowait
    return (fields.slice(0, 8).reduce((sum, n) => sum + n, 0) - idle) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU seconds per group of processes, now. */
function cpuSnapshot(groups) {
  const snapshot = { 'whole machine': machineBusySeconds() };
  for (const [name, pids] of Object.entries(groups)) snapshot[name] = pids().reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const own = process.cpuUsage();
  snapshot['load generator'] = (own.user + own.system) / 1e6;
  return snapshot;
}

const countPending = async (pool) =>
  Number((await pool.query(`select count(*) as n from jobs where kind = 'webhook.process_delivery' and status in ('queued', 'running')`)).rows[0].n);

/** One configuration: `webs` web processes and `options.workers` worker processes on a fresh database. */
async function runConfiguration(webs, options) {
  const database = await freshDatabase('postgres');
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  const dirs = [];
  const processes = [];
  const dataDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hub-scale-bench-'));
    dirs.push(dir);
    return dir;
  };
  try {
    const [pdPort, linearPort] = [await freePort(), await freePort()];
    const webPorts = [];
    for (let i = 0; i < webs; i++) webPorts.push(await freePort());
    const workerPorts = [];
    for (let i = 0; i < options.workers; i++) workerPorts.push(await freePort());
    const webUrls = webPorts.map((port) => `http://127.0.0.1:${port}`);
    const publicUrl = webUrls[0];
    const stand = { pagerduty: `http://localhost:${pdPort}`, linear: `http://localhost:${linearPort}` };
    const common = { SANDBOX_PAGERDUTY_PORT: String(pdPort), SANDBOX_LINEAR_PORT: String(linearPort), PUBLIC_URL: publicUrl, LOG_LEVEL: 'warn' };

    const sandbox = spawnNode([BIN, 'sandbox'], { ...common, DATA_DIR: dataDir() });
    processes.push(sandbox);
    const sandboxDeadline = Date.now() + 15_000;
    while (!sandbox.output().includes('Linear sandbox:')) {
      if (Date.now() > sandboxDeadline) throw new Error(`the stand-ins did not start:\n${sandbox.output()}`);
      await sleep(50);
    }
    for (const [provider, base] of Object.entries(stand)) {
      await control(base, 'POST', '/_sandbox/clients', { clientId: SANDBOX_CLIENT, redirectUris: [`${publicUrl}/oauth/${provider}/callback`] });
    }
    // Every delivery's job reads its issue from Linear; the stand-in's default budget (Linear's:
    // 1,200 requests an hour) would pace the drain to a crawl — this measures the hub, not that.
    await control(stand.linear, 'POST', '/_sandbox/settings', { rateLimits: { oauth: { requests: 10_000_000, complexity: 1_000_000_000 } } });

    const masterKey = randomBytes(32).toString('base64');
    const hubEnv = (port) => ({
      ...common,
      ...standInVendorEnv(stand.pagerduty, stand.linear),
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir(),
      DATABASE_URL: database.url,
      HUB_MASTER_KEY: masterKey,
      HUB_ADMIN_EMAIL: ADMIN.email,
      HUB_ADMIN_PASSWORD: ADMIN.password,
      CONNECTION_CHECK_INTERVAL_SECONDS: '0',
    });
    const webProcs = webPorts.map((port) => spawnNode([BIN, 'start', '--role', 'web'], hubEnv(port)));
    const workerProcs = workerPorts.map((port) => spawnNode([BIN, 'start', '--role', 'worker'], hubEnv(port)));
    processes.push(...webProcs, ...workerProcs);
    await Promise.all([
      ...webProcs.map((proc, i) => waitForOk(`${webUrls[i]}/readyz`, proc)),
      ...workerProcs.map((proc, i) => waitForOk(`http://127.0.0.1:${workerPorts[i]}/readyz`, proc)),
    ]);

    const call = session(publicUrl, publicUrl);
    await expectStatus(call('POST', '/api/session', ADMIN), 200, 'log-in');
    for (const provider of ['pagerduty', 'linear']) {
      const started = await expectStatus(call('POST', `/api/connections/${provider}/authorize`, {}), 200, `connect ${provider}`);
      const callback = await consent(started.body.authorizationUrl);
      await expectStatus(call('GET', `${callback.pathname}${callback.search}`), 303, `${provider} callback`);
    }
    const created = await expectStatus(call('POST', '/api/webhooks/linear', { teamId: ENG_TEAM }), 201, 'team webhook');
    const endpointId = created.body.webhook.id;
    const { webhooks } = await control(stand.linear, 'GET', '/_sandbox/webhooks');
    const secret = webhooks.find((hook) => hook.url.includes(endpointId))?.secret;
    if (secret === undefined) throw new Error('the stand-in has no secret for the team webhook');
    const targets = webUrls.map((url) => ({ url, path: `/webhooks/linear/${endpointId}`, secret, teamId: ENG_TEAM, workspaceId: ACME_WORKSPACE }));

    // 1. Intake: the connections split evenly over the web processes.
    const split = targets.map((_, i) => Math.floor(options.connections / webs) + (i < options.connections % webs ? 1 : 0));
    await Promise.all(targets.map((target, i) => closedLoop(target, { connections: split[i], durationMs: 1_000 })));
    const groups = {
      'web processes': () => webProcs.map((proc) => proc.child.pid),
      'worker processes': () => workerProcs.map((proc) => proc.child.pid),
      'stand-ins': () => [sandbox.child.pid],
      postgres: postgresPids,
    };
    const cpuBefore = cpuSnapshot(groups);
    const loadStart = performance.now();
    const parts = await Promise.all(targets.map((target, i) => closedLoop(target, { connections: split[i], durationMs: options.durationMs })));
    const loadEnd = performance.now();
    const cpuAfter = cpuSnapshot(groups);
    const coresUsed = Object.fromEntries(
      Object.keys(cpuAfter).map((name) => [name, Math.round(((cpuAfter[name] - cpuBefore[name]) / ((loadEnd - loadStart) / 1000)) * 100) / 100]),
    );
    const ok = parts.reduce((sum, part) => sum + part.ok, 0);
    const failed = parts.reduce((sum, part) => sum + part.failed, 0);
    const backlog = await countPending(pool);

    // 2. Drain.
    const drainDeadline = Date.now() + 120_000;
    while ((await countPending(pool)) > 0) {
      if (Date.now() > drainDeadline) {
        const { rows } = await pool.query(
          `select status, attempts, left(coalesce(last_error, ''), 160) as error, count(*) as n from jobs
            where kind = 'webhook.process_delivery' and status in ('queued', 'running') group by 1, 2, 3 order by 4 desc limit 5`,
        );
        throw new Error(`the backlog did not drain within 2 minutes: ${JSON.stringify(rows)}`);
      }
      await sleep(100);
    }
    const drainedAt = performance.now();
    const processed = Number((await pool.query(`select count(*) as n from jobs where kind = 'webhook.process_delivery' and status = 'succeeded'`)).rows[0].n);

    // 3. Pickup on an idle hub: web's received_at → the worker's first read of the issue at the stand-in.
    await sleep(1_500);
    const sent = [];
    for (let i = 0; i < options.pickups; i++) {
      const target = targets[i % targets.length];
      const delivery = linearDelivery(target, 512);
      const issueId = JSON.parse(delivery.body.toString()).data.id;
      const response = await fetch(`${target.url}${target.path}`, { method: 'POST', headers: delivery.headers, body: delivery.body });
      if (response.status !== 200 && response.status !== 202) throw new Error(`pickup delivery answered ${response.status}`);
      await response.arrayBuffer();
      sent.push(issueId);
      await sleep(100);
    }
    while ((await countPending(pool)) > 0) await sleep(50);
    const { requests } = await control(stand.linear, 'GET', '/_sandbox/requests?method=POST&pathPrefix=/graphql');
    const firstRead = new Map();
    for (const request of requests) {
      for (const value of Object.values(request.body?.variables ?? {})) {
        if (typeof value === 'string' && !firstRead.has(value)) firstRead.set(value, request.at);
      }
    }
    const received = new Map(
      (await pool.query(`select entity_id, received_at from webhook_deliveries where entity_id = any($1)`, [sent])).rows.map((row) => [row.entity_id, Number(row.received_at)]),
    );
    const pickups = sent
      .map((issue) => (firstRead.get(issue) ?? NaN) - (received.get(issue) ?? NaN))
      .filter((ms) => Number.isFinite(ms))
      .sort((a, b) => a - b);

    const loadSeconds = (loadEnd - loadStart) / 1000;
    return {
      webs,
      workers: options.workers,
      connections: options.connections,
      intake: {
        ok,
        failed,
        perSecond: Math.round(ok / loadSeconds),
        perProcess: parts.map((part) => part.throughput),
        p50: Math.max(...parts.map((part) => part.p50)),
        p99: Math.max(...parts.map((part) => part.p99)),
      },
      coresUsedDuringLoad: coresUsed,
      backlogAfterLoad: backlog,
      drainSeconds: Math.round((drainedAt - loadEnd) / 100) / 10,
      processedPerSecond: Math.round(processed / ((drainedAt - loadStart) / 1000)),
      pickupMs: { n: pickups.length, p50: percentile(pickups, 50), p99: percentile(pickups, 99), max: pickups.at(-1) ?? null },
    };
  } finally {
    await Promise.all(processes.reverse().map((proc) => stopGracefully(proc, 20_000)));
    await pool.end();
    await database.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

const options = parseArgs(process.argv.slice(2));
const probe = new pg.Client({ connectionString: process.env.BENCH_PG_URL ?? process.env.TEST_DATABASE_URL });
await probe.connect();
const pgVersion = (await probe.query('show server_version')).rows[0].server_version;
await probe.end();
printRunInfo(runInfo({ postgres: pgVersion, cores: `${os.cpus().length} (load generator, stand-ins, PostgreSQL and every hub process share them)` }));

const results = [];
for (const webs of options.webs) {
  process.stdout.write(`-- ${webs} web + ${options.workers} worker process(es), ${options.connections} connections, ${options.durationMs / 1000} s\n`);
  const result = await runConfiguration(webs, options);
  results.push(result);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

process.stdout.write('\n| web processes | worker processes | intake 2xx/s (per web process) | p50 / p99 ms | backlog after load | drain s | processed/s over load+drain | pickup p50 / p99 / max ms |\n|---|---|---|---|---|---|---|---|\n');
for (const r of results) {
  process.stdout.write(
    `| ${r.webs} | ${r.workers} | ${r.intake.perSecond} (${r.intake.perProcess.join(' + ')}) | ${r.intake.p50} / ${r.intake.p99} | ${r.backlogAfterLoad} | ${r.drainSeconds} | ${r.processedPerSecond} | ${r.pickupMs.p50} / ${r.pickupMs.p99} / ${r.pickupMs.max} |\n`,
  );
}
process.stdout.write('\ncores used during the load (CPU seconds / wall seconds):\n');
for (const r of results) process.stdout.write(`  ${r.webs} web: ${Object.entries(r.coresUsedDuringLoad).map(([name, cores]) => `${name} ${cores}`).join(', ')}\n`);
for (const r of results) {
  const { 'whole machine': whole, ...ours } = r.coresUsedDuringLoad;
  const used = Object.values(ours).reduce((sum, cores) => sum + cores, 0);
  process.stdout.write(
    `  ${r.webs} web: the machine was busy ${whole.toFixed(2)} of ${os.cpus().length} cores, this bench's processes (hub, stand-ins, PostgreSQL, load) ${used.toFixed(2)}` +
      `${whole > os.cpus().length * 0.9 && used < whole * 0.7 ? ' — the rest was other work on the machine: CPU-starved, re-run on a quiet machine' : ''}\n`,
  );
}
process.stdout.write(
  `\nbound: ${os.cpus().length} cores for everything — with 2 web processes the load generator, PostgreSQL, the stand-ins and ${options.workers} worker(s) take CPU the web processes would need; failed requests: ${results.map((r) => r.intake.failed).join(', ')}\n`,
);
if (options.json !== undefined) writeFileSync(options.json, `${JSON.stringify({ info: runInfo(), results }, null, 2)}\n`);

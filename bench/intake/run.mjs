#!/usr/bin/env node
// bench/intake — the hub's webhook intake against an in-run baseline (docs/benchmarks.md).
//
//   npm run build:server && node bench/intake/run.mjs [--quick] [--targets a,b] [--duration 8]
//     [--rates 500,2000,5000] [--rate-duration 5] [--connections 50] [--json file] [--svg file]
//
// Each target is a server in its own process, started, loaded and stopped in turn:
//   hub-sqlite-normal / hub-sqlite-full   the built hub (dist/), sandbox mode, SQLite
//                                         (SQLITE_SYNCHRONOUS NORMAL / FULL), one Linear team webhook
//   hub-postgres                          the same on PostgreSQL (a schema of its own)
//   base-sqlite-normal / base-sqlite-full Fastify + the same HMAC check + one SQLite INSERT (WAL)
//   base-postgres                         Fastify + the same HMAC check + one INSERT through pg
// For each: closed-loop throughput at --connections for --duration s (after a 1 s warm-up), then
// open-loop latency at each offered rate for --rate-duration s. PostgreSQL targets run when
// BENCH_PG_URL (or TEST_DATABASE_URL) answers. The load generator runs in this process.
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import os from 'node:os';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { closedLoop, openLoop } from './load.mjs';
import { intakeChart } from './chart.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

function parseArgs(argv) {
  const args = { quick: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--quick') args.quick = true;
    else if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split('=', 2);
      args[name] = inline ?? argv[++i];
    } else throw new Error(`unknown argument: ${arg}`);
  }
  return args;
}

const args = parseArgs(process.argv.slice(2));
const quick = args.quick;
const list = (value) => value.split(',').map((item) => item.trim()).filter(Boolean);
const settings = {
  connections: Number(args.connections ?? 50),
  durationMs: Number(args.duration ?? (quick ? 2 : 8)) * 1000,
  rateDurationMs: Number(args['rate-duration'] ?? (quick ? 1.5 : 5)) * 1000,
  warmupMs: quick ? 500 : 1000,
  rates: list(args.rates ?? (quick ? '500' : '500,2000,5000')).map(Number),
};
const pgUrl = process.env.BENCH_PG_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

// In pairs, each hub right after its baseline, so both meet much the same machine.
const TARGETS = {
  'base-sqlite-normal': { role: 'baseline', dialect: 'sqlite', synchronous: 'NORMAL' },
  'hub-sqlite-normal': { role: 'hub', dialect: 'sqlite', synchronous: 'NORMAL' },
  'base-sqlite-full': { role: 'baseline', dialect: 'sqlite', synchronous: 'FULL' },
  'hub-sqlite-full': { role: 'hub', dialect: 'sqlite', synchronous: 'FULL' },
  'base-postgres': { role: 'baseline', dialect: 'postgres' },
  'hub-postgres': { role: 'hub', dialect: 'postgres' },
};
/** Which baseline each hub target is compared with. */
const PAIRS = [
  ['hub-sqlite-normal', 'base-sqlite-normal'],
  ['hub-sqlite-full', 'base-sqlite-full'],
  ['hub-postgres', 'base-postgres'],
];

async function postgresVersion() {
  if (pgUrl === undefined) return undefined;
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    const { rows } = await client.query('show server_version');
    return rows[0].server_version;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function sqliteVersion() {
  const Database = require('better-sqlite3');
  const db = new Database(':memory:');
  const version = db.prepare('select sqlite_version() as v').get().v;
  db.close();
  return version;
}

const packageVersion = (name) => require(`${name}/package.json`).version;

async function startTarget(name) {
  const spec = TARGETS[name];
  const script = path.join(here, spec.role === 'hub' ? 'hub-server.mjs' : 'baseline-server.mjs');
  const child = fork(script, [], {
    env: { ...process.env, BENCH_DIALECT: spec.dialect, BENCH_SQLITE_SYNCHRONOUS: spec.synchronous ?? 'NORMAL', BENCH_PG_URL: pgUrl ?? '' },
    execArgv: process.env.BENCH_SERVER_NODE_OPTIONS ? process.env.BENCH_SERVER_NODE_OPTIONS.split(' ') : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const target = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not get ready in 60 s`)), 60_000);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready`)));
  });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
    });
  return { target, stop, pid: child.pid };
}

async function measure(name) {
  const started = await startTarget(name);
  try {
    await closedLoop(started.target, { connections: settings.connections, durationMs: settings.warmupMs });
    const throughput = await closedLoop(started.target, { connections: settings.connections, durationMs: settings.durationMs });
    const rates = [];
    for (const rate of settings.rates) {
      rates.push(await openLoop(started.target, { rate, connections: settings.connections, durationMs: settings.rateDurationMs }));
    }
    return { name, ...TARGETS[name], throughput, rates };
  } finally {
    await started.stop();
  }
}

const fmt = (value) => (value === null || value === undefined ? '—' : String(value));
const ratio = (a, b) => (b > 0 ? Math.round((a / b) * 100) / 100 : null);

function report(results) {
  const byName = new Map(results.map((result) => [result.name, result]));
  const lines = [];
  lines.push('', `Throughput, closed loop, ${settings.connections} connections, ${settings.durationMs / 1000} s:`);
  lines.push('| target | req/s | p50 ms | p99 ms | non-2xx |', '|---|---|---|---|---|');
  for (const r of results) lines.push(`| ${r.name} | ${r.throughput.throughput} | ${fmt(r.throughput.p50)} | ${fmt(r.throughput.p99)} | ${r.throughput.failed} |`);
  lines.push('', `Latency, open loop (from when each request was due), ${settings.rateDurationMs / 1000} s per rate:`);
  lines.push('| target | offered/s | achieved/s | p50 ms | p90 ms | p99 ms | non-2xx | unanswered |', '|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    for (const o of r.rates) lines.push(`| ${r.name} | ${o.offered} | ${o.achieved} | ${fmt(o.p50)} | ${fmt(o.p90)} | ${fmt(o.p99)} | ${o.failed} | ${o.unanswered} |`);
  }
  const comparisons = [];
  lines.push('', 'Hub vs baseline:');
  for (const [hubName, baseName] of PAIRS) {
    const hub = byName.get(hubName);
    const base = byName.get(baseName);
    if (hub === undefined || base === undefined) continue;
    const comparison = { hub: hubName, baseline: baseName, throughputRatio: ratio(hub.throughput.throughput, base.throughput.throughput), rates: [] };
    lines.push(`  ${hubName} / ${baseName}: throughput ${hub.throughput.throughput} / ${base.throughput.throughput} req/s = ratio ${fmt(comparison.throughputRatio)} (target ≥ 0.5)`);
    for (const o of hub.rates) {
      const b = base.rates.find((candidate) => candidate.offered === o.offered);
      if (b === undefined) continue;
      const p99Ratio = ratio(o.p99 ?? 0, b.p99 ?? 0);
      comparison.rates.push({ offered: o.offered, hubAchieved: o.achieved, baseAchieved: b.achieved, hubP99: o.p99, baseP99: b.p99, p99Ratio });
      lines.push(`    at ${o.offered}/s: achieved ${o.achieved} vs ${b.achieved}; p99 ${fmt(o.p99)} vs ${fmt(b.p99)} ms = ${fmt(p99Ratio)}× (target at 2000/s: keeps up, ≤ 2×)`);
    }
    comparisons.push(comparison);
  }
  return { text: lines.join('\n'), comparisons };
}

async function main() {
  const pgVersion = await postgresVersion();
  const wanted = args.targets !== undefined ? list(args.targets) : quick ? ['base-sqlite-normal', 'hub-sqlite-normal'] : Object.keys(TARGETS);
  for (const name of wanted) if (!(name in TARGETS)) throw new Error(`unknown target ${name}; known: ${Object.keys(TARGETS).join(', ')}`);
  const targets = wanted.filter((name) => TARGETS[name].dialect !== 'postgres' || pgVersion !== undefined);
  if (!existsSync(path.join(here, '../../dist/src/main.js')) && targets.some((name) => TARGETS[name].role === 'hub')) {
    throw new Error('the hub is not built: run `npm run build:server` first');
  }
  const cpus = os.cpus();
  const environment = {
    date: new Date().toISOString(),
    command: `${process.env.BENCH_HUB_DIST ? `BENCH_HUB_DIST=${process.env.BENCH_HUB_DIST} ` : ''}node bench/intake/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    ramGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    sqlite: sqliteVersion(),
    betterSqlite3: packageVersion('better-sqlite3'),
    postgres: pgVersion ?? 'not reachable (PostgreSQL targets skipped)',
    pg: packageVersion('pg'),
    fastify: packageVersion('fastify'),
    loadavg: os.loadavg().map((value) => Math.round(value * 100) / 100),
    settings,
  };
  console.log('bench/intake');
  console.log(`  command:  ${environment.command}`);
  console.log(`  machine:  ${environment.cpu}, ${environment.cores} cores, ${environment.ramGb} GB RAM, ${environment.os}; load average ${environment.loadavg.join(' ')}`);
  console.log(`  versions: Node ${environment.node}, SQLite ${environment.sqlite} (better-sqlite3 ${environment.betterSqlite3}), PostgreSQL ${environment.postgres} (pg ${environment.pg}), Fastify ${environment.fastify}`);
  console.log(`  load:     2 KB signed Linear Issue deliveries, fresh delivery and issue ids; ${settings.connections} keep-alive connections; generator in this process`);
  console.log(`  targets:  ${targets.join(', ')}`);
  const results = [];
  for (const name of targets) {
    process.stdout.write(`  running ${name} …`);
    const result = await measure(name);
    results.push(result);
    console.log(` ${result.throughput.throughput} req/s`);
  }
  const { text, comparisons } = report(results);
  console.log(text);
  const output = { environment, results, comparisons };
  if (args.json !== undefined) {
    mkdirSync(path.dirname(args.json), { recursive: true });
    writeFileSync(args.json, `${JSON.stringify(output, null, 2)}\n`);
    console.log(`\nresults written to ${args.json}`);
  }
  if (args.svg !== undefined) {
    mkdirSync(path.dirname(args.svg), { recursive: true });
    writeFileSync(args.svg, intakeChart(output));
    console.log(`chart written to ${args.svg}`);
  }
}

await main();

#!/usr/bin/env node
// bench/footprint — idle memory and time to ready of `node bin/integration-hub.js start` (the
// built hub; the build is not timed), with the sandbox off and on (issue 13 item 2; SPEC §5:
// idle RSS ≤ 150 MB with the sandbox off, ready ≤ 2 s). See docs/benchmarks.md "Footprint".
//
//   npm run build && node bench/footprint/run.mjs [--runs 5] [--idle-s 5] [--modes off,on]
//     [--quick] [--json file]
//
// Each run starts the hub twice on an empty SQLite data folder: a first start (migrations, a new
// master key) and a restart (already migrated), each from spawn until GET /readyz answers 200.
// After the restart has been ready and idle for --idle-s seconds its resident set (VmRSS) is read
// from /proc. Medians over the runs, with min–max. Linux only (reads /proc).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN, freePort, killAllChildren, sleep, spawnNode, stopGracefully, waitForOk } from '../chaos/processes.mjs';
import { parseArgs, printRunInfo, runInfo } from '../run-info.mjs';

const TARGETS = { rssMb: 150, readyMs: 2000 };

/** VmRSS and VmHWM of a process, in MB. */
function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

async function envFor(mode, dataDir) {
  const port = await freePort();
  return {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...(mode === 'off'
      ? { SANDBOX: 'off' }
      : { SANDBOX: 'auto', SANDBOX_PAGERDUTY_PORT: String(await freePort()), SANDBOX_LINEAR_PORT: String(await freePort()) }),
  };
}

/**
 * CPU time (user + system) a process has used, in ms: less sensitive than wall time to other
 * work on the machine. Linux reports it in clock ticks (USER_HZ, 100 a second).
 */
function cpuMsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Spawn → /readyz 200, in ms (and the CPU time used by then); the running process is returned too. */
async function startAndTime(env) {
  const hub = spawnNode([BIN, 'start'], env);
  const readyAt = await waitForOk(`http://127.0.0.1:${env.PORT}/readyz`, hub, 60_000, 5);
  return { hub, readyMs: readyAt - hub.startedAt, cpuMs: cpuMsOf(hub.child.pid) };
}

async function oneRun(mode, idleMs) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-footprint-'));
  try {
    const env = await envFor(mode, dataDir);
    const first = await startAndTime(env);
    await stopGracefully(first.hub, 30_000);
    const again = await startAndTime(env);
    try {
      await sleep(idleMs);
      return { firstReadyMs: first.readyMs, readyMs: again.readyMs, readyCpuMs: again.cpuMs, ...memoryOf(again.hub.child.pid) };
    } finally {
      await stopGracefully(again.hub, 30_000);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const summary = (values, digits = 0) => `${median(values).toFixed(digits)} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;

// Stopped from outside (Ctrl+C, a test's timeout): take the hub along.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killAllChildren();
    process.exit(130);
  });
}

const args = parseArgs(process.argv.slice(2));
const quick = args.quick === true;
const runs = Number(args.runs ?? (quick ? 1 : 5));
const idleMs = Number(args['idle-s'] ?? (quick ? 1 : 5)) * 1000;
const modes = (args.modes ?? 'off,on').split(',');
// Without dist/web the hub serves no web app and skips its static-file plugin: say so.
const webBuilt = existsSync(new URL('../../dist/web/index.html', import.meta.url));
const info = runInfo({
  settings: `${runs} runs per mode, RSS read after ${idleMs / 1000} s idle, SQLite in a fresh DATA_DIR, LOG_LEVEL=warn`,
  web: webBuilt ? 'dist/web built (served)' : 'dist/web NOT built: the web app is not served (run npm run build for the full figure)',
});
printRunInfo(info);

const results = [];
for (const mode of modes) {
  const samples = [];
  for (let run = 1; run <= runs; run++) {
    const sample = await oneRun(mode, idleMs);
    samples.push(sample);
    process.stdout.write(`sandbox ${mode} run ${run}: first start ${sample.firstReadyMs.toFixed(0)} ms, restart ${sample.readyMs.toFixed(0)} ms (CPU ${sample.readyCpuMs} ms), idle RSS ${sample.rssMb.toFixed(1)} MB (peak ${sample.peakMb.toFixed(1)} MB)\n`);
  }
  results.push({
    sandbox: mode,
    runs,
    firstReadyMsMedian: median(samples.map((s) => s.firstReadyMs)),
    readyMsMedian: median(samples.map((s) => s.readyMs)),
    readyCpuMsMedian: median(samples.map((s) => s.readyCpuMs)),
    idleRssMbMedian: median(samples.map((s) => s.rssMb)),
    peakRssMbMedian: median(samples.map((s) => s.peakMb)),
    summary: {
      firstReadyMs: summary(samples.map((s) => s.firstReadyMs)),
      readyMs: summary(samples.map((s) => s.readyMs)),
      readyCpuMs: summary(samples.map((s) => s.readyCpuMs)),
      idleRssMb: summary(samples.map((s) => s.rssMb), 1),
      peakRssMb: summary(samples.map((s) => s.peakMb), 1),
    },
    samples,
  });
}

const mark = (ok) => (ok ? '✓' : '✗');
process.stdout.write(`\n| sandbox | first start → ready, ms | restart → ready, ms | CPU used by then, ms | idle RSS, MB | peak RSS, MB |\n|---|---|---|---|---|---|\n`);
for (const r of results) {
  const rssTarget = r.sandbox === 'off' ? ` ${mark(r.idleRssMbMedian <= TARGETS.rssMb)}` : '';
  process.stdout.write(`| ${r.sandbox} | ${r.summary.firstReadyMs} ${mark(r.firstReadyMsMedian <= TARGETS.readyMs)} | ${r.summary.readyMs} ${mark(r.readyMsMedian <= TARGETS.readyMs)} | ${r.summary.readyCpuMs} | ${r.summary.idleRssMb}${rssTarget} | ${r.summary.peakRssMb} |\n`);
}
process.stdout.write(`\nmedian (min–max) of ${runs} run(s); targets: ready ≤ ${TARGETS.readyMs} ms, idle RSS ≤ ${TARGETS.rssMb} MB with the sandbox off\n`);
if (args.json !== undefined) writeFileSync(args.json, JSON.stringify({ info, targets: TARGETS, results }, null, 2));

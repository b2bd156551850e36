// Child processes for the bench scripts: spawn with a bounded output tail, wait until a URL
// answers, kill -9, stop gracefully.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/integration-hub.js', import.meta.url));
const STAND_INS = fileURLToPath(new URL('./stand-ins.mjs', import.meta.url));

const TAIL_BYTES = 64 * 1024;

/** Every child still running, so a script stopped by a signal can take them with it. */
const running = new Set();

/** SIGKILLs every child started here that is still running (for signal handlers). */
export function killAllChildren() {
  for (const child of running) child.kill('SIGKILL');
}

/** Starts `node <args>` with exactly `env` (plus PATH); stdout and stderr are kept (the last 64 KB). */
export function spawnNode(args, env, options = {}) {
  const startedAt = performance.now();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk) => {
    tail = (tail + chunk.toString()).slice(-TAIL_BYTES);
    options.onOutput?.(chunk.toString());
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  running.add(child);
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    running.delete(child);
    resolve({ code, signal });
  }));
  return { child, startedAt, exited, output: () => tail };
}

/** Resolves once `url` answers 200; rejects after `timeoutMs` or when the process exits first. */
export async function waitForOk(url, proc, timeoutMs = 30_000, intervalMs = 20) {
  const deadline = performance.now() + timeoutMs;
  let exited;
  void proc.exited.then((result) => (exited = result));
  while (performance.now() < deadline) {
    if (exited !== undefined) throw new Error(`the process exited (${JSON.stringify(exited)}) before ${url} answered:\n${proc.output()}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.ok) return performance.now();
    } catch {
      // not listening yet
    }
    await sleep(intervalMs);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${proc.output()}`);
}

/** kill -9, and wait until the process is gone. */
export async function killHard(proc) {
  proc.child.kill('SIGKILL');
  return proc.exited;
}

/** SIGTERM, then SIGKILL if it is still running after `graceMs`. */
export async function stopGracefully(proc, graceMs = 60_000) {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return proc.exited;
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  try {
    return await proc.exited;
  } finally {
    clearTimeout(timer);
  }
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

import { freePort as freePortOf } from '../intake/ports.mjs';
export { freePort } from '../intake/ports.mjs';

/** Stopped from outside (Ctrl+C, a test's timeout): the bench takes the hub and the stand-ins along. */
export function stopChildrenOnSignal() {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      killAllChildren();
      process.exit(130);
    });
  }
}

/** The hub's environment for talking to stand-ins as if they were the vendors (test/helpers/connections.ts vendorEnvFor). */
export function standInVendorEnv(pagerdutyUrl, linearUrl) {
  return {
    PAGERDUTY_CLIENT_ID: 'integration-hub-sandbox',
    PAGERDUTY_CLIENT_SECRET: 'integration-hub-sandbox-secret',
    PAGERDUTY_IDENTITY_URL: pagerdutyUrl,
    PAGERDUTY_API_URL: pagerdutyUrl,
    PAGERDUTY_EU_API_URL: pagerdutyUrl,
    LINEAR_CLIENT_ID: 'integration-hub-sandbox',
    LINEAR_CLIENT_SECRET: 'integration-hub-sandbox-secret',
    LINEAR_OAUTH_URL: linearUrl,
    LINEAR_API_URL: linearUrl,
    SANDBOX: 'off',
  };
}

/**
 * Starts the PagerDuty and Linear stand-ins in a process of their own (stand-ins.mjs) on free
 * ports and waits until both answer; their stop is put first in `cleanups`.
 * Returns `{ proc, pagerdutyUrl, linearUrl, summaryUrl }`.
 */
export async function startStandIns(cleanups) {
  const [pagerdutyPort, linearPort, summaryPort] = [await freePortOf(), await freePortOf(), await freePortOf()];
  const proc = spawnNode([STAND_INS], {
    SANDBOX_PAGERDUTY_PORT: String(pagerdutyPort),
    SANDBOX_LINEAR_PORT: String(linearPort),
    SANDBOX_SUMMARY_PORT: String(summaryPort),
  });
  cleanups.unshift(async () => stopGracefully(proc, 5000));
  const pagerdutyUrl = `http://localhost:${pagerdutyPort}`;
  const linearUrl = `http://localhost:${linearPort}`;
  await waitForOk(`${pagerdutyUrl}/_sandbox/clock`, proc);
  await waitForOk(`${linearUrl}/_sandbox/clock`, proc);
  return { proc, pagerdutyUrl, linearUrl, summaryUrl: `http://127.0.0.1:${summaryPort}` };
}

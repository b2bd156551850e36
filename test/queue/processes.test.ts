/**
 * The job queue across real processes: worker processes (fixtures/worker-process.mjs, running the
 * built queue from dist/) share one database with this test process, which enqueues and checks.
 * A worker killed with SIGKILL mid-job; several workers and hundreds of jobs, each run exactly
 * once and lanes in order; a NOTIFY wake-up from another process; SIGTERM draining the run in
 * flight. PostgreSQL (a database of its own per test, created and dropped here) and one SQLite
 * file shared by every process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { systemClock } from '../../src/core/clock.js';
import { openDatabase, quoteIdent, type HubDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { defineJobKind, MAX_JOB_TIMEOUT_MS } from '../../src/queue/catalog.js';
import { JobQueue } from '../../src/queue/queue.js';
import { LEASE_MS } from '../../src/queue/worker.js';
import { assertBuilt, childEnv } from '../helpers/cli.js';
import { TEST_DATABASE_URL } from '../helpers/databases.js';
import { requirePrerequisite } from '../helpers/prerequisites.js';

const WORKER_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'worker-process.mjs');

/** Same kind as in fixtures/worker-process.mjs: this process enqueues, the children run. */
const workJob = defineJobKind({
  kind: 'test.work',
  payload: z.strictObject({ n: z.number().int(), lane: z.string().optional(), sleepMs: z.number().int().optional() }),
  timeoutMs: 10_000,
  retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 200 },
});

interface Run {
  job_id: string;
  n: number;
  lane: string | null;
  started_at: number;
  finished_at: number | null;
  pid: number;
}

/** A migrated database the children open by URL, plus this process's own handle on it. */
interface SharedDatabase {
  url: string;
  database: HubDatabase;
  queue: JobQueue;
  drop(): Promise<void>;
}

let counter = 0;

/** A fresh PostgreSQL database on the TEST_DATABASE_URL server (public schema, as in production). */
async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `hub_queue_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${quoteIdent(name)}`);
  const url = new URL(TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${quoteIdent(name)} with (force)`) };
}

/** A SQLite file every process opens. */
async function createSqliteFile(): Promise<{ url: string; drop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hub-queue-processes-'));
  return { url: `sqlite:${path.join(dir, 'hub.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

async function createShared(create: () => Promise<{ url: string; drop: () => Promise<void> }>): Promise<SharedDatabase> {
  const { url, drop } = await create();
  const database = await openDatabase(
    url.startsWith('sqlite:') ? { dialect: 'sqlite', file: url.slice('sqlite:'.length), synchronous: 'NORMAL' } : { dialect: 'postgres', url },
    { maxConnections: 5 },
  );
  await migrateToLatest(database);
  // The children's record of every run (a test table: not part of the migrations).
  await sql`create table queue_test_runs (
              job_id text not null, n integer not null, lane text,
              started_at bigint not null, finished_at bigint, pid integer not null)`.execute(database.db);
  return {
    url,
    database,
    queue: new JobQueue(database, systemClock),
    drop: async () => {
      await database.close();
      await drop();
    },
  };
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  exited: Promise<Exit>;
  /** SIGTERM, then the exit. */
  stop(): Promise<Exit>;
}

const started: WorkerProcess[] = [];

/** Starts fixtures/worker-process.mjs; resolves once it says "ready". */
async function startWorker(url: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [WORKER_SCRIPT], {
    env: childEnv({ DATABASE_URL: url, LOG_LEVEL: 'warn', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<Exit>((resolve) => {
    child.on('exit', (code, signal) => setImmediate(() => resolve({ code, signal, stdout, stderr })));
  });
  const worker: WorkerProcess = {
    child,
    pid: child.pid!,
    exited,
    stop: async () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
  started.push(worker);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not ready within 15 s: ${stdout}${stderr}`)), 15_000);
    child.stdout.on('data', () => {
      if (stdout.includes('ready\n')) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then((exit) => {
      clearTimeout(timer);
      reject(new Error(`worker exited before ready (${exit.code ?? exit.signal}): ${exit.stdout}${exit.stderr}`));
    });
  });
  return worker;
}

/** The `stopped {...}` line a worker prints on a clean stop. */
function stats(exit: Exit): { runs: number; queries: number } {
  const line = exit.stdout.split('\n').find((l) => l.startsWith('stopped '));
  if (line === undefined) throw new Error(`no "stopped" line: ${exit.stdout}${exit.stderr}`);
  return JSON.parse(line.slice('stopped '.length)) as { runs: number; queries: number };
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()); ) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const postgresAvailable = requirePrerequisite('PostgreSQL (TEST_DATABASE_URL)', TEST_DATABASE_URL !== undefined);
const cases = [
  { name: 'PostgreSQL', available: postgresAvailable, create: createPostgresDatabase, processes: 3, jobs: 600 },
  { name: 'SQLite (one file)', available: true, create: createSqliteFile, processes: 2, jobs: 200 },
];

describe('job queue lease', () => {
  it('is longer than any run may take, and a dead worker’s job is runnable again within a minute', () => {
    expect(LEASE_MS).toBeLessThanOrEqual(60_000);
    expect(LEASE_MS).toBeGreaterThan(MAX_JOB_TIMEOUT_MS);
  });
});

describe.each(cases)('job queue across worker processes on $name', ({ name, available, create, processes, jobs }) => {
  let shared: SharedDatabase | undefined;

  beforeAll(() => {
    if (available) assertBuilt('dist/src/queue/worker.js', 'dist/src/queue/queue.js', 'dist/src/queue/errors.js', 'dist/src/db/database.js');
  });
  afterEach(async () => {
    // Anything a test left running (a failed assertion midway) is killed, by its own pid.
    for (const worker of started.splice(0)) {
      if (worker.child.exitCode === null && worker.child.signalCode === null) {
        worker.child.kill('SIGKILL');
        await worker.exited;
      }
    }
    await shared?.drop();
    shared = undefined;
  });

  const job = (id: string) => shared!.database.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const runs = async () =>
    (await sql<Run>`select * from queue_test_runs order by started_at, n`.execute(shared!.database.db)).rows.map((row) => ({
      ...row,
      n: Number(row.n),
      pid: Number(row.pid),
    }));

  it.runIf(available)('a worker killed mid-job (SIGKILL): once the lease runs out another worker runs the job again, and it completes once', async () => {
    shared = await createShared(create);
    const crashing = await startWorker(shared.url, { CRASH_ON: '7', POLL_MS: '100' });
    const id = await shared.queue.enqueueNow(workJob, { n: 7 });
    const death = await crashing.exited;
    expect(death.signal).toBe('SIGKILL');

    let row = await job(id);
    expect(row).toMatchObject({ status: 'running', attempts: 1 });
    expect(row.locked_until!).toBeGreaterThan(Date.now() + 30_000); // leased for LEASE_MS
    expect(await runs()).toEqual([expect.objectContaining({ job_id: id, pid: crashing.pid, finished_at: null })]);

    // A second worker leaves the job alone while the dead worker's lease holds (it claims at
    // start and polls every second).
    const survivor = await startWorker(shared.url);
    await sleep(1_200);
    expect(await job(id)).toMatchObject({ status: 'running', attempts: 1, locked_by: row.locked_by });
    expect(await runs()).toHaveLength(1);

    // The lease (LEASE_MS, about a minute) running out, without waiting a minute: move the
    // lease's end into the past, as the passage of time would.
    await shared.database.db.updateTable('jobs').set({ locked_until: Date.now() - 1 }).where('id', '=', id).execute();
    const expiredAt = Date.now();
    await until(async () => (await job(id)).status === 'succeeded', 5_000, 'the job ran again after its lease expired');
    const pickedUpMs = Date.now() - expiredAt;
    expect(pickedUpMs).toBeLessThan(3_000); // the 1 s poll, plus slack for a loaded machine

    row = await job(id);
    expect(row).toMatchObject({ status: 'succeeded', attempts: 2, locked_by: null, locked_until: null });
    const all = await runs();
    expect(all).toHaveLength(2);
    expect(all.filter((run) => run.finished_at !== null)).toEqual([expect.objectContaining({ job_id: id, pid: survivor.pid })]);

    const exit = await survivor.stop();
    expect(exit.code, exit.stderr).toBe(0);
    expect(stats(exit).runs).toBe(1);
    console.info(`[${name}] killed worker's job run again ${pickedUpMs} ms after its lease expired`);
  });

  it.runIf(available)(
    `${processes} worker processes and ${jobs} jobs: each job runs exactly once, every lane one at a time in enqueue order`,
    { timeout: 45_000 },
    async () => {
      shared = await createShared(create);
      // SQLite processes see each other's work only by polling: poll often enough that every
      // process gets a share (PostgreSQL wakes them all through NOTIFY).
      const workers = await Promise.all(
        Array.from({ length: processes }, () => startWorker(shared!.url, { WORKER_CONCURRENCY: '4', POLL_MS: '250' })),
      );

      // One job in five is in one of four lanes; the lane jobs take a little longer, so that an
      // overlap would show in the run intervals. Every run takes a few ms, so that no process can
      // drain the queue alone before the others look.
      const ids = new Map<string, number>();
      const start = Date.now();
      await shared.database.db.transaction().execute(async (trx) => {
        for (let n = 0; n < jobs; n++) {
          const lane = n % 5 === 0 ? `lane-${(n / 5) % 4}` : undefined;
          const id = await shared!.queue.enqueue(trx, workJob, { n, sleepMs: lane === undefined ? 10 : 15 }, { lane: lane ?? null });
          ids.set(id, n);
        }
      });
      const enqueuedAt = Date.now();
      const succeeded = async () =>
        Number(
          (
            await shared!.database.db
              .selectFrom('jobs')
              .select((eb) => eb.fn.countAll().as('count'))
              .where('status', '=', 'succeeded')
              .executeTakeFirstOrThrow()
          ).count,
        );
      await until(async () => (await succeeded()) === jobs, 30_000, `all ${jobs} jobs succeeded`);
      const doneAt = Date.now();

      const rows = await shared.database.db.selectFrom('jobs').select(['id', 'status', 'attempts']).execute();
      expect(rows).toHaveLength(jobs);
      expect(rows.every((r) => r.status === 'succeeded' && r.attempts === 1)).toBe(true);

      const all = await runs();
      expect(all).toHaveLength(jobs);
      expect(new Set(all.map((run) => run.job_id)).size).toBe(jobs);
      expect(all.every((run) => ids.get(run.job_id) === run.n && run.finished_at !== null)).toBe(true);
      const pids = new Set(all.map((run) => run.pid));
      expect(pids.size).toBeGreaterThanOrEqual(2);
      for (const pid of pids) expect(workers.map((w) => w.pid)).toContain(pid);

      const lanes = new Map<string, Run[]>();
      for (const run of all) if (run.lane !== null) lanes.set(run.lane, [...(lanes.get(run.lane) ?? []), run]);
      expect([...lanes.keys()].sort()).toEqual(['lane-0', 'lane-1', 'lane-2', 'lane-3']);
      for (const [lane, laneRuns] of lanes) {
        const byEnqueue = [...laneRuns].sort((a, b) => a.n - b.n);
        expect(byEnqueue).toHaveLength(jobs / 20);
        for (let i = 1; i < byEnqueue.length; i++) {
          const previous = byEnqueue[i - 1]!;
          const next = byEnqueue[i]!;
          // Started only after the previous job of the lane (in enqueue order) had finished.
          expect(next.started_at, `${lane}: job ${next.n} started before job ${previous.n} finished`).toBeGreaterThanOrEqual(previous.finished_at!);
        }
      }

      const exits = await Promise.all(workers.map((worker) => worker.stop()));
      for (const exit of exits) expect(exit.code, exit.stderr).toBe(0);
      const perProcess = exits.map((exit) => stats(exit));
      expect(perProcess.reduce((sum, s) => sum + s.runs, 0)).toBe(jobs);
      const seconds = (doneAt - enqueuedAt) / 1000;
      console.info(
        `[${name}] ${jobs} jobs, ${processes} processes × 4: enqueued in ${enqueuedAt - start} ms, ` +
          `all done ${seconds.toFixed(2)} s after commit (${Math.round(jobs / seconds)} jobs/s); ` +
          `runs per process ${perProcess.map((s) => s.runs).join('/')}, worker statements per process ${perProcess.map((s) => s.queries).join('/')}`,
      );
    },
  );

  // NOTIFY is PostgreSQL's (other SQLite processes poll): the case exists only there.
  if (name === 'PostgreSQL') {
    it.runIf(available)('a job enqueued in another process wakes an idle worker through NOTIFY, long before its poll', async () => {
      shared = await createShared(create);
      const worker = await startWorker(shared.url, { POLL_MS: '30000' });
      await sleep(300); // the worker's first claim (at start) is over: it now sleeps for 30 s
      const enqueuedAt = Date.now();
      const id = await shared.queue.enqueueNow(workJob, { n: 1 });
      await until(async () => (await job(id)).status === 'succeeded', 5_000, 'the job ran');
      const latencyMs = Date.now() - enqueuedAt;
      const exit = await worker.stop();
      expect(exit.code, exit.stderr).toBe(0);
      expect(stats(exit).runs).toBe(1);
      console.info(`[${name}] enqueue in another process → job done in ${latencyMs} ms (worker poll: 30 s)`);
    });
  }

  // A blocked lane must not make an idle worker spin: nextRunAt counts lane heads only.
  it.runIf(available)('a lane whose head is deferred waits without the worker busy-polling the database', async () => {
    shared = await createShared(create);
    const worker = await startWorker(shared.url, { DEFER_ON: '1' }); // default 1 s poll
    let head = '';
    let next = '';
    await shared.database.db.transaction().execute(async (trx) => {
      head = await shared!.queue.enqueue(trx, workJob, { n: 1 }, { lane: 'lane-a' }); // deferred for 60 s
      next = await shared!.queue.enqueue(trx, workJob, { n: 2 }, { lane: 'lane-a' });
    });
    shared.queue.wake();
    await until(async () => (await job(head)).last_error !== null, 5_000, 'the head was deferred');
    expect(await job(head)).toMatchObject({ status: 'queued', attempts: 0 });
    await sleep(2_000);
    expect(await job(next)).toMatchObject({ status: 'queued', attempts: 0 }); // the lane waits for its head
    const exit = await worker.stop();
    expect(exit.code, exit.stderr).toBe(0);
    // Polling once a second for ~2.5 s is a few dozen statements at most.
    const { queries } = stats(exit);
    console.info(`[${name}] worker statements while its only lane was deferred for ~2.5 s: ${queries}`);
    expect(queries).toBeLessThan(100);
  });

  it.runIf(available)('SIGTERM while a job runs: the run finishes and is recorded before the process exits 0', async () => {
    shared = await createShared(create);
    const worker = await startWorker(shared.url, { POLL_MS: '100' });
    // The run's context.signal is aborted at SIGTERM (catalog.ts: "Aborted when the run times out or
    // the worker shuts down"); this handler ignores it, so stop() waits for it to finish.
    const id = await shared.queue.enqueueNow(workJob, { n: 1, sleepMs: 1_000 });
    await until(async () => (await runs()).length === 1, 5_000, 'the job started');
    const signalledAt = Date.now();
    const exit = await worker.stop();
    const exitedAt = Date.now();
    expect(exit.code, exit.stderr).toBe(0);
    expect(stats(exit).runs).toBe(1);

    const [run] = await runs();
    expect(run!.finished_at).not.toBeNull();
    expect(run!.finished_at!).toBeGreaterThan(signalledAt); // it was mid-run when signalled
    expect(run!.finished_at!).toBeLessThanOrEqual(exitedAt);
    expect(await job(id)).toMatchObject({ status: 'succeeded', attempts: 1, locked_by: null });
  });
});

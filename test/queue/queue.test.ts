import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { ConnectionUnavailableError } from '../../src/connections/errors.js';
import { classifyProviderJobError } from '../../src/connections/job-errors.js';
import { ManualClock, systemClock, type Clock } from '../../src/core/clock.js';
import { createLogger } from '../../src/observability/logger.js';
import { ProviderRateLimitedError } from '../../src/providers/errors.js';
import { defineJobKind, registerJob, type JobHandler } from '../../src/queue/catalog.js';
import { claimJobs, replayDeadJob } from '../../src/queue/jobs-repository.js';
import { JobQueue } from '../../src/queue/queue.js';
import { LEASE_MS, QueueWorker } from '../../src/queue/worker.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.js';

const logger = createLogger({ level: 'silent' });
const testJob = defineJobKind({
  kind: 'test.record',
  payload: z.strictObject({ n: z.number().int() }),
  timeoutMs: 2_000,
  retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 },
  // As every kind that calls a provider declares it.
  classifyError: classifyProviderJobError,
});

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()); ) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(testDialects())('job queue (%s)', (dialect) => {
  let database: TestDatabase;
  let workers: QueueWorker[];
  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    workers = [];
  });
  afterEach(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await database.destroy();
  });

  async function startWorker(queue: JobQueue, handler: JobHandler<{ n: number }>, options: { clock?: Clock; concurrency?: number } = {}) {
    const worker = new QueueWorker({
      database,
      queue,
      clock: options.clock ?? systemClock,
      logger,
      jobs: [registerJob(testJob, handler)],
      concurrency: options.concurrency ?? 4,
      pollIntervalMs: 200,
    });
    await worker.start();
    workers.push(worker);
    return worker;
  }

  const job = (id: string) => database.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  test('a job exists only if the enqueueing transaction commits, and runs once', async () => {
    const queue = new JobQueue(database, systemClock);
    const ran: number[] = [];
    await startWorker(queue, async ({ n }) => void ran.push(n));
    await database.db
      .transaction()
      .execute(async (trx) => {
        await queue.enqueue(trx, testJob, { n: 1 });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    const id = await queue.enqueueNow(testJob, { n: 2 });
    await until(async () => (await job(id)).status === 'succeeded');
    expect(ran).toEqual([2]);
    expect(await database.db.selectFrom('jobs').select('id').execute()).toHaveLength(1);
  });

  test('refuses a payload that does not fit the kind, before writing anything', async () => {
    const queue = new JobQueue(database, systemClock);
    await expect(queue.enqueueNow(testJob, { n: 'x' } as never)).rejects.toThrow();
    expect(await database.db.selectFrom('jobs').select('id').execute()).toHaveLength(0);
  });

  test('retries with backoff, then dies after the last attempt keeping the error; replay runs it again', async () => {
    const queue = new JobQueue(database, systemClock);
    let fail = true;
    let runs = 0;
    await startWorker(queue, async () => {
      runs++;
      if (fail) throw new Error(`upstream said no (${runs})`);
    });
    await database.db.insertInto('organisations').values({ id: 'org_a', name: 'A', created_at: Date.now() }).execute();
    const id = await queue.enqueueNow(testJob, { n: 1 }, { organisationId: 'org_a' });
    await until(async () => (await job(id)).status === 'dead');
    const dead = await job(id);
    expect(dead.attempts).toBe(3);
    expect(dead.last_error).toBe('upstream said no (3)');
    expect(runs).toBe(3);

    fail = false;
    expect(await replayDeadJob(database.db, 'org_other', id, Date.now())).toBe(false); // not that organisation's job
    expect(await replayDeadJob(database.db, 'org_a', id, Date.now())).toBe(true);
    expect(await replayDeadJob(database.db, 'org_a', id, Date.now())).toBe(false); // no longer dead
    queue.wake();
    await until(async () => (await job(id)).status === 'succeeded');
    expect(runs).toBe(4);
  });

  test('jobs of one lane run one at a time, in order, across several workers', async () => {
    const queue = new JobQueue(database, systemClock);
    const lanes = 5;
    const perLane = 15;
    const seen = new Map<string, number[]>();
    const running = new Set<string>();
    let overlaps = 0;
    const handler: JobHandler<{ n: number }> = async ({ n }, context) => {
      const lane = context.lane!;
      if (running.has(lane)) overlaps++;
      running.add(lane);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 8));
      seen.set(lane, [...(seen.get(lane) ?? []), n]);
      running.delete(lane);
    };
    await Promise.all([startWorker(queue, handler), startWorker(queue, handler), startWorker(queue, handler)]);
    await database.db.transaction().execute(async (trx) => {
      for (let n = 0; n < perLane; n++) {
        for (let lane = 0; lane < lanes; lane++) await queue.enqueue(trx, testJob, { n }, { lane: `lane-${lane}` });
      }
    });
    queue.wake();
    await until(() => [...seen.values()].reduce((sum, list) => sum + list.length, 0) === lanes * perLane, 20_000);
    expect(overlaps).toBe(0);
    for (const list of seen.values()) expect(list).toEqual(Array.from({ length: perLane }, (_, n) => n));
  });

  test('a job whose worker died is run again once its lease expires', async () => {
    const clock = new ManualClock(Date.now());
    const queue = new JobQueue(database, clock);
    const id = await queue.enqueueNow(testJob, { n: 7 });
    // A worker that claims the job and then disappears.
    const claimed = await claimJobs(database.db, dialect, { worker: 'wrk_gone', kinds: [testJob.kind], limit: 1, now: clock.now(), leaseMs: LEASE_MS });
    expect(claimed.map((row) => row.id)).toEqual([id]);
    const ran: number[] = [];
    await startWorker(queue, async ({ n }) => void ran.push(n), { clock });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ran).toEqual([]); // the lease still holds
    expect(LEASE_MS).toBeLessThanOrEqual(60_000);
    clock.advance(LEASE_MS + 1);
    queue.wake();
    await until(async () => (await job(id)).status === 'succeeded');
    expect(ran).toEqual([7]);
    expect((await job(id)).attempts).toBe(2);
  });

  test('a Disconnected connection or a rate limit defers the job without using an attempt', async () => {
    const clock = new ManualClock(Date.now());
    const queue = new JobQueue(database, clock);
    let mode: 'disconnected' | 'limited' | 'ok' = 'disconnected';
    await startWorker(
      queue,
      async () => {
        if (mode === 'disconnected') throw new ConnectionUnavailableError('pagerduty', 'disconnected', 'PagerDuty is disconnected.');
        if (mode === 'limited') throw new ProviderRateLimitedError('pagerduty', 'rate limited', 20);
      },
      { clock },
    );
    const id = await queue.enqueueNow(testJob, { n: 1 });
    await until(async () => (await job(id)).last_error !== null);
    let row = await job(id);
    expect(row).toMatchObject({ status: 'queued', attempts: 0, waiting_for: 'connection:pagerduty' });
    expect(row.run_at).toBeGreaterThanOrEqual(clock.now() + 30_000);

    mode = 'limited';
    clock.advance(30_001);
    queue.wake();
    await until(async () => (await job(id)).last_error?.startsWith('Waiting for a rate limit') === true);
    row = await job(id);
    expect(row).toMatchObject({ status: 'queued', attempts: 0, waiting_for: null, throttled_since: clock.now() });
    expect(row.run_at).toBeGreaterThanOrEqual(clock.now() + 20_000);

    mode = 'ok';
    clock.advance(20_001);
    queue.wake();
    await until(async () => (await job(id)).status === 'succeeded');
    expect(await job(id)).toMatchObject({ attempts: 1, throttled_since: null });
  });

  test('a reconnect brings the jobs that waited for it forward at once', async () => {
    const clock = new ManualClock(Date.now());
    const queue = new JobQueue(database, clock);
    await database.db.insertInto('organisations').values({ id: 'org_a', name: 'A', created_at: Date.now() }).execute();
    let connected = false;
    const ran: number[] = [];
    await startWorker(
      queue,
      async ({ n }) => {
        if (!connected) throw new ConnectionUnavailableError('linear', 'disconnected', 'Linear is disconnected.');
        ran.push(n);
      },
      { clock },
    );
    const id = await queue.enqueueNow(testJob, { n: 5 }, { organisationId: 'org_a' });
    await until(async () => (await job(id)).waiting_for === 'connection:linear');
    expect(await queue.resumeWaiting('org_a', 'connection:pagerduty')).toBe(0); // another provider's wait
    connected = true;
    // No clock movement: only the resume can make it due.
    expect(await queue.resumeWaiting('org_a', 'connection:linear')).toBe(1);
    await until(async () => (await job(id)).status === 'succeeded');
    expect(ran).toEqual([5]);
    expect((await job(id)).attempts).toBe(1);
  });
});

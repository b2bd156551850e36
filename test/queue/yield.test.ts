import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { systemClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/observability/logger.js';
import { defineJobKind, registerJob, type JobHandler } from '../../src/queue/catalog.js';
import { JobQueue } from '../../src/queue/queue.js';
import { QueueWorker } from '../../src/queue/worker.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.js';

/**
 * A saturated process puts waiting requests first (worker `yieldAboveUtilisation` with
 * `yieldOnlyWhile`, as main.ts sets them): one job at a time only while the predicate holds;
 * otherwise the worker's whole concurrency, however busy the loop. The threshold 0 makes the
 * loop count as saturated always, so the predicate alone decides.
 */

const logger = createLogger({ level: 'silent' });
const waitJob = defineJobKind({
  kind: 'test.yield_wait',
  payload: z.strictObject({ n: z.number() }),
  timeoutMs: 10_000,
  retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 20 },
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(testDialects())('a saturated worker yields to requests in flight (%s)', (dialect) => {
  let database: TestDatabase;
  let worker: QueueWorker | undefined;
  beforeEach(async () => {
    database = await createTestDatabase(dialect);
  });
  afterEach(async () => {
    await worker?.stop();
    await database.destroy();
  });

  /** Runs six jobs that each hold their slot for 40 ms; returns the most that ran at once. */
  async function mostAtOnce(requestsWaiting: () => boolean): Promise<number> {
    const queue = new JobQueue(database, systemClock);
    let running = 0;
    let most = 0;
    let finished = 0;
    const handler: JobHandler<{ n: number }> = async () => {
      most = Math.max(most, ++running);
      await sleep(40);
      running--;
      finished++;
    };
    worker = new QueueWorker({ database, queue, clock: systemClock, logger, jobs: [registerJob(waitJob, handler)], concurrency: 4, pollIntervalMs: 50, yieldAboveUtilisation: 0, yieldOnlyWhile: requestsWaiting });
    await worker.start();
    await sleep(150); // the loop's utilisation is judged over 100 ms at least
    await database.db.transaction().execute(async (trx) => {
      for (let n = 0; n < 6; n++) await queue.enqueue(trx, waitJob, { n });
    });
    queue.wake();
    for (const deadline = Date.now() + 10_000; finished < 6; await sleep(10)) {
      if (Date.now() > deadline) throw new Error(`only ${finished} of 6 jobs finished`);
    }
    return most;
  }

  test('requests waiting: one job at a time', async () => {
    expect(await mostAtOnce(() => true)).toBe(1);
  });

  test('no requests waiting: the whole concurrency, busy loop or not', async () => {
    expect(await mostAtOnce(() => false)).toBe(4);
  });
});

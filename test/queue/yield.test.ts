import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { systemClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/observability/logger.js';
import { defineJobKind, registerJob, type JobHandler } from '../../src/queue/catalog.js';
import { JobQueue } from '../../src/queue/queue.js';
import { QueueWorker } from '../../src/queue/worker.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.js';

/**
 * A saturated process puts accepting webhooks first (worker `yieldAboveUtilisation`, as main.ts
 * sets it): one job at a time, but only while work is backed up — the oldest job of its last
 * claim was due more than a second before. Work it keeps up with runs at full concurrency
 * however busy the loop. The threshold 0 makes the loop count as saturated always, so the
 * backlog alone decides.
 */

const logger = createLogger({ level: 'silent' });
const waitJob = defineJobKind({
  kind: 'test.yield_wait',
  payload: z.strictObject({ n: z.number() }),
  timeoutMs: 10_000,
  retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 20 },
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(testDialects())('a saturated worker yields while work is backed up (%s)', (dialect) => {
  let database: TestDatabase;
  let worker: QueueWorker | undefined;
  beforeEach(async () => {
    database = await createTestDatabase(dialect);
  });
  afterEach(async () => {
    await worker?.stop();
    await database.destroy();
  });

  /** Runs `count` jobs on a worker of concurrency 4; returns how many were running as each started (itself included). */
  async function runningAtEachStart(count: number, handler: (running: () => number) => Promise<void>, dueAgoMs = 0): Promise<number[]> {
    const queue = new JobQueue(database, systemClock);
    let running = 0;
    let finished = 0;
    const startedWith: number[] = [];
    const run: JobHandler<{ n: number }> = async () => {
      startedWith.push(++running);
      await handler(() => running);
      running--;
      finished++;
    };
    worker = new QueueWorker({ database, queue, clock: systemClock, logger, jobs: [registerJob(waitJob, run)], concurrency: 4, pollIntervalMs: 50, yieldAboveUtilisation: 0 });
    await worker.start();
    await sleep(150); // the loop's utilisation is judged over 100 ms at least
    await database.db.transaction().execute(async (trx) => {
      for (let n = 0; n < count; n++) await queue.enqueue(trx, waitJob, { n });
      // As after a burst: due a while ago, still waiting.
      await trx.updateTable('jobs').set((eb) => ({ run_at: eb('run_at', '-', dueAgoMs) })).execute();
    });
    queue.wake();
    for (const deadline = Date.now() + 10_000; finished < count; await sleep(10)) {
      if (Date.now() > deadline) throw new Error(`only ${finished} of ${count} jobs finished`);
    }
    return startedWith;
  }

  test('a backlog (jobs due seconds ago): after the first claim, one job at a time', async () => {
    const startedWith = await runningAtEachStart(10, async () => {
      await sleep(30);
    }, 5_000);
    expect(startedWith.slice(0, 4)).toEqual([1, 2, 3, 4]);
    expect(startedWith.slice(4)).toEqual(Array(6).fill(1));
  });

  test('more jobs than slots, but fresh: the whole concurrency throughout', async () => {
    const startedWith = await runningAtEachStart(10, async () => {
      await sleep(30);
    });
    expect(Math.max(...startedWith.slice(4))).toBeGreaterThan(1);
  });

  test('work below the concurrency runs side by side, busy loop or not', async () => {
    // Each job waits (up to 5 s) for the other two: they finish only if run at once.
    const startedWith = await runningAtEachStart(3, async (running) => {
      for (const deadline = Date.now() + 5_000; running() < 3 && Date.now() < deadline; ) await sleep(5);
    });
    expect(Math.max(...startedWith)).toBe(3);
  });
});

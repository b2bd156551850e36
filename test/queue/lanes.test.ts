import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { systemClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/observability/logger.js';
import { defineJobKind, registerJob, type JobHandler } from '../../src/queue/catalog.js';
import { entityLane, linkLane, type LaneEntity, type LaneResolver } from '../../src/queue/lanes.js';
import { JobQueue } from '../../src/queue/queue.js';
import { QueueWorker } from '../../src/queue/worker.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.js';

const logger = createLogger({ level: 'silent' });
const stepJob = defineJobKind({
  kind: 'test.lane_step',
  payload: z.strictObject({ step: z.string() }),
  timeoutMs: 10_000,
  retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 20 },
});

const issue: LaneEntity = { provider: 'linear', kind: 'issue', id: 'iss_1' };
const incident: LaneEntity = { provider: 'pagerduty', kind: 'incident', id: 'PINC1' };
const otherIssue: LaneEntity = { provider: 'linear', kind: 'issue', id: 'iss_2' };
const otherIncident: LaneEntity = { provider: 'pagerduty', kind: 'incident', id: 'PINC2' };

/** As sync will: the linked issue and incident share their link's lane; the rest keep their own. */
const linkedPair: LaneResolver = async (_db, organisationId, entity) => {
  expect(organisationId).toBe('org_a');
  const linked = [issue, incident].some((one) => one.provider === entity.provider && one.id === entity.id);
  return linked ? linkLane('lnk_1') : entityLane(entity.provider, entity.kind, entity.id);
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !check(); await sleep(20)) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
  }
}

describe.each(testDialects())('lanes decided at enqueue (%s)', (dialect) => {
  let database: TestDatabase;
  let workers: QueueWorker[];
  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    await database.db.insertInto('organisations').values({ id: 'org_a', name: 'A', created_at: Date.now() }).execute();
    workers = [];
  });
  afterEach(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await database.destroy();
  });

  async function startWorkers(queue: JobQueue, handler: JobHandler<{ step: string }>): Promise<void> {
    for (let n = 0; n < 2; n++) {
      const worker = new QueueWorker({ database, queue, clock: systemClock, logger, jobs: [registerJob(stepJob, handler)], concurrency: 3, pollIntervalMs: 100 });
      await worker.start();
      workers.push(worker);
    }
  }

  test('a linked issue’s and incident’s jobs share the link lane: never concurrent, in enqueue order; other lanes run alongside', async () => {
    const queue = new JobQueue(database, systemClock, { laneResolver: linkedPair });
    const started: string[] = [];
    const finished: string[] = [];
    let linkedRunning = 0;
    let linkedOverlaps = 0;
    const linkedSteps: string[] = [];
    const handler: JobHandler<{ step: string }> = async ({ step }) => {
      started.push(step);
      if (linkedSteps.includes(step)) {
        if (++linkedRunning > 1) linkedOverlaps++;
        await sleep(15);
        linkedRunning--;
      } else {
        // Each unrelated job waits (up to 5 s) for the other to start: they finish only if run side by side.
        const other = step === 'other-issue' ? 'other-incident' : 'other-issue';
        await until(() => started.includes(other), 5_000);
      }
      finished.push(step);
    };
    await startWorkers(queue, handler);

    const jobIds = new Map<string, string>();
    await database.db.transaction().execute(async (trx) => {
      const enqueue = async (step: string, entity: LaneEntity) => {
        const id = await queue.enqueue(trx, stepJob, { step }, { organisationId: 'org_a', laneOf: entity });
        jobIds.set(step, id);
      };
      for (let n = 0; n < 6; n++) {
        const entity = n % 2 === 0 ? issue : incident;
        linkedSteps.push(`${entity.provider}-${n}`);
        await enqueue(`${entity.provider}-${n}`, entity);
        if (n === 1) {
          await enqueue('other-issue', otherIssue);
          await enqueue('other-incident', otherIncident);
        }
      }
    });
    queue.wake();
    await until(() => finished.length === linkedSteps.length + 2);

    expect(linkedOverlaps).toBe(0);
    expect(started.filter((step) => linkedSteps.includes(step))).toEqual(linkedSteps);
    expect(finished).toEqual(expect.arrayContaining(['other-issue', 'other-incident']));
    // A handler returns before its worker records the outcome.
    const succeeded = () => database.db.selectFrom('jobs').select('id').where('status', '=', 'succeeded').execute();
    for (const deadline = Date.now() + 5_000; (await succeeded()).length < jobIds.size && Date.now() < deadline; ) await sleep(20);
    const rows = await database.db.selectFrom('jobs').select(['id', 'lane', 'status']).execute();
    const laneOf = (step: string) => rows.find((row) => row.id === jobIds.get(step))?.lane;
    expect(rows.map((row) => row.status)).toEqual(Array.from({ length: jobIds.size }, () => 'succeeded'));
    for (const step of linkedSteps) expect(laneOf(step)).toBe('link:lnk_1');
    expect(laneOf('other-issue')).toBe('linear:issue:iss_2');
    expect(laneOf('other-incident')).toBe('pagerduty:incident:PINC2');
  });

  test('without a resolver a job is in its entity’s lane; a lane and laneOf together are refused', async () => {
    const queue = new JobQueue(database, systemClock);
    const id = await queue.enqueueNow(stepJob, { step: 'x' }, { organisationId: 'org_a', laneOf: incident });
    const row = await database.db.selectFrom('jobs').select('lane').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.lane).toBe('pagerduty:incident:PINC1');
    await expect(queue.enqueueNow(stepJob, { step: 'y' }, { lane: 'a', laneOf: incident })).rejects.toThrow(/either lane or laneOf/);
  });
});

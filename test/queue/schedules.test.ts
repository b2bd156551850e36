/**
 * Scheduled (recurring) jobs (src/queue/schedules.ts): one pending instance per key and
 * organisation, held by the database against concurrent enqueuers on separate connections; the
 * next instance queued after a success and after a death, one interval later; an instance run
 * once although two workers poll for it. Real SQLite (one file, several handles) and PostgreSQL
 * (one schema, several pools); time is a ManualClock, so "not before the interval" is exact.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { ManualClock } from '../../src/core/clock.js';
import { openDatabase, type Dialect, type HubDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createLogger } from '../../src/observability/logger.js';
import { defineJobKind, registerJob, type JobHandler } from '../../src/queue/catalog.js';
import { PermanentJobError } from '../../src/queue/errors.js';
import { claimJobs, replayDeadJob } from '../../src/queue/jobs-repository.js';
import { JobQueue } from '../../src/queue/queue.js';
import { defineSchedule, scheduleKey, Scheduler, type ScheduleScope } from '../../src/queue/schedules.js';
import { LEASE_MS, QueueWorker } from '../../src/queue/worker.js';
import { createTestDatabase, testDialects, TEST_DATABASE_URL, type TestDatabase } from '../helpers/databases.js';

const logger = createLogger({ level: 'silent' });
const EVERY_MS = 60_000;
const tickJob = defineJobKind({
  kind: 'test.tick',
  payload: z.strictObject({}),
  timeoutMs: 2_000,
  retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20 },
});

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()); ) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** More handles on the test database, each with connections of its own (as other processes would have). */
async function moreHandles(database: TestDatabase, file: string | undefined, count: number): Promise<HubDatabase[]> {
  return Promise.all(
    Array.from({ length: count }, () =>
      database.dialect === 'sqlite'
        ? openDatabase({ dialect: 'sqlite', file: file!, synchronous: 'NORMAL' })
        : openDatabase({ dialect: 'postgres', url: TEST_DATABASE_URL! }, { schema: database.schema!, maxConnections: 4 }),
    ),
  );
}

/** A migrated database; on SQLite a file this test knows, so other handles can open it. */
async function sharedDatabase(dialect: Dialect): Promise<{ database: TestDatabase; file: string | undefined }> {
  if (dialect === 'postgres') return { database: await createTestDatabase('postgres'), file: undefined };
  const dir = mkdtempSync(path.join(tmpdir(), 'hub-schedules-'));
  const file = path.join(dir, 'hub.db');
  const opened = await openDatabase({ dialect: 'sqlite', file, synchronous: 'NORMAL' });
  await migrateToLatest(opened);
  const database: TestDatabase = {
    ...opened,
    destroy: async () => {
      await opened.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return { database, file };
}

describe.each(testDialects())('scheduled jobs (%s)', (dialect) => {
  let database: TestDatabase;
  let file: string | undefined;
  let others: HubDatabase[];
  let workers: QueueWorker[];
  let clock: ManualClock;

  beforeEach(async () => {
    ({ database, file } = await sharedDatabase(dialect));
    others = [];
    workers = [];
    clock = new ManualClock();
    for (const id of ['org_a', 'org_b']) await database.db.insertInto('organisations').values({ id, name: id, created_at: clock.now() }).execute();
  });
  afterEach(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await Promise.all(others.map((other) => other.close()));
    await database.destroy();
  });

  const jobsOf = (kind = tickJob.kind) =>
    database.db.selectFrom('jobs').selectAll().where('kind', '=', kind).orderBy('seq').execute();
  const pendingOf = async (kind = tickJob.kind) => (await jobsOf(kind)).filter((job) => job.status === 'queued' || job.status === 'running');

  function schedulerOn(handle: HubDatabase, queue: JobQueue, scope: ScheduleScope = { kind: 'installation' }) {
    const schedule = defineSchedule({ kind: tickJob, payload: {}, everyMs: EVERY_MS, scope });
    return new Scheduler({ database: handle, queue, clock, logger }, [schedule], { ensureEveryMs: 10 * EVERY_MS });
  }

  async function startWorker(handle: HubDatabase, queue: JobQueue, scheduler: Scheduler, handler: JobHandler<Record<string, never>>) {
    const worker = new QueueWorker({ database: handle, queue, clock, logger, jobs: [registerJob(tickJob, handler)], scheduler, pollIntervalMs: 30 });
    await worker.start();
    workers.push(worker);
    return worker;
  }

  test('enqueuing with a key writes nothing while a job with that key is pending, even from many connections at once', async () => {
    others = await moreHandles(database, file, 2);
    const handles = [database, ...others];
    const enqueue = (handle: HubDatabase, db: HubDatabase['db']) =>
      new JobQueue(handle, clock).enqueueUnique(db, tickJob, {}, { organisationId: 'org_a', uniqueKey: 'k' });
    // PostgreSQL: twelve transactions on three pools, each held open a moment after its insert.
    // SQLite: twelve enqueues on three handles (better-sqlite3 blocks the thread while it waits
    // for a lock, so one process cannot hold transactions open on two handles; processes do).
    const attempts =
      dialect === 'postgres'
        ? handles.flatMap((handle) =>
            [1, 2, 3, 4].map(() =>
              handle.db.transaction().execute(async (trx) => {
                const id = await enqueue(handle, trx);
                await pause(30);
                return id;
              }),
            ),
          )
        : handles.flatMap((handle) => [1, 2, 3, 4].map(() => enqueue(handle, handle.db)));
    const ids = await Promise.all(attempts);
    expect(ids.filter((id) => id !== null)).toHaveLength(1);
    expect(await pendingOf()).toHaveLength(1);

    // The key is per organisation; an installation-wide job (no organisation) has a scope of its own, also held once.
    const queue = new JobQueue(database, clock);
    expect(await queue.enqueueUnique(database.db, tickJob, {}, { organisationId: 'org_b', uniqueKey: 'k' })).not.toBeNull();
    const installation = await Promise.all(handles.map((handle) => new JobQueue(handle, clock).enqueueUnique(handle.db, tickJob, {}, { uniqueKey: 'k' })));
    expect(installation.filter((id) => id !== null)).toHaveLength(1);
    expect(await queue.enqueueUnique(database.db, tickJob, {}, { organisationId: 'org_a', uniqueKey: 'other' })).not.toBeNull();
    expect(await pendingOf()).toHaveLength(4);

    // A finished job no longer holds its key (its row stays, as history).
    await database.db.updateTable('jobs').set({ status: 'succeeded' }).where('id', '=', ids.find((id) => id !== null)!).execute();
    expect(await queue.enqueueUnique(database.db, tickJob, {}, { organisationId: 'org_a', uniqueKey: 'k' })).not.toBeNull();
    expect(await queue.enqueueUnique(database.db, tickJob, {}, { organisationId: 'org_a', uniqueKey: 'k' })).toBeNull();
  });

  test('schedulers in several processes ensuring at once leave one instance, due one interval later', async () => {
    others = await moreHandles(database, file, 2);
    const created = await Promise.all([database, ...others].map((handle) => schedulerOn(handle, new JobQueue(handle, clock)).ensureAll()));
    // Each ensures its own pass (queue.ensure_schedules) and the tick: one of each in all.
    expect(created.reduce((sum, n) => sum + n, 0)).toBe(2);
    const [instance] = await pendingOf();
    expect(await pendingOf()).toHaveLength(1);
    expect(instance).toMatchObject({ organisation_id: null, unique_key: scheduleKey(tickJob.kind), status: 'queued', run_at: clock.now() + EVERY_MS });
    expect(await pendingOf('queue.ensure_schedules')).toHaveLength(1);
  });

  test('runs at the interval, once across two workers, and queues the next instance after each success', async () => {
    const queue = new JobQueue(database, clock);
    const scheduler = schedulerOn(database, queue);
    await scheduler.ensureAll();
    const runs: string[] = [];
    const handler: JobHandler<Record<string, never>> = async (_payload, context) => void runs.push(context.jobId);
    await startWorker(database, queue, scheduler, handler);
    others = await moreHandles(database, file, 1);
    await startWorker(others[0]!, new JobQueue(others[0]!, clock), scheduler, handler);

    // Not before the interval.
    clock.advance(EVERY_MS - 1);
    await pause(300);
    expect(runs).toHaveLength(0);

    clock.advance(1);
    await until(async () => (await jobsOf()).some((job) => job.status === 'succeeded'));
    const finishedAt = clock.now();
    await pause(300); // both workers had time to claim it again
    expect(runs).toHaveLength(1);
    const [first, next] = await jobsOf();
    expect(first).toMatchObject({ id: runs[0], status: 'succeeded', attempts: 1 });
    expect(next).toMatchObject({ status: 'queued', unique_key: scheduleKey(tickJob.kind), run_at: finishedAt + EVERY_MS });

    clock.advance(EVERY_MS - 1);
    await pause(300);
    expect(runs).toHaveLength(1);
    clock.advance(1);
    await until(() => runs.length === 2);
    expect(runs[1]).toBe(next!.id);
    await until(async () => (await jobsOf()).length === 3);
    expect(await pendingOf()).toHaveLength(1);
  });

  test('queues the next instance after a dead one too (a refusal, or a worker that died on the last attempt)', async () => {
    const queue = new JobQueue(database, clock);
    const scheduler = schedulerOn(database, queue);
    await scheduler.ensureAll();
    await startWorker(database, queue, scheduler, () => Promise.reject(new PermanentJobError('vendor said no')));
    clock.advance(EVERY_MS);
    await until(async () => (await jobsOf()).length === 2);
    const [dead, next] = await jobsOf();
    expect(dead).toMatchObject({ status: 'dead', last_error: 'vendor said no' });
    expect(next).toMatchObject({ status: 'queued', run_at: clock.now() + EVERY_MS });
    await Promise.all(workers.splice(0).map((worker) => worker.stop()));
    // Replaying the dead one (Replay is per organisation: give it one) makes it a one-off beside the next instance.
    await database.db.updateTable('jobs').set({ organisation_id: 'org_a' }).where('id', '=', dead!.id).execute();
    expect(await replayDeadJob(database.db, 'org_a', dead!.id, clock.now())).toBe(true);
    expect((await pendingOf()).map((job) => job.unique_key)).toEqual([null, scheduleKey(tickJob.kind)]);
    await database.db.deleteFrom('jobs').where('id', '=', dead!.id).execute();

    // A worker that vanished during the last attempt: buried when its lease runs out, and the next one queued.
    clock.advance(EVERY_MS);
    for (let attempt = 1; attempt <= tickJob.retry.maxAttempts; attempt++) {
      expect(await claimJobs(database.db, database.dialect, { worker: 'gone', kinds: [tickJob.kind], limit: 1, now: clock.now(), leaseMs: LEASE_MS })).toHaveLength(1);
      clock.advance(LEASE_MS + 1);
    }
    await startWorker(database, queue, scheduler, () => Promise.resolve());
    await until(async () => (await jobsOf()).length === 2); // the replayed one was deleted above
    const [abandoned, afterAbandoned] = await jobsOf();
    expect(abandoned).toMatchObject({ status: 'dead' });
    expect(afterAbandoned).toMatchObject({ status: 'queued', run_at: clock.now() + EVERY_MS });
  });

  test('organisation-scoped: one instance per organisation in scope, none after it leaves the scope', async () => {
    const inScope = new Set(['org_a']);
    const queue = new JobQueue(database, clock);
    const scheduler = schedulerOn(database, queue, { kind: 'organisation', organisations: () => Promise.resolve([...inScope]) });
    await scheduler.ensureAll();
    expect((await pendingOf()).map((job) => job.organisation_id)).toEqual(['org_a']);
    expect(await scheduler.ensureOrganisation('org_b')).toBe(0); // not in scope
    inScope.add('org_b');
    expect(await scheduler.ensureOrganisation('org_b')).toBe(1);
    expect(await scheduler.ensureAll()).toBe(0);

    const ran: Array<string | null> = [];
    await startWorker(database, queue, scheduler, async (_payload, context) => void ran.push(context.organisationId));
    inScope.delete('org_b');
    clock.advance(EVERY_MS);
    await until(() => ran.length === 2);
    await until(async () => (await jobsOf()).filter((job) => job.status === 'succeeded').length === 2);
    expect(ran.sort()).toEqual(['org_a', 'org_b']);
    expect((await pendingOf()).map((job) => job.organisation_id)).toEqual(['org_a']);
  });

  test('a shortened interval takes effect at the next ensure, not after the old one', async () => {
    const queue = new JobQueue(database, clock);
    await schedulerOn(database, queue).ensureAll();
    await database.db.updateTable('jobs').set({ run_at: clock.now() + 100 * EVERY_MS }).where('kind', '=', tickJob.kind).execute();
    expect(await schedulerOn(database, queue).ensureAll()).toBe(0);
    expect((await pendingOf())[0]?.run_at).toBe(clock.now() + EVERY_MS);
  });
});

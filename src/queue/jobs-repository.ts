import { sql, type Kysely } from 'kysely';
import type { Database, JobStatus } from '../db/tables.js';
import { jobFromRow, newJobRow, type JobRow } from './job-rows.js';
import type { Job, NewJob } from './job.js';

type Db = Kysely<Database>;

/**
 * Access to `jobs`; everything it returns is a Job (job.ts), never a row. Every state change is
 * one conditional UPDATE, so it is atomic on both databases. Changes by a worker name the worker
 * (`locked_by`): a worker whose lease expired and was taken over cannot overwrite the new
 * owner's outcome.
 */

/**
 * Writes a new job; false when it has a unique key and a job with that key is already pending
 * (queued or running) for its organisation — then nothing is written. The partial unique index
 * decides (migration 0012), so this holds across concurrent transactions and processes: on
 * PostgreSQL a second insert waits for the first one's transaction and then does nothing.
 */
export async function insertJob(db: Db, job: NewJob): Promise<boolean> {
  // The only unique index an insert can hit is the pending-key one (seq and id are fresh).
  const query = db.insertInto('jobs').values(newJobRow(job));
  const result = await (job.uniqueKey === null ? query : query.onConflict((conflict) => conflict.doNothing())).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 1n) === 1;
}

/**
 * Writes new jobs without unique keys in one statement, in the given order (their `seq`, and
 * so their order within a lane, follows it).
 */
export async function insertJobs(db: Db, jobs: NewJob[]): Promise<void> {
  if (jobs.length === 0) return;
  if (jobs.some((job) => job.uniqueKey !== null)) throw new Error('insertJobs: jobs with a unique key go through insertJob');
  await db.insertInto('jobs').values(jobs.map(newJobRow)).execute();
}

/**
 * Leases up to `limit` runnable jobs of the given kinds to `worker`:
 * queued and due, or running with an expired lease (the worker died) and attempts left;
 * and in a lane only the head — no earlier job of the lane may still be queued or running,
 * and no job of the lane may be running under a live lease (a replayed dead job is older
 * than the jobs that went on without it).
 * PostgreSQL skips rows another claimer has locked (FOR UPDATE SKIP LOCKED); on SQLite the
 * claim's immediate transaction takes the database's write lock, so claims never overlap,
 * across processes too.
 */
export async function claimJobs(
  db: Db,
  dialect: 'sqlite' | 'postgres',
  options: { worker: string; kinds: string[]; limit: number; now: number; leaseMs: number },
): Promise<Job[]> {
  if (options.kinds.length === 0 || options.limit <= 0) return [];
  const { worker, kinds, limit, now, leaseMs } = options;
  const lock = dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const kindIn = sql`j.kind in (${sql.join(kinds)})`;
  // Each branch takes at most `limit` rows walking an index in (run_at, seq) order and stops
  // there — never the whole backlog, so a claim costs the same with 10 or 100 000 queued jobs
  // (one OR across both made SQLite collect and sort every queued job on every claim). The
  // first `limit` of the two branches together are the first `limit` of all runnable jobs.
  const candidates = sql`
    with due as (
      select j.seq, j.run_at from jobs j
       where j.status = 'queued' and j.run_at <= ${now} and ${kindIn}
         and (j.lane is null or not exists (
               select 1 from jobs k
                where k.lane = j.lane and k.seq <> j.seq
                  and ((k.seq < j.seq and k.status in ('queued', 'running'))
                    -- a replayed job (an older seq) must not run beside a later one of its lane
                    or (k.status = 'running' and k.locked_until >= ${now}))))
       order by j.run_at, j.seq
       limit ${limit}
       ${lock}),
    abandoned as (
      select j.seq, j.run_at from jobs j
       where j.status = 'running' and j.locked_until < ${now} and j.attempts < j.max_attempts and ${kindIn}
         and (j.lane is null or not exists (
               select 1 from jobs k
                where k.lane = j.lane and k.seq <> j.seq
                  and ((k.seq < j.seq and k.status in ('queued', 'running'))
                    or (k.status = 'running' and k.locked_until >= ${now}))))
       order by j.run_at, j.seq
       limit ${limit}
       ${lock})
    select seq from (select seq, run_at from due union all select seq, run_at from abandoned) candidates
     order by run_at, seq
     limit ${limit}`;
  const lease = sql`status = 'running', locked_by = ${worker}, locked_until = ${now + leaseMs}, attempts = attempts + 1, updated_at = ${now}`;
  if (dialect === 'postgres') {
    const result = await sql<JobRow>`
      with chosen as (${candidates})
      update jobs set ${lease} where seq in (select seq from chosen)
      returning *`.execute(db);
    return sortedForRunning(result.rows.map(jobFromRow));
  }
  // SQLite: the candidates, then an UPDATE by primary key, in one immediate transaction (the
  // write lock, so claims never overlap, across processes too). One UPDATE … WHERE seq IN (that
  // CTE) cost SQLite about 0.5 ms a claim, growing with the table; this costs a third of it.
  return db.transaction().execute(async (trx) => {
    const chosen = await candidates.execute(trx);
    const seqs = (chosen.rows as Array<{ seq: number }>).map((row) => row.seq);
    if (seqs.length === 0) return [];
    const result = await sql<JobRow>`update jobs set ${lease} where seq in (${sql.join(seqs)}) returning *`.execute(trx);
    return sortedForRunning(result.rows.map(jobFromRow));
  });
}

/** Claimed jobs in the order they were due (RETURNING promises no order). */
function sortedForRunning(jobs: Job[]): Job[] {
  return jobs.sort((a, b) => a.runAt - b.runAt || a.seq - b.seq);
}

export const ABANDONED_ON_LAST_ATTEMPT = 'The worker running the last attempt stopped before finishing (its lease expired).';

/** Jobs whose worker died during their last attempt: dead, with that said. Returns them. */
export async function buryAbandonedJobs(db: Db, now: number): Promise<Job[]> {
  const rows = await db
    .updateTable('jobs')
    .set({ status: 'dead', locked_by: null, locked_until: null, finished_at: now, updated_at: now, last_error: ABANDONED_ON_LAST_ATTEMPT })
    .where('status', '=', 'running')
    .where('locked_until', '<', now)
    .whereRef('attempts', '>=', 'max_attempts')
    .returningAll()
    .execute();
  return rows.map(jobFromRow);
}

/**
 * How a run ended. `throttledSince`: when the job's unbroken run of throttled runs began
 * (failed-run.ts), kept in the row; null when this outcome is not part of one.
 */
export type JobOutcome =
  | { status: 'succeeded' }
  | { status: 'retry'; runAt: number; error: string; throttledSince: number | null }
  | { status: 'defer'; runAt: number; reason: string; waitingFor: string | null; throttledSince: number | null }
  | { status: 'dead'; error: string; throttledSince: number | null };

/** Records how a run ended; false when the worker no longer held the job. */
export async function finishRun(db: Db, id: string, worker: string, outcome: JobOutcome, now: number): Promise<boolean> {
  const base = db.updateTable('jobs').where('id', '=', id).where('locked_by', '=', worker).where('status', '=', 'running');
  const released = { locked_by: null, locked_until: null, waiting_for: null, updated_at: now };
  const query =
    outcome.status === 'succeeded'
      ? base.set({ ...released, status: 'succeeded', finished_at: now, last_error: null, throttled_since: null })
      : outcome.status === 'retry'
        ? base.set({ ...released, status: 'queued', run_at: outcome.runAt, last_error: outcome.error, throttled_since: outcome.throttledSince })
        : outcome.status === 'defer'
          ? // A deferral does not use up an attempt.
            base.set({
              ...released,
              status: 'queued',
              run_at: outcome.runAt,
              last_error: outcome.reason,
              waiting_for: outcome.waitingFor,
              throttled_since: outcome.throttledSince,
              attempts: sql<number>`attempts - 1`,
            })
          : base.set({ ...released, status: 'dead', finished_at: now, last_error: outcome.error, throttled_since: outcome.throttledSince });
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Puts a dead job back in the queue with fresh attempts and no run of throttling behind it
 * (admin "Replay"). A replayed scheduled job runs once more as a one-off: it gives up its
 * unique key, since its schedule has queued the next instance already (schedules.ts).
 */
export async function replayDeadJob(db: Db, organisationId: string, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ status: 'queued', attempts: 0, run_at: now, finished_at: null, waiting_for: null, throttled_since: null, updated_at: now, unique_key: null })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'dead')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The organisation's job, if any. */
export async function findJob(db: Db, organisationId: string, id: string): Promise<Job | undefined> {
  const row = await db.selectFrom('jobs').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : jobFromRow(row);
}

/** The organisation's jobs, newest first (by enqueue order), optionally filtered, before `beforeSeq` when given. */
export async function listJobs(
  db: Db,
  organisationId: string,
  filter: { status?: JobStatus | undefined; kind?: string | undefined; beforeSeq?: number | undefined; limit: number },
): Promise<Job[]> {
  let select = db.selectFrom('jobs').selectAll().where('organisation_id', '=', organisationId);
  if (filter.status !== undefined) select = select.where('status', '=', filter.status);
  if (filter.kind !== undefined) select = select.where('kind', '=', filter.kind);
  if (filter.beforeSeq !== undefined) select = select.where('seq', '<', filter.beforeSeq);
  const rows = await select.orderBy('seq', 'desc').limit(filter.limit).execute();
  return rows.map(jobFromRow);
}

/**
 * Earliest run_at among queued jobs of these kinds that could run then — lane heads only: a
 * job behind a running or waiting job of its lane is not due whatever its run_at says (else a
 * blocked lane would make workers spin). Undefined when there is none.
 */
export async function nextRunAt(db: Db, kinds: string[]): Promise<number | undefined> {
  if (kinds.length === 0) return undefined;
  // The first lane head in (run_at, seq) order: walks the index and stops there (a min() over
  // every queued job would cost the whole backlog on every call).
  const result = await sql<{ next: number | string | null }>`
    select j.run_at as next from jobs j
     where j.status = 'queued' and j.kind in (${sql.join(kinds)})
       and (j.lane is null or not exists (
             select 1 from jobs k
              where k.lane = j.lane and k.seq <> j.seq
                and ((k.seq < j.seq and k.status in ('queued', 'running')) or k.status = 'running')))
     order by j.run_at, j.seq
     limit 1`.execute(db);
  const next = result.rows[0]?.next;
  return next === null || next === undefined ? undefined : Number(next);
}

import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import type { HubDatabase } from '../db/database.js';
import type { Database } from '../db/tables.js';
import type { Logger } from '../observability/logger.js';
import { defineJobKind, registerJob, type JobKind, type RegisteredJob } from './catalog.js';
import type { Job } from './job.js';
import type { JobQueue } from './queue.js';

/**
 * Scheduled (recurring) jobs: work that runs every so often — once for the installation, or once
 * per organisation — as an ordinary job, run by whichever process's worker claims it. Each
 * schedule keeps exactly one pending (queued or running) instance per organisation (or one for
 * the installation), under the unique key `schedule:<kind>`; the database enforces it
 * (JobQueue.enqueueUnique), so several processes ensuring the same schedule at once still
 * leave one. When an instance finishes — succeeded or dead — the worker enqueues the next one
 * for `everyMs` later, in the transaction that records the outcome ({@link Scheduler.scheduleNext}).
 * A failed run is retried like any job (it stays the pending instance); only its final outcome
 * schedules the next.
 *
 * The Scheduler makes sure every schedule has its instances: when a process starts, every
 * `ensureEveryMs` (itself a scheduled job, `queue.ensure_schedules`), and for one organisation
 * on demand (e.g. when it connects). An instance it creates is due one interval later.
 */

export type ScheduleScope =
  | { kind: 'installation' }
  /** One instance per organisation `organisations` lists (e.g. every organisation with rules). */
  | { kind: 'organisation'; organisations: (db: Kysely<Database>) => Promise<string[]> };

export interface Schedule<Payload> {
  kind: JobKind<Payload>;
  payload: Payload;
  /** From the end of one run (its final outcome) to the next run. */
  everyMs: number;
  scope: ScheduleScope;
}

export function defineSchedule<Payload>(schedule: Schedule<Payload>): Schedule<unknown> {
  if (!(schedule.everyMs > 0)) throw new Error(`schedule ${schedule.kind.kind}: everyMs must be positive`);
  return schedule;
}

/** The unique key of a schedule's instances. */
export function scheduleKey(kind: string): string {
  return `schedule:${kind}`;
}

/** The Scheduler's own pass: makes sure every schedule has its instances. */
export const ensureSchedulesJob = defineJobKind({
  kind: 'queue.ensure_schedules',
  payload: z.strictObject({}),
  timeoutMs: 30_000,
  retry: { maxAttempts: 3, baseDelayMs: 5_000, maxDelayMs: 60_000 },
});

export interface SchedulerDeps {
  database: HubDatabase;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
}

export class Scheduler {
  readonly #deps: SchedulerDeps;
  readonly #schedules: Map<string, Schedule<unknown>>;

  /** `ensureEveryMs`: how often a pass makes sure every schedule has its instances. */
  constructor(deps: SchedulerDeps, schedules: Array<Schedule<unknown>>, options: { ensureEveryMs: number }) {
    this.#deps = deps;
    const own = defineSchedule({ kind: ensureSchedulesJob, payload: {}, everyMs: options.ensureEveryMs, scope: { kind: 'installation' } });
    this.#schedules = new Map([own, ...schedules].map((schedule) => [schedule.kind.kind, schedule]));
    if (this.#schedules.size !== schedules.length + 1) throw new Error('Scheduler: two schedules of one job kind');
  }

  /** The Scheduler's own pass, for the worker. */
  job(): RegisteredJob {
    return registerJob(ensureSchedulesJob, async () => {
      const created = await this.ensureAll();
      if (created > 0) this.#deps.logger.info({ created }, 'scheduled jobs were missing and were queued again');
    });
  }

  /** Gives every schedule its missing pending instances; returns how many it queued. */
  async ensureAll(): Promise<number> {
    let created = 0;
    for (const schedule of this.#schedules.values()) {
      const owners = schedule.scope.kind === 'installation' ? [null] : await schedule.scope.organisations(this.#deps.database.db);
      created += await this.#ensure(schedule, owners);
    }
    if (created > 0) this.#deps.queue.wake();
    return created;
  }

  /** Gives the organisation the instances of the organisation-scoped schedules it is in scope of. */
  async ensureOrganisation(organisationId: string): Promise<number> {
    let created = 0;
    for (const schedule of this.#schedules.values()) {
      if (schedule.scope.kind !== 'organisation') continue;
      const inScope = (await schedule.scope.organisations(this.#deps.database.db)).includes(organisationId);
      if (inScope) created += await this.#ensure(schedule, [organisationId]);
    }
    if (created > 0) this.#deps.queue.wake();
    return created;
  }

  /**
   * After `job` reached its final outcome (succeeded or dead): queues its schedule's next
   * instance, due `everyMs` after `now`, in `db` — the transaction recording the outcome, so the
   * two commit together. Nothing for a job no schedule owns (or whose schedule is off now), nor
   * for an organisation no longer in the schedule's scope.
   */
  async scheduleNext(db: Kysely<Database>, job: Job, now: number): Promise<void> {
    const schedule = this.#schedules.get(job.kind);
    if (schedule === undefined || job.uniqueKey !== scheduleKey(job.kind)) return;
    if (schedule.scope.kind === 'organisation') {
      if (job.organisationId === null || !(await schedule.scope.organisations(db)).includes(job.organisationId)) return;
    } else if (job.organisationId !== null) return;
    await this.#deps.queue.enqueueUnique(db, schedule.kind, schedule.payload, {
      organisationId: job.organisationId,
      uniqueKey: scheduleKey(job.kind),
      runAt: now + schedule.everyMs,
    });
  }

  /**
   * Queues the instance of each owner (organisation, or null for the installation) that has
   * none pending, due one interval from now; an instance due later than that (the interval was
   * shortened since) is brought forward.
   */
  async #ensure(schedule: Schedule<unknown>, owners: Array<string | null>): Promise<number> {
    if (owners.length === 0) return 0;
    const { database, queue, clock } = this.#deps;
    const key = scheduleKey(schedule.kind.kind);
    const now = clock.now();
    const dueBy = now + schedule.everyMs;
    await database.db
      .updateTable('jobs')
      .set({ run_at: dueBy, updated_at: now })
      .where('unique_key', '=', key)
      .where('status', '=', 'queued')
      .where('run_at', '>', dueBy)
      .execute();
    const pending = await database.db
      .selectFrom('jobs')
      .select('organisation_id')
      .where('unique_key', '=', key)
      .where('status', 'in', ['queued', 'running'])
      .execute();
    const covered = new Set(pending.map((row) => row.organisation_id));
    let created = 0;
    for (const organisationId of owners) {
      if (covered.has(organisationId)) continue;
      // Another process may queue it meanwhile: then the unique index keeps theirs and this writes nothing.
      const id = await queue.enqueueUnique(database.db, schedule.kind, schedule.payload, { organisationId, uniqueKey: key, runAt: dueBy });
      if (id !== null) created++;
    }
    return created;
  }
}

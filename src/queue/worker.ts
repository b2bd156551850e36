import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { Clock } from '../core/clock.js';
import { newId } from '../core/ids.js';
import type { HubDatabase } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import { LEASE_MARGIN_MS, MAX_JOB_TIMEOUT_MS, type RegisteredJob } from './catalog.js';
import { failedRunOutcome } from './failed-run.js';
import type { Job } from './job.js';
import { ABANDONED_ON_LAST_ATTEMPT, buryAbandonedJobs, claimJobs, finishRun, nextRunAt, type JobOutcome } from './jobs-repository.js';
import type { JobQueue } from './queue.js';
import type { Scheduler } from './schedules.js';

export interface WorkerOptions {
  database: HubDatabase;
  queue: JobQueue;
  clock: Clock;
  logger: Logger;
  jobs: RegisteredJob[];
  /** Jobs run at once by this worker (default 4). */
  concurrency?: number;
  /** Safety-net poll when no wake-up arrives (default 1000 ms; other SQLite processes rely on it). */
  pollIntervalMs?: number;
  /** Queues a scheduled job's next instance when one reaches its final outcome (schedules.ts). */
  scheduler?: Pick<Scheduler, 'scheduleNext'>;
  /**
   * Event-loop utilisation (0–1) above which this worker, while work is backed up (the oldest
   * job of its last claim was due more than a second before), runs one job at a time, pausing
   * 20 ms before each claim (default: never). A steady flow that keeps the loop busy but that the
   * worker keeps up with — pages at 100 a second — runs at full concurrency.
   * The hub sets it so that, when its process is saturated — a burst of webhooks — answering
   * deliveries comes before processing them; the queue catches up once the burst is over.
   */
  yieldAboveUtilisation?: number;
  /** Observes every finished run (metrics). */
  onRunFinished?: (job: Job, outcome: JobOutcome['status'], durationMs: number, startedAt: number) => void;
}

/** Between claims while the process is saturated (see `yieldAboveUtilisation`). */
const SATURATED_PAUSE_MS = 20;

/**
 * A job claimed this long after it was due means work is backed up (see `yieldAboveUtilisation`):
 * a burst arrived faster than the worker runs it. Work the worker keeps up with waits milliseconds.
 */
const BACKLOG_AGE_MS = 1_000;

/** Every lease is this long: a job whose worker died is runnable again within a minute. */
export const LEASE_MS = MAX_JOB_TIMEOUT_MS + LEASE_MARGIN_MS;

/**
 * Runs jobs: claims runnable ones (queue/jobs-repository.ts claimJobs: leases, lanes), runs
 * each with its kind's timeout, and records the outcome (success, retry with backoff, deferral,
 * dead). Wakes on the queue's in-process signal and on PostgreSQL NOTIFY, polls as a safety
 * net, and sleeps until the next scheduled run otherwise. `stop()` stops claiming and waits
 * for the jobs in flight to finish (each is aborted after its timeout at the latest).
 * Delivery is at least once: handlers must be idempotent.
 */
export class QueueWorker {
  readonly id = newId('wrk');
  readonly #options: WorkerOptions;
  readonly #jobs: Map<string, RegisteredJob>;
  readonly #concurrency: number;
  readonly #pollIntervalMs: number;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #stopping = new AbortController();
  #wakeUp: (() => void) | undefined;
  #woken = false;
  #buriedAt = Number.NEGATIVE_INFINITY;
  #loop: Promise<void> | undefined;
  #cleanups: Array<() => Promise<void> | void> = [];
  #loopSample: EventLoopUtilization = performance.eventLoopUtilization();
  #saturated = false;
  /** The oldest job of the last claim had waited more than BACKLOG_AGE_MS: work is backed up. */
  #backlogged = false;

  constructor(options: WorkerOptions) {
    this.#options = options;
    this.#jobs = new Map(options.jobs.map((job) => [job.kind.kind, job]));
    this.#concurrency = options.concurrency ?? 4;
    this.#pollIntervalMs = options.pollIntervalMs ?? 1000;
  }

  async start(): Promise<void> {
    const { queue, database, logger } = this.#options;
    this.#cleanups.push(queue.onWake(() => this.#wake()));
    if (database.listen !== undefined) {
      try {
        const unlisten = await database.listen(queue.channel, () => this.#wake(), (error) =>
          logger.warn({ reason: error.message }, 'queue LISTEN connection failed; polling only'),
        );
        this.#cleanups.push(unlisten);
      } catch (error) {
        logger.warn({ reason: error instanceof Error ? error.message : 'unknown' }, 'could not LISTEN for jobs; polling only');
      }
    }
    this.#loop = this.#run();
  }

  /** Stops claiming, waits for running jobs, releases the listeners. Idempotent. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    this.#wake();
    await this.#loop;
    await Promise.allSettled([...this.#inFlight]);
    for (const cleanup of this.#cleanups.splice(0)) await cleanup();
  }

  #wake(): void {
    this.#woken = true;
    this.#wakeUp?.();
  }

  async #run(): Promise<void> {
    const { database, clock, logger } = this.#options;
    const kinds = [...this.#jobs.keys()];
    while (!this.#stopping.signal.aborted) {
      this.#woken = false;
      let claimed: Job[] = [];
      const slots = this.#slots();
      // Saturated: a short pause before each claim as well, so processing takes a small share.
      if (slots < this.#concurrency) await new Promise((resolve) => setTimeout(resolve, SATURATED_PAUSE_MS));
      const free = slots - this.#inFlight.size;
      try {
        if (free > 0) {
          const now = clock.now();
          // Abandoned last attempts are rare: look for them once per poll interval, not per claim.
          if (now - this.#buriedAt >= this.#pollIntervalMs) {
            this.#buriedAt = now;
            for (const buried of await buryAbandonedJobs(database.db, now)) {
              await this.#options.scheduler?.scheduleNext(database.db, buried, now);
              await this.#afterDeath(buried, ABANDONED_ON_LAST_ATTEMPT);
            }
          }
          claimed = await claimJobs(database.db, database.dialect, { worker: this.id, kinds, limit: free, now, leaseMs: LEASE_MS });
          // Backed up: the oldest job claimed had waited long past when it was due (claims run oldest first).
          const oldest = claimed[0];
          this.#backlogged = oldest !== undefined && now - oldest.runAt > BACKLOG_AGE_MS;
        }
      } catch (error) {
        logger.error({ err: error }, 'claiming jobs failed');
      }
      for (const job of claimed) {
        const run = this.#execute(job).finally(() => {
          this.#inFlight.delete(run);
          this.#wake(); // a slot is free, and the lane may have a next job
        });
        this.#inFlight.add(run);
      }
      if (claimed.length > 0 && claimed.length === free) continue; // maybe more waiting
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by wake-ups while this loop awaited
      if (this.#woken) continue;
      await this.#sleep(await this.#sleepMs(kinds));
    }
  }

  /** How many jobs may run now: the concurrency, or one while the event loop is saturated and work is backed up. */
  #slots(): number {
    const threshold = this.#options.yieldAboveUtilisation;
    if (threshold === undefined) return this.#concurrency;
    const now = performance.eventLoopUtilization();
    const window = performance.eventLoopUtilization(now, this.#loopSample);
    // Judged over at least 100 ms of the loop's life, so one long tick decides nothing.
    if (window.idle + window.active >= 100) {
      this.#saturated = window.utilization > threshold;
      this.#loopSample = now;
    }
    return this.#saturated && this.#backlogged ? 1 : this.#concurrency;
  }

  async #sleepMs(kinds: string[]): Promise<number> {
    if (this.#inFlight.size >= this.#concurrency) return this.#pollIntervalMs;
    const next = await nextRunAt(this.#options.database.db, kinds).catch(() => undefined);
    if (next === undefined) return this.#pollIntervalMs;
    return Math.max(0, Math.min(this.#pollIntervalMs, next - this.#options.clock.now()));
  }

  #sleep(ms: number): Promise<void> {
    const stopping = this.#stopping.signal;
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        stopping.removeEventListener('abort', done);
        this.#wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      stopping.addEventListener('abort', done, { once: true });
      this.#wakeUp = done;
      if (this.#woken || stopping.aborted) done();
    });
  }

  async #execute(job: Job): Promise<void> {
    const { clock, logger } = this.#options;
    const registered = this.#jobs.get(job.kind);
    if (registered === undefined) throw new Error(`claimed a job of kind ${job.kind}, which this worker does not run`);
    const log = logger.child({ jobId: job.id, kind: job.kind, attempt: job.attempts });
    const startedAt = Date.now();
    const startedAtClock = clock.now();
    // Only the timeout aborts a run: stop() lets running jobs finish (a deploy must not burn attempts).
    const timeout = AbortSignal.timeout(registered.kind.timeoutMs);
    let outcome: JobOutcome;
    try {
      const payload = registered.kind.payload.parse(JSON.parse(job.payload));
      await Promise.race([
        registered.handler(payload, { jobId: job.id, organisationId: job.organisationId, lane: job.lane, attempt: job.attempts, signal: timeout }),
        new Promise<never>((_, reject) => {
          timeout.addEventListener('abort', () => reject(new Error(`timed out after ${registered.kind.timeoutMs} ms`)), { once: true });
        }),
      ]);
      outcome = { status: 'succeeded' };
    } catch (error) {
      const failed = failedRunOutcome(error, job, registered.kind, clock.now());
      if (failed.status === 'defer') log.debug({ reason: failed.reason, runAt: failed.runAt }, 'job deferred');
      else log[failed.status === 'dead' ? 'warn' : 'info']({ outcome: failed.status, reason: failed.error }, 'job run failed');
      outcome = failed;
    }
    try {
      const recorded = await this.#record(job, outcome, clock.now());
      if (!recorded) log.warn('job outcome not recorded: the lease was lost (another worker took the job over)');
      else if (outcome.status === 'dead') await this.#afterDeath(job, outcome.error);
    } catch (error) {
      // The lease will expire and the job run again: at least once.
      log.error({ err: error }, 'recording a job outcome failed');
    }
    this.#options.onRunFinished?.(job, outcome.status, Date.now() - startedAt, startedAtClock);
  }

  /**
   * Records the outcome; a final one (succeeded, dead) of a scheduled job queues its next
   * instance in the same transaction. False when the worker no longer held the job.
   */
  async #record(job: Job, outcome: JobOutcome, now: number): Promise<boolean> {
    const { database, scheduler } = this.#options;
    if (scheduler === undefined || job.uniqueKey === null || (outcome.status !== 'succeeded' && outcome.status !== 'dead')) {
      return finishRun(database.db, job.id, this.id, outcome, now);
    }
    return database.db.transaction().execute(async (trx) => {
      const recorded = await finishRun(trx, job.id, this.id, outcome, now);
      if (recorded) await scheduler.scheduleNext(trx, job, now);
      return recorded;
    });
  }

  /** Runs the kind's dead-job hook (it may mark what the job worked on as failed). Never throws. */
  async #afterDeath(job: Job, error: string): Promise<void> {
    const registered = this.#jobs.get(job.kind);
    if (registered?.onDead === undefined) return;
    try {
      await registered.onDead(registered.kind.payload.parse(JSON.parse(job.payload)), error);
    } catch (hookError) {
      this.#options.logger.error({ err: hookError, jobId: job.id, kind: job.kind }, 'the dead-job hook failed');
    }
  }
}

import type { JobStatus } from '../db/tables.js';

/** A job as the rest of the hub sees it; rows (snake_case) stay in jobs-repository.ts. */
export interface Job {
  /** Enqueue order: a lane's jobs run in this order; also the activity list's cursor. */
  seq: number;
  id: string;
  /** The organisation the job works for (null for installation-wide jobs). */
  organisationId: string | null;
  kind: string;
  /** JSON, valid against the kind's payload schema. */
  payload: string;
  /** Jobs sharing a lane run one at a time, in enqueue order (lanes.ts). */
  lane: string | null;
  status: JobStatus;
  /** Runs started, the current one included; a deferral gives its attempt back. */
  attempts: number;
  maxAttempts: number;
  /** Not before this time (retry backoff, deferral). */
  runAt: number;
  /** The worker holding the lease, and until when. */
  lockedBy: string | null;
  lockedUntil: number | null;
  lastError: string | null;
  /** What a deferred job waits for (e.g. `connection:linear`); JobQueue.resumeWaiting ends the wait. */
  waitingFor: string | null;
  /** When the job's current unbroken run of throttled (rate-limited) runs began; null when it is not being throttled (failed-run.ts). */
  throttledSince: number | null;
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
  /** At most one queued or running job per key and organisation (scheduled jobs: schedules.ts); null for most jobs. */
  uniqueKey: string | null;
}

/** What enqueuing decides; the rest of a new job (queued, no attempts, no lease) is implied. */
export type NewJob = Pick<Job, 'id' | 'organisationId' | 'kind' | 'payload' | 'lane' | 'maxAttempts' | 'runAt' | 'createdAt' | 'uniqueKey'>;

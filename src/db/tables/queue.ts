import type { Generated } from 'kysely';

/** The durable job queue (src/queue/). */

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'dead';

export interface JobsTable {
  /** Enqueue order (autoincrement / bigserial); a lane's jobs run in this order. */
  seq: Generated<number>;
  id: string;
  /** The organisation the job works for (null for installation-wide jobs). */
  organisation_id: string | null;
  /** A kind of the job catalog (queue/catalog.ts). */
  kind: string;
  /** JSON, valid against the kind's payload schema. */
  payload: string;
  /** Ordering key: jobs sharing a lane run one at a time, in seq order. */
  lane: string | null;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  /** Not before this time (retry backoff, deferral). */
  run_at: number;
  /** Worker holding the lease, and until when; an expired lease makes the job runnable again. */
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  /** What a deferred job waits for (`connection:<provider>`); that event brings it forward. */
  waiting_for: string | null;
  /**
   * When the job's current unbroken run of rate-limit waits began (queue/failed-run.ts): it
   * waits without using attempts for a bounded time from then. Null when not being throttled.
   */
  throttled_since: number | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  /**
   * A scheduled job's key (queue/schedules.ts): at most one queued or running job per key and
   * organisation (a partial unique index). Null for every other job.
   */
  unique_key: string | null;
}

import type { Selectable } from 'kysely';
import type { JobsTable } from '../db/tables.js';
import type { Job, NewJob } from './job.js';

/** `jobs` rows ⇄ Job. Only jobs-repository.ts uses these: no row leaves the repository. */
export type JobRow = Selectable<JobsTable>;

export function jobFromRow(row: JobRow): Job {
  return {
    seq: row.seq,
    id: row.id,
    organisationId: row.organisation_id,
    kind: row.kind,
    payload: row.payload,
    lane: row.lane,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: row.run_at,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until,
    lastError: row.last_error,
    waitingFor: row.waiting_for,
    throttledSince: row.throttled_since,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    uniqueKey: row.unique_key,
  };
}

export function newJobRow(job: NewJob): Omit<JobRow, 'seq'> {
  return {
    id: job.id,
    organisation_id: job.organisationId,
    kind: job.kind,
    payload: job.payload,
    lane: job.lane,
    status: 'queued',
    attempts: 0,
    max_attempts: job.maxAttempts,
    run_at: job.runAt,
    locked_by: null,
    locked_until: null,
    last_error: null,
    waiting_for: null,
    throttled_since: null,
    created_at: job.createdAt,
    updated_at: job.createdAt,
    finished_at: null,
    unique_key: job.uniqueKey,
  };
}

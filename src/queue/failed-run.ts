import { retryDelayMs } from './backoff.js';
import type { JobKind } from './catalog.js';
import { classifyJobError } from './classify-error.js';
import type { Job } from './job.js';
import type { JobOutcome } from './jobs-repository.js';

/**
 * What a run that threw leads to, as the kind classifies the error (classify-error.ts): a
 * deferral (no attempt used), death (a permanent error, or the last attempt failed), or a
 * retry after the kind's backoff — never sooner than the error asked.
 */
export function failedRunOutcome(error: unknown, job: Job, kind: JobKind<unknown>, now: number): Exclude<JobOutcome, { status: 'succeeded' }> {
  const classified = classifyJobError(error, kind.classifyError);
  if (classified.kind === 'defer') {
    return { status: 'defer', runAt: now + classified.delayMs, reason: classified.message, waitingFor: classified.waitingFor };
  }
  if (classified.kind === 'permanent' || job.attempts >= job.maxAttempts) return { status: 'dead', error: classified.message };
  const delay = retryDelayMs(kind.retry, job.attempts, classified.atLeastMs);
  return { status: 'retry', runAt: now + delay, error: classified.message };
}

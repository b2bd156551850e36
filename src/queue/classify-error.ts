import { DeferJob, PermanentJobError, RetryJobAfter } from './errors.js';

/** What a handler's error means for its job. */
export type JobErrorClass =
  /** Run again after `delayMs` without using an attempt; `waitingFor` names an event that ends the wait early (JobQueue.resumeWaiting). */
  | { kind: 'defer'; delayMs: number; waitingFor: string | null }
  /** Retrying cannot help: the job is dead at once. */
  | { kind: 'permanent' }
  /** A failed attempt: retry with the kind's backoff, never sooner than `atLeastMs`. */
  | { kind: 'retry'; atLeastMs: number }
  /**
   * Turned away by a rate limit — nothing failed: run again no sooner than `atLeastMs` without
   * using an attempt, for as long as the job has been throttled for less than `forAtMostMs` in a
   * row; after that, a failed attempt like 'retry' (failed-run.ts).
   */
  | { kind: 'throttled'; atLeastMs: number; forAtMostMs: number };

/**
 * A job kind's own reading of its handler's errors (JobKind.classifyError), for errors the
 * queue cannot know — e.g. a provider's rate limit. Undefined leaves the error to the queue.
 */
export type JobErrorClassifier = (error: unknown) => JobErrorClass | undefined;

export type ClassifiedJobError = JobErrorClass & { message: string };

/**
 * The kind's classifier is asked first; otherwise the queue's own vocabulary (errors.ts)
 * decides, and any other error is a failed attempt with backoff. The message is what the job
 * keeps as its last error.
 */
export function classifyJobError(error: unknown, byKind?: JobErrorClassifier): ClassifiedJobError {
  const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
  return { ...(byKind?.(error) ?? byQueue(error)), message };
}

function byQueue(error: unknown): JobErrorClass {
  if (error instanceof DeferJob) return { kind: 'defer', delayMs: error.delayMs, waitingFor: error.waitingFor };
  if (error instanceof PermanentJobError) return { kind: 'permanent' };
  if (error instanceof RetryJobAfter) return { kind: 'retry', atLeastMs: error.delayMs };
  return { kind: 'retry', atLeastMs: 0 };
}

import type { z } from 'zod';
import type { JobErrorClassifier } from './classify-error.js';

/**
 * A kind of job: what its payload looks like, how long one run may take and how it is retried.
 * Declared once (in the module that owns the work) and used both to enqueue — the payload is
 * checked against the schema before it is written — and to register the handler.
 */
export interface JobKind<Payload> {
  kind: string;
  payload: z.ZodType<Payload>;
  /** One run is aborted after this long (and counts as a failed attempt). At most 45 s. */
  timeoutMs: number;
  retry: RetryPolicy;
  /**
   * How this kind's handler errors are read, for errors the queue does not know (e.g. a
   * provider's rate limit: connections/job-errors.ts). Asked first; when absent or undefined,
   * DeferJob / RetryJobAfter / PermanentJobError decide and anything else is retried.
   */
  classifyError?: JobErrorClassifier;
}

export interface RetryPolicy {
  /** Runs in all, the first included; after the last failure the job is dead. */
  maxAttempts: number;
  /** Backoff before retry n is random in [0, min(maxDelayMs, baseDelayMs · 2^(n-1))] (full jitter). */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 10, baseDelayMs: 2_000, maxDelayMs: 15 * 60_000 };

/** Lease = timeout + this margin, so a crashed worker's job is runnable again within 60 s. */
export const LEASE_MARGIN_MS = 10_000;
export const MAX_JOB_TIMEOUT_MS = 45_000;

export function defineJobKind<Payload>(kind: JobKind<Payload>): JobKind<Payload> {
  if (kind.timeoutMs > MAX_JOB_TIMEOUT_MS) throw new Error(`job kind ${kind.kind}: timeoutMs above ${MAX_JOB_TIMEOUT_MS}`);
  return kind;
}

export interface JobContext {
  jobId: string;
  organisationId: string | null;
  lane: string | null;
  /** 1 for the first run. */
  attempt: number;
  /** Aborted when the run times out (a shutting-down worker lets runs finish). */
  signal: AbortSignal;
}

export type JobHandler<Payload> = (payload: Payload, context: JobContext) => Promise<void>;

/** Called once when a job of the kind goes dead (e.g. to mark what it was working on as failed). */
export type DeadJobHook<Payload> = (payload: Payload, error: string) => Promise<void>;

/** A kind with its handler, as a worker runs it. */
export interface RegisteredJob {
  kind: JobKind<unknown>;
  handler: JobHandler<unknown>;
  onDead: DeadJobHook<unknown> | undefined;
}

export function registerJob<Payload>(kind: JobKind<Payload>, handler: JobHandler<Payload>, onDead?: DeadJobHook<Payload>): RegisteredJob {
  return { kind, handler: handler as JobHandler<unknown>, onDead: onDead as DeadJobHook<unknown> | undefined };
}

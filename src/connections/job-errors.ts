import type { ProviderName } from '../providers/names.js';
import { retryAdviceFor } from '../providers/retry-advice.js';
import type { JobErrorClassifier } from '../queue/classify-error.js';
import { ConnectionUnavailableError } from './errors.js';

/** While a connection is Disconnected, its jobs look again this often (a reconnect brings them forward at once). */
export const DISCONNECTED_RECHECK_MS = 30_000;

/**
 * How long a job may be rate limited in a row and still wait without using attempts (24 h).
 * Far longer than any honest throttle — both vendors' budgets refill within the hour, and a
 * backlog drains at the limit — so past it the vendor is refusing rather than pacing: each
 * further try uses an attempt, and the job ends dead after its retries like any failing job.
 */
export const RATE_LIMIT_WAIT_BOUND_MS = 24 * 60 * 60_000;

/** A rate-limited job comes back no sooner than this when the provider did not say when (its pacer's own fallback). */
export const RATE_LIMIT_MIN_WAIT_MS = 1_000;

/** What a job deferred for a connection waits for; JobQueue.resumeWaiting with it after a reconnect. */
export function waitingForConnection(provider: ProviderName): string {
  return `connection:${provider}`;
}

/**
 * The classifier of every job kind that calls a provider (JobKind.classifyError):
 * - a connection that is not usable defers the job (paused, no attempt used) until reconnected;
 * - a rate limit — the hub's pacer turned the call away, or the vendor answered 429 — makes it
 *   wait without using an attempt, no sooner than the limit's reset, for up to
 *   RATE_LIMIT_WAIT_BOUND_MS in a row (then it retries like a failure: queue/failed-run.ts);
 * - an outage retries no sooner than the provider asked; a refused request cannot succeed by
 *   retrying (providers/retry-advice.ts).
 * The rest is left to the queue. A rate-limited job waits for no event (`waitingFor` stays
 * null): a reconnect does not refill a rate budget, so JobQueue.resumeWaiting leaves it alone.
 */
export const classifyProviderJobError: JobErrorClassifier = (error) => {
  if (error instanceof ConnectionUnavailableError) {
    return { kind: 'defer', delayMs: DISCONNECTED_RECHECK_MS, waitingFor: waitingForConnection(error.provider) };
  }
  const advice = retryAdviceFor(error);
  switch (advice?.kind) {
    case undefined:
      return undefined;
    case 'wait':
      return { kind: 'throttled', atLeastMs: Math.max(advice.notBeforeMs, RATE_LIMIT_MIN_WAIT_MS), forAtMostMs: RATE_LIMIT_WAIT_BOUND_MS };
    case 'retry':
      return { kind: 'retry', atLeastMs: advice.notBeforeMs };
    case 'give_up':
      return { kind: 'permanent' };
  }
};

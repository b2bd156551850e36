import { ProviderRateLimitedError, ProviderRequestError, ProviderUnavailableError } from './errors.js';

/**
 * What a provider error means for work that may be tried again (a job kind's error
 * classification uses it):
 * - `wait`: a rate limit — the hub's own pacer turned the call away, or the vendor answered
 *   429. Nothing failed: try again no sooner than the provider asked (`notBeforeMs`; 0 when
 *   it did not say);
 * - `retry`: an outage — worth retrying, no sooner than the provider asked;
 * - `give_up`: a refused request (a 4xx other than 408) cannot succeed by retrying.
 * Undefined for anything else (not a provider's answer, or one with no retry meaning: the
 * caller decides). The vendor clients decide which answers are which class (pagerduty/api.ts,
 * linear/api.ts).
 */
export type RetryAdvice = { kind: 'wait'; notBeforeMs: number } | { kind: 'retry'; notBeforeMs: number } | { kind: 'give_up' };

export function retryAdviceFor(error: unknown): RetryAdvice | undefined {
  if (error instanceof ProviderRateLimitedError) return { kind: 'wait', notBeforeMs: (error.retryAfterSeconds ?? 0) * 1000 };
  if (error instanceof ProviderUnavailableError) return { kind: 'retry', notBeforeMs: (error.retryAfterSeconds ?? 0) * 1000 };
  if (error instanceof ProviderRequestError && error.status >= 400 && error.status < 500 && error.status !== 408) {
    return { kind: 'give_up' };
  }
  return undefined;
}

import { ProviderRateLimitedError, ProviderRequestError, ProviderUnavailableError } from './errors.js';

/**
 * What a provider error means for work that may be tried again (a job kind's error
 * classification uses it): a rate limit or an outage is worth retrying, no sooner than the
 * provider asked; a refused request (a 4xx other than 408) cannot succeed by retrying.
 * Undefined for anything else (not a provider's answer, or one with no retry meaning: the
 * caller decides). The vendor clients decide which answers are which class (pagerduty/api.ts,
 * linear/api.ts).
 */
export type RetryAdvice = { retry: true; notBeforeMs: number } | { retry: false };

export function retryAdviceFor(error: unknown): RetryAdvice | undefined {
  if (error instanceof ProviderRateLimitedError || error instanceof ProviderUnavailableError) {
    return { retry: true, notBeforeMs: (error.retryAfterSeconds ?? 0) * 1000 };
  }
  if (error instanceof ProviderRequestError && error.status >= 400 && error.status < 500 && error.status !== 408) {
    return { retry: false };
  }
  return undefined;
}

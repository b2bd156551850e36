import type { TooManyAttempts } from '../accounts/login-throttle.js';
import type { Failure } from '../core/result.js';

/**
 * The Retry-After header of a 429 `too_many_attempts` answer (its details carry the same
 * seconds); no header for any other failure.
 */
export function retryAfterHeaders(failure: Failure): Record<string, string> {
  if (failure.code !== 'too_many_attempts') return {};
  const { retryAfterSeconds } = failure.details as NonNullable<TooManyAttempts['details']>;
  return { 'retry-after': String(retryAfterSeconds) };
}

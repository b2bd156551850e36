import type { RetryPolicy } from './catalog.js';

/**
 * Delay before the next run after `attempt` failed runs: exponential with full jitter
 * (random in [0, cap]), and never shorter than what the provider asked for (`atLeastMs`,
 * from Retry-After or a rate-limit reset).
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, atLeastMs = 0, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(Math.round(random() * cap), atLeastMs);
}

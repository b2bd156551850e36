import type { RateHeaderReader } from '../pacing.js';

/** PagerDuty: `ratelimit-limit`, `ratelimit-remaining`, `ratelimit-reset` (seconds from now). */
export const readPagerDutyRateHeaders: RateHeaderReader = (headers, now) => {
  const limit = Number(headers.get('ratelimit-limit'));
  const remaining = Number(headers.get('ratelimit-remaining'));
  const reset = Number(headers.get('ratelimit-reset'));
  if (!headers.has('ratelimit-remaining') || !Number.isFinite(remaining) || !Number.isFinite(reset)) return undefined;
  return { limit: Number.isFinite(limit) && limit > 0 ? limit : remaining, remaining, resetAt: now + reset * 1000 };
};

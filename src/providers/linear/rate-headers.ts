import type { RateHeaderReader } from '../pacing.js';

/** Linear: `X-RateLimit-Requests-Limit`, `-Remaining`, `-Reset` (epoch ms). */
export const readLinearRateHeaders: RateHeaderReader = (headers) => {
  const limit = Number(headers.get('x-ratelimit-requests-limit'));
  const remaining = Number(headers.get('x-ratelimit-requests-remaining'));
  const resetAt = Number(headers.get('x-ratelimit-requests-reset'));
  if (!headers.has('x-ratelimit-requests-remaining') || !Number.isFinite(remaining) || !Number.isFinite(resetAt)) return undefined;
  return { limit: Number.isFinite(limit) && limit > 0 ? limit : remaining, remaining, resetAt };
};

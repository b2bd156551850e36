import type { SandboxClock } from '../common/clock.js';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (the `ratelimit-reset` header, API-NOTES §2.9). */
  resetSeconds: number;
}

const WINDOW_MS = 60_000;

/**
 * Fixed one-minute windows per bucket on the sandbox clock (API-NOTES §2.9: 960/min per API key,
 * per app per user, per app per account). A bucket's window starts at its first request.
 */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly clock: SandboxClock) {}

  /** Counts one request against `bucket` and says whether it may proceed. */
  take(bucket: string, limit: number): RateDecision {
    const now = this.clock.now();
    let w = this.windows.get(bucket);
    if (!w || now >= w.start + WINDOW_MS) {
      w = { start: now, count: 0 };
      this.windows.set(bucket, w);
    }
    const allowed = w.count < limit;
    if (allowed) w.count += 1;
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - w.count),
      resetSeconds: Math.max(1, Math.ceil((w.start + WINDOW_MS - now) / 1000)),
    };
  }

  reset(): void {
    this.windows.clear();
  }
}

export function rateHeaders(d: RateDecision): Record<string, string> {
  return { 'ratelimit-limit': String(d.limit), 'ratelimit-remaining': String(d.remaining), 'ratelimit-reset': String(d.resetSeconds) };
}

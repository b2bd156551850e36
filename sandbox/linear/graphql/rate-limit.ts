import type { SandboxClock } from '../../common/clock.js';

/**
 * Leaky buckets per credential (RATE page; API-NOTES §2.6): one for requests, one for
 * complexity points, each refilled continuously at limit/period on the sandbox clock. Linear's
 * numbers: API key 1 500 requests and 250 000 points per hour; OAuth 1 200 and 200 000.
 */
export interface BucketLimits {
  requests: number;
  complexity: number;
}

export interface RateLimitConfig {
  apiKey: BucketLimits;
  oauth: BucketLimits;
  /** The refill period (default one hour). */
  periodMs: number;
}

export const LINEAR_RATE_LIMITS: RateLimitConfig = {
  apiKey: { requests: 1500, complexity: 250_000 },
  oauth: { requests: 1200, complexity: 200_000 },
  periodMs: 3_600_000,
};

interface Level {
  remaining: number;
  at: number;
}

export interface BucketStatus {
  limit: number;
  remaining: number;
  /** Epoch ms when the bucket is full again. */
  reset: number;
}

export interface RateDecision {
  allowed: boolean;
  requests: BucketStatus;
  complexity: BucketStatus;
  /** Seconds until the request would be allowed (when not allowed). */
  retryAfterSeconds: number;
}

export class RateLimiter {
  private readonly levels = new Map<string, { requests: Level; complexity: Level }>();

  constructor(
    private readonly clock: SandboxClock,
    public config: RateLimitConfig,
  ) {}

  /** Takes one request and `complexity` points from the credential's buckets, if both have room. */
  take(key: string, kind: 'apiKey' | 'oauth', complexity: number): RateDecision {
    return this.check(key, kind, complexity, true);
  }

  /** The buckets' state without taking anything (rateLimitStatus). */
  peek(key: string, kind: 'apiKey' | 'oauth'): RateDecision {
    return this.check(key, kind, 0, false);
  }

  reset(): void {
    this.levels.clear();
  }

  private check(key: string, kind: 'apiKey' | 'oauth', complexity: number, consume: boolean): RateDecision {
    const limits = this.config[kind];
    const now = this.clock.now();
    const entry = this.levels.get(key) ?? { requests: { remaining: limits.requests, at: now }, complexity: { remaining: limits.complexity, at: now } };
    this.levels.set(key, entry);
    const refill = (level: Level, limit: number) => {
      level.remaining = Math.min(limit, level.remaining + ((now - level.at) * limit) / this.config.periodMs);
      level.at = now;
    };
    refill(entry.requests, limits.requests);
    refill(entry.complexity, limits.complexity);
    const allowed = entry.requests.remaining >= 1 && entry.complexity.remaining >= complexity;
    if (allowed && consume) {
      entry.requests.remaining -= 1;
      entry.complexity.remaining -= complexity;
    }
    const wait = (level: Level, limit: number, need: number) => Math.max(0, ((need - level.remaining) * this.config.periodMs) / limit);
    const status = (level: Level, limit: number): BucketStatus => ({
      limit,
      remaining: Math.max(0, Math.floor(level.remaining)),
      reset: Math.ceil(now + wait(level, limit, limit)),
    });
    return {
      allowed,
      requests: status(entry.requests, limits.requests),
      complexity: status(entry.complexity, limits.complexity),
      retryAfterSeconds: Math.ceil(Math.max(wait(entry.requests, limits.requests, 1), wait(entry.complexity, limits.complexity, complexity)) / 1000),
    };
  }
}

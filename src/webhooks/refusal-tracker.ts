/**
 * When a webhook is "Failing": not after one refused request (anyone who knows a delivery URL
 * can POST an unsigned body to it), but after a sustained pattern — at least `minRefusals`
 * refusals spread over at least `minSpanMs`, none further apart than `maxGapMs`, and no
 * delivery accepted meanwhile. Refusals are counted here, in memory; the database is written
 * (webhook_endpoints.last_refused_at / last_refusal) only when the pattern holds, and then at
 * most once per endpoint per `rewriteAfterMs`. An accepted delivery ends the streak (and the
 * endpoint's newer last_delivery_at clears Failing in the view).
 *
 * Per process: with several hub processes behind one address each counts what it receives,
 * so the pattern must hold in one of them. An accepted delivery seen by another process still
 * ends the streak here, through the endpoint the intake reads anyway (lastDeliveryAt).
 */
export interface RefusalPolicy {
  minRefusals: number;
  minSpanMs: number;
  maxGapMs: number;
  rewriteAfterMs: number;
  /** Endpoints tracked at once; the one refused least recently is forgotten first. */
  maxTracked: number;
}

export const DEFAULT_REFUSAL_POLICY: RefusalPolicy = {
  minRefusals: 5,
  minSpanMs: 5 * 60_000,
  maxGapMs: 60 * 60_000,
  rewriteAfterMs: 5 * 60_000,
  maxTracked: 10_000,
};

/** After the first refusal of a streak, one log line per this many refusals. */
export const LOG_EVERY = 100;

interface Streak {
  firstAt: number;
  lastAt: number;
  count: number;
  writtenAt: number | null;
}

/** What to record when the pattern holds: refusals counted since `since`. */
export interface FailingMark {
  count: number;
  since: number;
}

export class RefusalTracker {
  readonly #streaks = new Map<string, Streak>();

  constructor(private readonly policy: RefusalPolicy = DEFAULT_REFUSAL_POLICY) {}

  /**
   * Counts one refusal for the endpoint. Returns the mark to write when the endpoint should be
   * recorded Failing now; undefined (nothing to write) otherwise.
   */
  refused(endpoint: { id: string; lastDeliveryAt: number | null }, now: number): FailingMark | undefined {
    const { policy } = this;
    let streak = this.#streaks.get(endpoint.id);
    const broken =
      streak !== undefined &&
      (now - streak.lastAt > policy.maxGapMs || (endpoint.lastDeliveryAt !== null && endpoint.lastDeliveryAt >= streak.firstAt));
    if (streak === undefined || broken) streak = { firstAt: now, lastAt: now, count: 0, writtenAt: null };
    streak.count += 1;
    streak.lastAt = now;
    // Re-inserted so that the Map's order is least recently refused first.
    this.#streaks.delete(endpoint.id);
    this.#streaks.set(endpoint.id, streak);
    while (this.#streaks.size > policy.maxTracked) {
      const oldest = this.#streaks.keys().next().value;
      if (oldest === undefined) break;
      this.#streaks.delete(oldest);
    }
    if (streak.count < policy.minRefusals || now - streak.firstAt < policy.minSpanMs) return undefined;
    if (streak.writtenAt !== null && now - streak.writtenAt < policy.rewriteAfterMs) return undefined;
    streak.writtenAt = now;
    return { count: streak.count, since: streak.firstAt };
  }

  /** Refusals in the endpoint's current streak (0 when it has none). */
  streakLength(endpointId: string): number {
    return this.#streaks.get(endpointId)?.count ?? 0;
  }

  /**
   * Whether the refusal just counted deserves a log line: the first of a streak, then every
   * LOG_EVERY-th, so a flood of unsigned requests cannot grow the log one line per request.
   */
  worthLogging(endpointId: string): boolean {
    const length = this.streakLength(endpointId);
    return length === 1 || length % LOG_EVERY === 0;
  }

  /** A delivery to the endpoint was accepted: its streak ends. */
  accepted(endpointId: string): void {
    this.#streaks.delete(endpointId);
  }

  /** Endpoints with a streak (for tests and the memory bound). */
  get size(): number {
    return this.#streaks.size;
  }
}

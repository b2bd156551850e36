import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderRateLimitedError } from './errors.js';
import { PROVIDER_NAMES, type ProviderName } from './names.js';

/** What a provider's headers said about the rate budget after a call. */
export interface RateBudget {
  limit: number;
  remaining: number;
  /** Epoch ms when the budget is full again. */
  resetAt: number;
}

export type RateHeaderReader = (headers: Headers, now: number) => RateBudget | undefined;

/** What a provider API function asks of a pacer around each HTTP call it makes. */
export interface CallPacer {
  /** Waits until the call may go out (or throws ProviderRateLimitedError when that is too far). */
  beforeCall(): Promise<void>;
  /** Reads the response's rate-limit headers (and a 429). */
  observe(headers: Headers, status: number): void;
  /** The request limit the provider's headers last stated, when known. */
  readonly statedLimit?: number | undefined;
}

export interface RatePacerOptions {
  /** Calls kept in reserve: below this many remaining, callers wait for the reset. Default 2 % of the limit, at least 1. */
  reserveFraction?: number;
  /** Longest a call waits in place; a longer wait becomes ProviderRateLimitedError (the job is delayed instead). Default 5 s. */
  maxWaitMs?: number;
  /** The hub's clock (default: real time), so pacing and the queue's retry times agree. */
  now?: () => number;
}

/**
 * Paces one connection's calls from what the provider's rate-limit headers say, so the hub
 * slows down before it is refused rather than after: while the budget is above the reserve,
 * calls go straight out; when it is low, they are spread evenly over the time left until the
 * reset; when it is spent (or after a 429), they wait for the reset. A wait longer than
 * `maxWaitMs` throws ProviderRateLimitedError carrying the delay, which the queue turns into a
 * wait that uses no attempt (connections/job-errors.ts) — work is never dropped. One pacer per connection (ConnectionsService), in
 * each process; processes sharing a token each read the same headers, so they converge.
 */
export class RatePacer implements CallPacer {
  readonly #provider: ProviderName;
  readonly #read: RateHeaderReader;
  readonly #reserveFraction: number;
  readonly #maxWaitMs: number;
  #budget: RateBudget | undefined;
  #blockedUntil = 0;
  #nextSlot = 0;
  readonly #now: () => number;

  constructor(provider: ProviderName, read: RateHeaderReader, options: RatePacerOptions = {}) {
    this.#provider = provider;
    this.#now = options.now ?? Date.now;
    this.#read = read;
    this.#reserveFraction = options.reserveFraction ?? 0.02;
    this.#maxWaitMs = options.maxWaitMs ?? 5_000;
  }

  /** The request limit the provider's headers last stated; undefined before the first answer. */
  get statedLimit(): number | undefined {
    return this.#budget?.limit;
  }

  /** Waits until this call may go out (or throws ProviderRateLimitedError when that is too far). */
  async beforeCall(): Promise<void> {
    const now = this.#now();
    let until = this.#blockedUntil;
    // The slot after this call's, taken only by a call that goes out (now or after waiting here):
    // a call turned away below hands its slot to the next caller instead of pushing every later
    // call further out (which left most of a low budget unused, bench/end-to-end).
    let nextSlot: number | undefined;
    const budget = this.#budget;
    if (budget !== undefined && budget.resetAt > now) {
      const reserve = Math.max(1, Math.floor(budget.limit * this.#reserveFraction));
      if (budget.remaining <= reserve) until = Math.max(until, budget.resetAt);
      else if (budget.remaining < budget.limit * 0.2) {
        // Low: spread what is left evenly until the reset.
        const spacing = (budget.resetAt - now) / (budget.remaining - reserve);
        until = Math.max(until, this.#nextSlot);
        nextSlot = Math.max(now, this.#nextSlot) + spacing;
      }
    }
    const waitMs = until - now;
    if (waitMs > this.#maxWaitMs) {
      throw new ProviderRateLimitedError(
        this.#provider,
        `The ${PROVIDER_NAMES[this.#provider]} rate budget is spent until ${new Date(until).toISOString()}.`,
        Math.ceil(waitMs / 1000),
      );
    }
    if (nextSlot !== undefined) this.#nextSlot = nextSlot;
    if (waitMs > 0) await sleep(waitMs);
  }

  /** Reads the budget from a response; a 429 blocks calls until the reset (or Retry-After). */
  observe(headers: Headers, status: number): void {
    const now = this.#now();
    const budget = this.#read(headers, now);
    if (budget !== undefined) this.#budget = budget;
    if (status === 429 || (budget !== undefined && budget.remaining <= 0)) {
      const retryAfter = Number(headers.get('retry-after'));
      const until = budget?.resetAt ?? (Number.isFinite(retryAfter) && retryAfter > 0 ? now + retryAfter * 1000 : now + 1_000);
      this.#blockedUntil = Math.max(this.#blockedUntil, until);
    }
  }
}

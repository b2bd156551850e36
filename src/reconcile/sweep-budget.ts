import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../core/clock.js';
import type { CallPacer } from '../providers/pacing.js';
import type { ProviderName } from '../providers/names.js';
import { providers } from '../providers/registry.js';

/**
 * What the sweep carries from one run to the next, per provider: when its last request went out
 * (epoch ms), and the limit the provider last stated.
 */
export interface SweepPace {
  last?: Partial<Record<ProviderName, number>>;
  limits?: Partial<Record<ProviderName, number>>;
}

/**
 * The sweep's share of each connection's rate limit (issue 12 item 4). The sweep's requests are
 * spaced evenly, `window / (share × limit)` apart — the limit the provider's headers last stated,
 * else the documented one (provider.ts `rateLimit`) — so in any window of the limit's length the
 * sweep sends at most `share × limit` requests, plus one. Live sync is paced by the connection's
 * own pacer and never waits for the sweep; the sweep's calls go through both.
 *
 * The time of each provider's last request is carried from one run of the sweep to the next (the
 * `reconcile_sweeps.pace` column), so a sweep spread over many runs keeps its pace.
 */
export class SweepBudget {
  readonly #share: number;
  readonly #clock: Clock;
  readonly #last: Partial<Record<ProviderName, number>>;
  readonly #limits: Partial<Record<ProviderName, number>>;
  #requests: Partial<Record<ProviderName, number>> = {};

  /** `share`: 0 < share ≤ 1 (RECONCILE_RATE_SHARE_PERCENT / 100). */
  constructor(share: number, clock: Clock, pace: SweepPace = {}) {
    if (!(share > 0 && share <= 1)) throw new RangeError(`the sweep's rate share must be in (0, 1], got ${share}`);
    this.#share = share;
    this.#clock = clock;
    this.#last = { ...pace.last };
    this.#limits = { ...pace.limits };
  }

  /** Milliseconds between two of the sweep's requests to the provider. */
  spacingMs(provider: ProviderName): number {
    const { requests, windowMs } = providers.get(provider).rateLimit;
    const limit = this.#limits[provider] ?? requests;
    return windowMs / Math.max(1, Math.floor(limit * this.#share));
  }

  /** How long the sweep's next request to the provider would wait now. */
  waitMs(provider: ProviderName): number {
    const last = this.#last[provider];
    return last === undefined ? 0 : Math.max(0, last + this.spacingMs(provider) - this.#clock.now());
  }

  /** The requests sent since the last time this was asked, by provider. */
  takeRequests(): Partial<Record<ProviderName, number>> {
    const taken = this.#requests;
    this.#requests = {};
    return taken;
  }

  /** What to carry to the next run. */
  pace(): SweepPace {
    return { last: { ...this.#last }, limits: { ...this.#limits } };
  }

  /** A pacer for the sweep's calls on one connection: its slot first, then the connection's own pacer. */
  wrap(provider: ProviderName, connectionPacer: CallPacer | undefined): CallPacer {
    return {
      beforeCall: async () => {
        // The limit the last answer stated (known from the sweep's second request on).
        const stated = connectionPacer?.statedLimit;
        if (stated !== undefined && stated > 0) this.#limits[provider] = stated;
        const wait = this.waitMs(provider);
        this.#last[provider] = this.#clock.now() + wait;
        this.#requests[provider] = (this.#requests[provider] ?? 0) + 1;
        if (wait > 0) await sleep(wait);
        await connectionPacer?.beforeCall();
      },
      observe: (headers, status) => connectionPacer?.observe(headers, status),
      get statedLimit() {
        return connectionPacer?.statedLimit;
      },
    };
  }
}

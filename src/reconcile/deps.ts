import type { SyncDeps } from '../sync/deps.js';
import type { ReconcileMetrics } from './metrics.js';

/** What the reconciliation needs (main.ts builds it). */
export interface ReconcileDeps extends SyncDeps {
  /** The sweep's share of each connection's rate limit, 0 < share ≤ 1 (RECONCILE_RATE_SHARE_PERCENT / 100). */
  rateShare: number;
  /** RECONCILE_INTERVAL_SECONDS in ms: the first sweep looks this far back for missed creates. */
  intervalMs: number;
  /** RECONCILE_GRACE_SECONDS in ms: younger changes are left to their webhooks. */
  graceMs: number;
  reconcileMetrics?: ReconcileMetrics | undefined;
}

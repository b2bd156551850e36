import { Counter, Histogram, type Registry } from 'prom-client';
import { DRIFT_KINDS } from './drift.js';

/**
 * The reconciliation's metrics (issue 12 item 6), on the hub's registry:
 * - `hub_reconcile_sweeps_total` — sweeps finished (every open link checked, missed creates looked for);
 * - `hub_reconcile_sweep_duration_seconds` — from a sweep's start to its end, across its runs;
 * - `hub_reconcile_pairs_checked_total` — open links whose two sides a sweep read;
 * - `hub_reconcile_drifts_found_total{kind}` — drifts a sweep found and sent to be healed;
 * - `hub_reconcile_drifts_healed_total{kind}` — drifts healed (still there when the heal ran: the
 *   live flow had not caught up meanwhile);
 * - `hub_reconcile_requests_total{provider}` — requests the sweep itself sent (its rate share).
 * Webhooks repaired are `hub_webhooks_repaired_total` (webhooks/metrics.ts); rows purged are
 * `hub_retention_purged_total` (retention/metrics.ts).
 */
export interface ReconcileMetrics {
  sweeps: Counter;
  duration: Histogram;
  checked: Counter;
  found: Counter<'kind'>;
  healed: Counter<'kind'>;
  requests: Counter<'provider'>;
}

export function registerReconcileMetrics(registry: Registry): ReconcileMetrics {
  const metrics: ReconcileMetrics = {
    sweeps: new Counter({ name: 'hub_reconcile_sweeps_total', help: 'Reconciliation sweeps finished', registers: [registry] }),
    duration: new Histogram({
      name: 'hub_reconcile_sweep_duration_seconds',
      help: "From a reconciliation sweep's start to its end, across its runs",
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
      registers: [registry],
    }),
    checked: new Counter({ name: 'hub_reconcile_pairs_checked_total', help: 'Open links whose two sides a sweep read', registers: [registry] }),
    found: new Counter({ name: 'hub_reconcile_drifts_found_total', help: 'Drifts a sweep found, by kind', labelNames: ['kind'] as const, registers: [registry] }),
    healed: new Counter({ name: 'hub_reconcile_drifts_healed_total', help: 'Drifts the reconciliation healed, by kind', labelNames: ['kind'] as const, registers: [registry] }),
    requests: new Counter({ name: 'hub_reconcile_requests_total', help: 'Requests the reconciliation sweep sent, by provider', labelNames: ['provider'] as const, registers: [registry] }),
  };
  for (const kind of DRIFT_KINDS) {
    metrics.found.inc({ kind }, 0);
    metrics.healed.inc({ kind }, 0);
  }
  return metrics;
}

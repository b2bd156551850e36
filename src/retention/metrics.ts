import { Counter, type Registry } from 'prom-client';
import { RETENTION_TABLES } from './expired-rows.js';

/**
 * Retention's metric, on the hub's registry:
 * - `hub_retention_purged_total{table}` — rows the retention purge deleted, by table
 *   (webhook_deliveries, jobs, sync_ledger, rule_pages, rule_skips).
 */
export interface RetentionMetrics {
  purged: Counter<'table'>;
}

export function registerRetentionMetrics(registry: Registry): RetentionMetrics {
  const purged = new Counter({
    name: 'hub_retention_purged_total',
    help: 'Rows the retention purge deleted, by table',
    labelNames: ['table'] as const,
    registers: [registry],
  });
  // Every table shows from the first scrape, at 0 until something is purged.
  for (const table of RETENTION_TABLES) purged.inc({ table }, 0);
  return { purged };
}

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { HubDatabase } from '../db/database.js';

/**
 * Sync's metrics (issue 11 item 8), on the hub's registry:
 * - `hub_sync_actions_total{direction,kind,outcome}` — writes upstream by direction
 *   (issue_to_incident, incident_to_issue), what was written (incident, note, comment,
 *   issue_state, incident_status, attachment) and outcome (done, skipped, failed);
 * - `hub_sync_echoes_dropped_total{direction,kind}` — the hub's own changes recognised coming back;
 * - `hub_sync_links{status}` — links by status (opening, open, closed, with_error), read at scrape;
 * - `hub_sync_first_action_seconds{direction}` — from a webhook's arrival to the first upstream
 *   call it caused.
 */
export interface SyncMetrics {
  actions: Counter<'direction' | 'kind' | 'outcome'>;
  echoes: Counter<'direction' | 'kind'>;
  firstAction: Histogram<'direction'>;
}

export function registerSyncMetrics(registry: Registry, database: HubDatabase): SyncMetrics {
  const actions = new Counter({
    name: 'hub_sync_actions_total',
    help: 'Writes sync made upstream, by direction, kind and outcome',
    labelNames: ['direction', 'kind', 'outcome'] as const,
    registers: [registry],
  });
  const echoes = new Counter({
    name: 'hub_sync_echoes_dropped_total',
    help: "The hub's own changes recognised when their webhooks came back, by direction and kind",
    labelNames: ['direction', 'kind'] as const,
    registers: [registry],
  });
  const firstAction = new Histogram({
    name: 'hub_sync_first_action_seconds',
    help: 'From a webhook delivery received to the first upstream call it caused, by direction',
    labelNames: ['direction'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  new Gauge({
    name: 'hub_sync_links',
    help: 'Issue–incident links by status (opening, open, closed, with_error)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const rows = await database.db
        .selectFrom('sync_links')
        .select((eb) => [
          eb.fn.countAll<number>().as('all'),
          eb.fn.count<number>('incident_id').as('with_incident'),
          eb.fn.count<number>('closed_at').as('closed'),
          eb.fn.count<number>('last_error').as('with_error'),
        ])
        .executeTakeFirstOrThrow();
      const all = rows.all;
      const withIncident = rows.with_incident;
      const closed = rows.closed;
      this.set({ status: 'opening' }, all - withIncident);
      this.set({ status: 'open' }, withIncident - closed);
      this.set({ status: 'closed' }, closed);
      this.set({ status: 'with_error' }, rows.with_error);
    },
  });
  return { actions, echoes, firstAction };
}

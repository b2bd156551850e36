import { Gauge, type Registry } from 'prom-client';
import type { HubDatabase } from '../db/database.js';

/**
 * `hub_queue_jobs{status}`: jobs queued, running and dead right now (succeeded jobs are
 * history, not depth). Read from the database on each scrape, so every process reports the
 * shared queue. A scheduled job's next instance waiting for its time (schedules.ts) is not
 * depth either: it is counted once it is due.
 */
export function registerQueueDepthGauge(registry: Registry, database: HubDatabase): void {
  new Gauge({
    name: 'hub_queue_jobs',
    help: 'Jobs in the queue by status (queued, running, dead)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const rows = await database.db
        .selectFrom('jobs')
        .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
        .where('status', 'in', ['queued', 'running', 'dead'])
        .where((eb) => eb.or([eb('unique_key', 'is', null), eb('status', '<>', 'queued'), eb('run_at', '<=', Date.now())]))
        .groupBy('status')
        .execute();
      this.reset();
      for (const status of ['queued', 'running', 'dead'] as const) {
        this.set({ status }, rows.find((row) => row.status === status)?.count ?? 0);
      }
    },
  });
}

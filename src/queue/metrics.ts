import { Gauge, type Registry } from 'prom-client';
import type { HubDatabase } from '../db/database.js';

/**
 * `hub_queue_jobs{status}`: jobs queued, running and dead right now (succeeded jobs are
 * history, not depth). Read from the database on each scrape, so every process reports the
 * shared queue.
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
        .groupBy('status')
        .execute();
      this.reset();
      for (const status of ['queued', 'running', 'dead'] as const) {
        this.set({ status }, rows.find((row) => row.status === status)?.count ?? 0);
      }
    },
  });
}

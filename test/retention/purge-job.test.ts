import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import { createLogger } from '../../src/observability/logger.js';
import { JobQueue } from '../../src/queue/queue.js';
import { QueueWorker } from '../../src/queue/worker.js';
import { registerRetentionMetrics } from '../../src/retention/metrics.js';
import { PURGE_EXPIRED, purgeExpiredJob } from '../../src/retention/purge-job.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.js';
import { until } from '../webhooks/fixture.js';
import { DAY, deliveryRow, insertDeliveries, insertOrganisation } from './rows.js';

/** The purge as the queue runs it: an installation-wide job of kind `retention.purge_expired`. */
describe.each(testDialects())('retention purge job on %s', (dialect) => {
  let database: TestDatabase;
  let worker: QueueWorker | undefined;
  beforeEach(async () => {
    database = await createTestDatabase(dialect);
  });
  afterEach(async () => {
    await worker?.stop();
    await database?.destroy();
  });

  it('purges what is past RETENTION_DAYS, keeps the rest, and counts it', async () => {
    await insertOrganisation(database.db, 'org_a');
    const now = Date.now();
    await insertDeliveries(database.db, [
      ...Array.from({ length: 700 }, (_, index) => deliveryRow('org_a', now - 8 * DAY - index, 'processed', null)),
      ...Array.from({ length: 3 }, () => deliveryRow('org_a', now - 6 * DAY, 'processed', null)),
    ]);
    const registry = new Registry();
    const logger = createLogger({ level: 'silent' });
    const queue = new JobQueue(database, systemClock);
    worker = new QueueWorker({
      database,
      queue,
      clock: systemClock,
      logger,
      jobs: [purgeExpiredJob({ database, retentionDays: 7, metrics: registerRetentionMetrics(registry), clock: systemClock, logger })],
      pollIntervalMs: 100,
    });
    await worker.start();

    const jobId = await queue.enqueueNow(PURGE_EXPIRED, {});

    await until('the purge job succeeded', async () => {
      const job = await database.db.selectFrom('jobs').select('status').where('id', '=', jobId).executeTakeFirst();
      return job?.status === 'succeeded';
    });
    expect(await database.db.selectFrom('webhook_deliveries').select('id').execute()).toHaveLength(3);
    expect(await registry.metrics()).toContain('hub_retention_purged_total{table="webhook_deliveries"} 700');
  });
});

import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerRetentionMetrics } from '../../src/retention/metrics.js';
import { PURGE_BATCH_SIZE, purgeExpired } from '../../src/retention/purge.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.js';
import {
  DAY,
  deliveryRow,
  insertDeliveries,
  insertDelivery,
  insertJob,
  insertLinkWithTimeline,
  insertOrganisation,
  insertRulePage,
  insertSkip,
  remaining,
} from './rows.js';

const NOW = Date.UTC(2026, 11, 5, 12);
const OLD = NOW - 31 * DAY;
const RECENT = NOW - 29 * DAY;
const HOUR = 3_600_000;

/**
 * The retention purge (src/retention/) on a real database: with RETENTION_DAYS=30 it deletes
 * exactly what has been kept long enough and nothing a person or the hub still needs.
 */
describe.each(testDialects())('retention purge on %s', (dialect) => {
  let database: TestDatabase;
  const db = () => database.db;
  const purge = (options: Parameters<typeof purgeExpired>[2] = {}, registry?: Registry) =>
    purgeExpired({ database, retentionDays: 30, metrics: registry && registerRetentionMetrics(registry) }, NOW, options);

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    await insertOrganisation(database.db, 'org_a');
    await insertOrganisation(database.db, 'org_b');
  });
  afterEach(async () => database?.destroy());

  it('deletes final deliveries (with their bodies) whose job is finished, and keeps every delivery still needed', async () => {
    const purged = [
      await insertDelivery(db(), 'org_a', OLD, 'processed', 'succeeded'),
      await insertDelivery(db(), 'org_a', OLD, 'ignored', null),
      // Its job was purged already: nothing is waiting for it.
      await insertDelivery(db(), 'org_a', OLD, 'failed', 'missing'),
      await insertDelivery(db(), 'org_a', OLD, 'failed', 'succeeded'),
      // Every organisation is purged.
      await insertDelivery(db(), 'org_b', OLD, 'processed', 'succeeded'),
    ];
    const kept = [
      // Failed, its job dead: an admin may still replay it.
      await insertDelivery(db(), 'org_a', OLD, 'failed', 'dead'),
      // Its job is not finished.
      await insertDelivery(db(), 'org_a', OLD, 'processed', 'queued'),
      await insertDelivery(db(), 'org_a', OLD, 'processed', 'running'),
      await insertDelivery(db(), 'org_a', OLD, 'received', 'queued'),
      // Not final (waiting for a reconnect).
      await insertDelivery(db(), 'org_a', OLD, 'received', null),
      // Recent.
      await insertDelivery(db(), 'org_a', RECENT, 'processed', 'succeeded'),
      await insertDelivery(db(), 'org_b', RECENT, 'ignored', null),
    ];

    const report = await purge();

    expect(report.finished).toBe(true);
    expect(report.purged.webhook_deliveries).toBe(purged.length);
    expect(await remaining(db(), 'webhook_deliveries', [...purged, ...kept])).toEqual([...kept].sort());
  });

  it('deletes succeeded jobs finished before the cut-off, never dead, queued or running ones', async () => {
    const purged = [
      await insertJob(db(), 'org_a', 'succeeded', OLD),
      await insertJob(db(), 'org_b', 'succeeded', OLD),
      // An installation-wide job (no organisation).
      await insertJob(db(), null, 'succeeded', OLD),
    ];
    const kept = [
      await insertJob(db(), 'org_a', 'dead', OLD - 100 * DAY),
      await insertJob(db(), 'org_a', 'queued', OLD),
      await insertJob(db(), 'org_a', 'running', OLD),
      await insertJob(db(), 'org_a', 'succeeded', RECENT),
      await insertJob(db(), null, 'succeeded', RECENT),
    ];

    const report = await purge();

    expect(report.purged.jobs).toBe(purged.length);
    expect(await remaining(db(), 'jobs', [...purged, ...kept])).toEqual([...kept].sort());
  });

  it('deletes the old timeline of links closed longer than the retention, never an open link’s', async () => {
    const [closedLongAgoOld1, closedLongAgoOld2] = await insertLinkWithTimeline(db(), 'org_a', OLD, [OLD - 20 * DAY, OLD - 1]);
    const closedLongAgoRecent = await insertLinkWithTimeline(db(), 'org_a', OLD, [RECENT]);
    // Closed two days ago: its whole timeline stays for the retention period after closing.
    const closedRecently = await insertLinkWithTimeline(db(), 'org_a', NOW - 2 * DAY, [OLD - 20 * DAY, NOW - 2 * DAY]);
    // Open for months: its timeline is kept however old.
    const open = await insertLinkWithTimeline(db(), 'org_a', null, [OLD - 60 * DAY, OLD]);
    const otherOrganisation = await insertLinkWithTimeline(db(), 'org_b', OLD, [OLD - 5 * DAY]);

    const report = await purge();

    const purged = [closedLongAgoOld1!, closedLongAgoOld2!, ...otherOrganisation];
    const kept = [...closedLongAgoRecent, ...closedRecently, ...open];
    expect(report.purged.sync_ledger).toBe(purged.length);
    expect(await remaining(db(), 'sync_ledger', [...purged, ...kept])).toEqual([...kept].sort());
    // The links themselves stay (the Links tab lists them).
    expect(await db().selectFrom('sync_links').select('id').execute()).toHaveLength(5);
  });

  it('keeps the safety valve’s pages for two hours, whatever the retention', async () => {
    const purged = [await insertRulePage(db(), 'org_a', NOW - 3 * HOUR), await insertRulePage(db(), 'org_b', OLD)];
    const kept = [await insertRulePage(db(), 'org_a', NOW - 90 * 60_000), await insertRulePage(db(), 'org_a', NOW - 60_000)];

    const report = await purge();

    expect(report.purged.rule_pages).toBe(purged.length);
    expect(await remaining(db(), 'rule_pages', [...purged, ...kept])).toEqual([...kept].sort());
  });

  it('deletes skipped issues paged longer ago than the cut-off, never one nobody paged', async () => {
    const purged = [await insertSkip(db(), 'org_a', OLD - DAY, OLD)];
    const kept = [
      // Never paged: how a person finds what a rule did not page.
      await insertSkip(db(), 'org_a', OLD - 60 * DAY, null),
      // Skipped long ago, paged recently.
      await insertSkip(db(), 'org_a', OLD - 10 * DAY, RECENT),
      await insertSkip(db(), 'org_b', RECENT, RECENT),
    ];

    const report = await purge();

    expect(report.purged.rule_skips).toBe(purged.length);
    expect(await remaining(db(), 'rule_skips', [...purged, ...kept])).toEqual([...kept].sort());
  });

  it('deletes 5,000 old deliveries in small statements (500 rows at most), and counts them in hub_retention_purged_total', async () => {
    await insertDeliveries(db(), Array.from({ length: 5_000 }, (_, index) => deliveryRow(index % 2 === 0 ? 'org_a' : 'org_b', OLD - index, 'processed', null)));
    await insertJob(db(), 'org_a', 'succeeded', OLD);
    const registry = new Registry();

    const report = await purge({}, registry);

    const batch = PURGE_BATCH_SIZE[dialect];
    expect(batch).toBeLessThanOrEqual(500);
    expect(report.purged.webhook_deliveries).toBe(5_000);
    // Per organisation: 2,500 rows in full batches, and one more that finds the rest (or nothing);
    // then one statement for each other table of each organisation, and one for the jobs.
    expect(report.statements).toBe(2 * (Math.floor(2_500 / batch) + 1) + 2 * 3 + 1);
    expect(await db().selectFrom('webhook_deliveries').select('id').execute()).toHaveLength(0);
    const metric = await registry.getSingleMetric('hub_retention_purged_total')!.get();
    const byTable = Object.fromEntries(metric.values.map((value) => [value.labels.table, value.value]));
    expect(byTable).toEqual({ webhook_deliveries: 5_000, jobs: 1, sync_ledger: 0, rule_pages: 0, rule_skips: 0 });
  });

  it('stops when its time budget is spent and the next run goes on where it stopped', async () => {
    await insertDeliveries(db(), Array.from({ length: 1_200 }, (_, index) => deliveryRow('org_a', OLD - index, 'processed', null)));

    const stopped = await purge({ budgetMs: 0 });
    expect(stopped).toMatchObject({ finished: false, statements: 0 });

    const aborted = new AbortController();
    aborted.abort();
    expect(await purge({ signal: aborted.signal })).toMatchObject({ finished: false, statements: 0 });

    const next = await purge({ batchSize: 100 });
    expect(next).toMatchObject({ finished: true });
    expect(next.purged.webhook_deliveries).toBe(1_200);
    expect(await purge()).toMatchObject({ finished: true, purged: { webhook_deliveries: 0 } });
  });
});

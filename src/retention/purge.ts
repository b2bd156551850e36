import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Dialect, HubDatabase } from '../db/database.js';
import { deleteExpiredJobs, ORGANISATION_DELETERS, RETENTION_TABLES, type ExpiryWindow, type RetentionTable } from './expired-rows.js';
import type { RetentionMetrics } from './metrics.js';

export const DAY_MS = 86_400_000;
/**
 * Rows per delete statement, by dialect. On SQLite a statement holds the one connection (and,
 * better-sqlite3 being synchronous, the event loop) while it runs, so its batches are smaller; on
 * PostgreSQL a delete blocks no intake insert, and a batch is bounded to keep each transaction short.
 */
export const PURGE_BATCH_SIZE: Readonly<Record<Dialect, number>> = { sqlite: 200, postgres: 500 };
/** Default time a purge may spend before it stops and leaves the rest to the next run. */
export const PURGE_BUDGET_MS = 20_000;

export interface RetentionDeps {
  database: HubDatabase;
  /** RETENTION_DAYS (config.retentionDays). */
  retentionDays: number;
  /** Counts what was deleted (`hub_retention_purged_total{table}`); optional in tests. */
  metrics?: RetentionMetrics | undefined;
}

export interface PurgeOptions {
  /** Rows per delete statement (default {@link PURGE_BATCH_SIZE} of the dialect). */
  batchSize?: number;
  /** Stop starting statements after this long (default {@link PURGE_BUDGET_MS}). */
  budgetMs?: number;
  /** Stop starting statements once aborted (a job run that timed out, a shutdown). */
  signal?: AbortSignal;
}

export interface PurgeReport {
  /** Rows deleted, per table. */
  purged: Record<RetentionTable, number>;
  /** Delete statements run (each its own transaction). */
  statements: number;
  /** False when the budget ran out (or the run was aborted) with expired rows possibly left: the next run goes on. */
  finished: boolean;
}

/**
 * Deletes what has been kept long enough (docs/queue.md#retention): rows older than
 * `retentionDays` before `now` — final deliveries whose job is finished, succeeded jobs, the
 * timeline of links closed that long, skipped issues paged that long ago — and the safety
 * valve's pages older than two hours. Never a dead, queued or running job, a delivery waiting
 * for its job, an open link's timeline or a skip nobody paged.
 *
 * Works in small batches — one `DELETE … LIMIT`ed statement at a time, each its own short
 * transaction, resting between two as long as the last one took — so webhook intake keeps
 * answering (on SQLite, where the writer is one connection, a query waits for one batch at most). Goes on until
 * nothing expired is left or the time budget is spent; safe to run from several processes.
 */
export async function purgeExpired(deps: RetentionDeps, now: number, options: PurgeOptions = {}): Promise<PurgeReport> {
  const batchSize = options.batchSize ?? PURGE_BATCH_SIZE[deps.database.dialect];
  const deadline = performance.now() + (options.budgetMs ?? PURGE_BUDGET_MS);
  const window: ExpiryWindow = { cutoff: now - deps.retentionDays * DAY_MS, now, limit: batchSize };
  const { db } = deps.database;
  const report: PurgeReport = { purged: emptyCounts(), statements: 0, finished: false };
  const outOfTime = () => performance.now() >= deadline || options.signal?.aborted === true;

  /** Runs `step` until it deletes less than a batch; false when time ran out first. */
  const drain = async (table: RetentionTable, step: () => Promise<number>): Promise<boolean> => {
    for (;;) {
      if (outOfTime()) return false;
      const started = performance.now();
      const count = await step();
      report.statements += 1;
      report.purged[table] += count;
      if (count > 0) deps.metrics?.purged.inc({ table }, count);
      // Rest as long as the statement took: the purge takes at most about half of the database's
      // time, and the intake's queries (waiting for the one connection on SQLite) go in between.
      await sleep(performance.now() - started);
      if (count < batchSize) return true;
    }
  };

  const organisations = await db.selectFrom('organisations').select('id').orderBy('id').execute();
  for (const { id } of organisations) {
    for (const [table, deleter] of ORGANISATION_DELETERS) {
      if (!(await drain(table, () => deleter(db, window, id)))) return report;
    }
  }
  if (!(await drain('jobs', () => deleteExpiredJobs(db, window)))) return report;
  report.finished = true;
  return report;
}

function emptyCounts(): Record<RetentionTable, number> {
  return Object.fromEntries(RETENTION_TABLES.map((table) => [table, 0])) as Record<RetentionTable, number>;
}

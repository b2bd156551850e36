import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../observability/logger.js';
import { defineJobKind, registerJob, type RegisteredJob } from '../queue/catalog.js';
import { purgeExpired, type RetentionDeps } from './purge.js';

/** A run stops starting delete statements after this long (well inside the kind's time limit). */
export const PURGE_JOB_BUDGET_MS = 25_000;
/** How often the purge is meant to run (from the end of one run to the next). */
export const PURGE_EVERY_MS = 3600_000;

/**
 * "Delete what has been kept long enough", as an installation-wide job (no organisation, no
 * lane): meant to be scheduled every {@link PURGE_EVERY_MS}, one pending instance for the
 * installation. A run that spends its budget leaves the rest to the next one. A failed run is retried a couple of times; the next scheduled
 * one makes up for it anyway.
 */
export const PURGE_EXPIRED = defineJobKind({
  kind: 'retention.purge_expired',
  payload: z.strictObject({}),
  timeoutMs: 40_000,
  retry: { maxAttempts: 3, baseDelayMs: 60_000, maxDelayMs: 10 * 60_000 },
});

export interface PurgeJobDeps extends RetentionDeps {
  clock: Clock;
  logger: Logger;
}

export function purgeExpiredJob(deps: PurgeJobDeps): RegisteredJob {
  return registerJob(PURGE_EXPIRED, async (_payload, context) => {
    const started = deps.clock.now();
    const report = await purgeExpired(deps, started, { budgetMs: PURGE_JOB_BUDGET_MS, signal: context.signal });
    const total = Object.values(report.purged).reduce((sum, count) => sum + count, 0);
    if (total > 0 || !report.finished) {
      deps.logger.info({ jobId: context.jobId, purged: report.purged, statements: report.statements, finished: report.finished }, 'retention purge');
    }
  });
}

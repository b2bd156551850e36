import { z } from 'zod';
import { classifyProviderJobError } from '../connections/job-errors.js';
import type { Logger } from '../observability/logger.js';
import { defineJobKind, registerJob, type RegisteredJob } from '../queue/catalog.js';
import { DeferJob } from '../queue/errors.js';
import { defineSchedule, type Schedule } from '../queue/schedules.js';
import type { ReconcileDeps } from './deps.js';
import { runSweep } from './sweep.js';

/**
 * The reconciliation sweep as a scheduled job: one instance per organisation with rules or
 * links, every RECONCILE_INTERVAL_SECONDS from the end of a sweep. A sweep that cannot finish in
 * one run (its time budget, its rate share, live work waiting) defers its own instance — the run
 * uses no attempt — and goes on from its cursor; only a finished sweep schedules the next. A
 * Disconnected connection makes it wait for the reconnect, like live work.
 */
export const RECONCILE_SWEEP = defineJobKind({
  kind: 'reconcile.sweep',
  payload: z.strictObject({}),
  timeoutMs: 45_000,
  retry: { maxAttempts: 5, baseDelayMs: 10_000, maxDelayMs: 5 * 60_000 },
  classifyError: classifyProviderJobError,
});

export function reconcileSchedule(intervalMs: number): Schedule<unknown> {
  return defineSchedule({
    kind: RECONCILE_SWEEP,
    payload: {},
    everyMs: intervalMs,
    scope: {
      kind: 'organisation',
      organisations: async (db) => {
        const withRules = await db.selectFrom('rules').select('organisation_id').distinct().execute();
        const withLinks = await db.selectFrom('sync_links').select('organisation_id').distinct().execute();
        return [...new Set([...withRules, ...withLinks].map((row) => row.organisation_id))];
      },
    },
  });
}

export function reconcileSweepJob(deps: ReconcileDeps, logger: Logger): RegisteredJob {
  const log = logger.child({ component: 'reconciliation' });
  return registerJob(RECONCILE_SWEEP, async (_payload, context) => {
    const organisationId = context.organisationId;
    if (organisationId === null) return;
    const outcome = await runSweep(deps, organisationId, { jobId: context.jobId, signal: context.signal });
    if (outcome.kind === 'continues') {
      throw new DeferJob(`The sweep goes on (${outcome.checked} pairs checked so far): it paused for ${outcome.reason}.`, outcome.afterMs);
    }
    const { report } = outcome;
    const drifts = Object.values(report.drifts).reduce((sum, n) => sum + n, 0);
    const line = { organisationId, checked: report.checked, drifts: report.drifts, requests: report.requests, runs: report.runs, durationMs: report.durationMs };
    if (drifts > 0) log.info(line, 'reconciliation sweep found drift');
    else log.debug(line, 'reconciliation sweep: both sides agree');
  });
}

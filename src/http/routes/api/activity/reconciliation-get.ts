import type { FastifyInstance } from 'fastify';
import { activityApi, type SweepView } from '../../../../api/activity.js';
import { listHealedChanges, reconciliationOverview } from '../../../../reconcile/reconciliation-listing.js';
import type { SweepReport } from '../../../../reconcile/sweep-state.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { requireSession } from '../../../guards.js';
import { decodeCursor, encodeCursor } from './cursor.js';

const iso = (ms: number) => new Date(ms).toISOString();

function sweepView(report: SweepReport): SweepView {
  const drifts: Record<string, number> = {};
  for (const [kind, n] of Object.entries(report.drifts)) drifts[kind] = n;
  return {
    startedAt: iso(report.startedAt),
    finishedAt: iso(report.finishedAt),
    durationMs: Math.max(0, Math.round(report.durationMs)),
    pairsChecked: report.checked,
    drifts,
    requests: { ...report.requests },
    runs: report.runs,
  };
}

/** GET /api/activity/reconciliation — the last sweep, the one in progress, and what was healed. */
export function registerGetReconciliation(app: FastifyInstance, deps: AppDeps): void {
  route(app, activityApi.reconciliation, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    const query = input.query();
    const after = decodeCursor(query.cursor, ['number', 'string']);
    const db = deps.database.db;
    const overview = await reconciliationOverview(db, organisation.id);
    const rows = await listHealedChanges(db, organisation.id, {
      limit: query.limit + 1,
      before: after === undefined ? undefined : { at: after[0] as number, id: after[1] as string },
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      lastSweep: overview.lastSweep === null ? null : sweepView(overview.lastSweep),
      inProgress: overview.inProgress === null ? null : { startedAt: iso(overview.inProgress.startedAt), pairsChecked: overview.inProgress.checked },
      nextSweepAt: overview.nextSweepAt === null ? null : iso(overview.nextSweepAt),
      intervalSeconds: Math.round(deps.config.reconcileIntervalMs / 1000),
      healed: page.map((row) => ({ id: row.id, at: iso(row.at), linkId: row.linkId, issue: row.issue, incidentNumber: row.incidentNumber, summary: row.summary })),
      nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor([last.at, last.id]) : null,
    };
  });
}

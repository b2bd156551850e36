import type { FastifyInstance } from 'fastify';
import { activityApi, type SkippedIssueView } from '../../../../api/activity.js';
import { listSkippedIssues, type SkippedIssue } from '../../../../rules/safety-valve.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { requireSession } from '../../../guards.js';
import { decodeCursor, encodeCursor } from './cursor.js';

const iso = (ms: number) => new Date(ms).toISOString();

function skippedView(skip: SkippedIssue): SkippedIssueView {
  return {
    id: skip.id,
    rule: { id: skip.ruleId, name: skip.ruleName },
    issue: { id: skip.issueId, label: skip.issueLabel },
    reason: skip.reason,
    detail: skip.detail,
    deliveryId: skip.deliveryId,
    skippedAt: iso(skip.skippedAt),
    pagedAt: skip.pagedAt === null ? null : iso(skip.pagedAt),
  };
}

/** GET /api/activity/skipped — issues the organisation's rules skipped, newest first, paged. */
export function registerGetSkipped(app: FastifyInstance, deps: AppDeps): void {
  route(app, activityApi.skipped, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    const query = input.query();
    const after = decodeCursor(query.cursor, ['number', 'string']);
    const rows = await listSkippedIssues(deps.database.db, organisation.id, {
      limit: query.limit + 1,
      ruleId: query.rule,
      before: after === undefined ? undefined : { at: after[0] as number, id: after[1] as string },
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      skipped: page.map(skippedView),
      nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor([last.skippedAt, last.id]) : null,
    };
  });
}

import type { DryRunResponse } from '../../../../api/rules.js';
import type { DryRun } from '../../../../rules/dry-run.js';

/** A dry-run (rules/dry-run.ts) as the API answers it (POST /api/rules/test and /api/rules/:id/test). */
export function dryRunView(run: DryRun): DryRunResponse {
  const issues = run.issues.map(({ issue, line, urgency }) => ({
    id: issue.id,
    identifier: issue.identifier,
    title: issue.title,
    url: issue.url,
    priority: issue.priority,
    state: { name: issue.state.name, type: issue.state.type },
    wouldPage: line.wouldPage,
    urgency,
    excludedBy: line.excludedBy,
    earlierRule: line.earlierRule === null ? null : { id: line.earlierRule.id, name: line.earlierRule.name },
    alreadyPaging: line.alreadyPaging,
  }));
  return { team: run.team, issues, wouldPage: issues.filter((issue) => issue.wouldPage).length };
}

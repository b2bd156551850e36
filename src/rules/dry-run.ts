import { fail, ok, type Result } from '../core/result.js';
import type { TrackerIssue } from '../providers/roles.js';
import { dryRunRule, urgencyFor, type DryRunLine, type IncidentUrgency } from './evaluate.js';
import { liveReferenceSource, type ReferenceDeps } from './reference-source.js';
import { checkReferencesWith, type ReferenceProblem } from './references.js';
import type { IssueFacts, Rule } from './rule.js';
import { findRule, listRules } from './rules-repository.js';
import type { RuleForm } from './save-rule.js';

/**
 * **Test rule** (issue 10 item 3): the team's most recent issues, each evaluated against the
 * organisation's saved rules with the tested rule in its place — a draft (unsaved form values,
 * checked like a save) after the last rule, a saved rule where it stands. Reads only: viewers
 * may run it. Provider failures are thrown.
 */

/** How many of the team's most recently updated issues a dry-run lists. */
export const DRY_RUN_ISSUES = 50;

export interface DryRunIssue {
  issue: TrackerIssue;
  line: DryRunLine;
  /** The incident's urgency when the rule would page it; null otherwise. */
  urgency: IncidentUrgency | null;
}

export interface DryRun {
  team: { id: string; name: string };
  issues: DryRunIssue[];
}

/** The id a draft carries in the evaluation (saved ids are `rul_…`). */
const DRAFT_ID = 'draft';

/**
 * What the matcher knows of an issue. `hasOpenLink` is false for now: which issues have an open
 * incident is the link ledger of the sync (issue 11); until it exists no issue is "already paging".
 */
function factsOf(issue: TrackerIssue): IssueFacts {
  return {
    id: issue.id,
    teamId: issue.teamId,
    priority: issue.priority,
    stateType: issue.state.type,
    projectId: issue.projectId,
    labelIds: issue.labelIds,
    hasOpenLink: false,
  };
}

function evaluate(rules: readonly Rule[], candidate: Rule, issues: readonly TrackerIssue[]): DryRunIssue[] {
  const lines = dryRunRule(rules, candidate, issues.map(factsOf));
  return lines.flatMap((line, index) => {
    const issue = issues[index];
    return issue === undefined ? [] : [{ issue, line, urgency: line.wouldPage ? urgencyFor(candidate, issue.priority) : null }];
  });
}

/**
 * Unsaved form values: references checked first (invalid_rule with the problems, as a save
 * answers). A new rule is placed after the last; an edit of a saved rule (`editing`: its id)
 * takes that rule's place, so its saved self is not reported as the earlier rule.
 */
export async function dryRunDraft(
  deps: ReferenceDeps,
  organisationId: string,
  form: RuleForm,
  editing?: string,
): Promise<Result<DryRun, 'invalid_rule' | 'rule_not_found', ReferenceProblem[]>> {
  const rules = await listRules(deps.database.db, organisationId);
  const saved = editing === undefined ? undefined : rules.find((rule) => rule.id === editing);
  if (editing !== undefined && saved === undefined) return fail('rule_not_found', 'No such rule.');
  const source = liveReferenceSource(deps, organisationId);
  const checked = await checkReferencesWith(source, form);
  if (!checked.ok) return checked;
  const last = rules.reduce((max, rule) => Math.max(max, rule.position), 0);
  const candidate: Rule = {
    id: saved?.id ?? DRAFT_ID,
    organisationId,
    name: form.name,
    position: saved?.position ?? last + 1,
    enabled: form.enabled,
    pausedAt: null,
    pausedReason: null,
    missingReferences: [],
    filters: checked.value.filters,
    routing: checked.value.routing,
    sync: checked.value.sync,
    incidentsPerHour: form.incidentsPerHour,
  };
  const teamId = candidate.filters.teamId;
  const recent = await deps.connections.withProvider(organisationId, source.tracker.provider, (request) =>
    source.tracker.recentIssues(request, teamId, DRY_RUN_ISSUES),
  );
  return ok({ team: { id: teamId, name: checked.value.names.team }, issues: evaluate(rules, candidate, recent) });
}

/** A saved rule where it stands in the order, in its current state (disabled, paused, needs attention). */
export async function dryRunSaved(
  deps: ReferenceDeps,
  organisationId: string,
  ruleId: string,
): Promise<Result<DryRun, 'rule_not_found' | 'team_not_found'>> {
  const rule = await findRule(deps.database.db, organisationId, ruleId);
  if (rule === undefined) return fail('rule_not_found', 'No such rule.');
  const source = liveReferenceSource(deps, organisationId);
  const teamId = rule.filters.teamId;
  const team = (await source.teams()).find((candidate) => candidate.id === teamId);
  if (team === undefined) {
    return fail('team_not_found', `Team ${rule.names.team} no longer exists in the connected workspace: edit the rule to choose another team.`);
  }
  const rules = await listRules(deps.database.db, organisationId);
  const recent = await deps.connections.withProvider(organisationId, source.tracker.provider, (request) =>
    source.tracker.recentIssues(request, teamId, DRY_RUN_ISSUES),
  );
  return ok({ team: { id: team.id, name: team.name }, issues: evaluate(rules, rule, recent) });
}

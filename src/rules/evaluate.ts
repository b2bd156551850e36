import { ruleStatus, type IssueFacts, type Rule, type RuleFilters } from './rule.js';

/**
 * Which rule takes a Linear issue, and why each other rule does not (issue 10, items 3 and 4).
 * Pure: no clock, no database, no provider; the caller passes one organisation's rules and
 * what Linear says of the issue now. The safety valve's counting and the Activity records
 * belong to the caller; these functions only read `pausedAt` and `missingReferences`.
 */

/** A filter of the form, in the form's order (the order exclusions are reported in). */
export type FilterName = 'team' | 'priority' | 'status_type' | 'project' | 'label';

/** Why a rule whose filters match would still not page, in the order reported. */
export type Inactivity = 'disabled' | 'needs_attention' | 'paused';

/** The one reason a rule does not take an issue: a failed filter first, then the rule's state. */
export type Exclusion = FilterName | Inactivity;

/** PagerDuty's incident urgency. */
export type IncidentUrgency = 'high' | 'low';

/** The first filter the issue fails, in the form's order; null when it passes them all. */
export function failedFilter(filters: RuleFilters, issue: IssueFacts): FilterName | null {
  if (filters.teamId !== issue.teamId) return 'team';
  if (!(filters.priorities as readonly number[]).includes(issue.priority)) return 'priority';
  if (!(filters.statusTypes as readonly string[]).includes(issue.stateType)) return 'status_type';
  // Optional filters: empty matches every issue; otherwise any one chosen value is enough.
  if (filters.projectIds.length > 0 && (issue.projectId === null || !filters.projectIds.includes(issue.projectId))) return 'project';
  if (filters.labelIds.length > 0 && !issue.labelIds.some((id) => filters.labelIds.includes(id))) return 'label';
  return null;
}

/**
 * Why the rule pages nothing now; null when it may page. Disabled first (a person's choice),
 * then needs attention (only an edit helps), then paused (a resume helps).
 */
export function inactivity(rule: Rule): Inactivity | null {
  if (!rule.enabled) return 'disabled';
  const status = ruleStatus(rule);
  return status === 'active' ? null : status;
}

/** Why the rule does not take the issue (filters first, then its state); null when it takes it. */
export function exclusionOf(rule: Rule, issue: IssueFacts): Exclusion | null {
  return failedFilter(rule.filters, issue) ?? inactivity(rule);
}

/** The rules in evaluation order: by position, ties broken by id. Returns a new array. */
export function inEvaluationOrder(rules: readonly Rule[]): Rule[] {
  return [...rules].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * The urgency of the incident a rule opens for an issue of this priority: the rule's fixed
 * urgency, or from the priority — Urgent (1) and High (2) → high, every other value → low
 * (Medium, Low and No priority alike).
 */
export function urgencyFor(rule: Pick<Rule, 'routing'>, priority: number): IncidentUrgency {
  const { urgency } = rule.routing;
  if (urgency !== 'from_priority') return urgency;
  return priority === 1 || priority === 2 ? 'high' : 'low';
}

/** One rule's answer for one issue. */
export interface RuleVerdict {
  rule: Rule;
  /** Why this rule does not take the issue; null when it would. */
  excludedBy: Exclusion | null;
}

/**
 * What happens to the issue. `pages`: the rule opens an incident with this urgency.
 * `already_paging`: the rule would take it, but the issue has an open incident already — one
 * issue pages at most once per open incident. `no_rule`: no rule takes it.
 */
export type IssueDecision =
  | { kind: 'pages'; rule: Rule; urgency: IncidentUrgency }
  | { kind: 'already_paging'; rule: Rule }
  | { kind: 'no_rule' };

export interface IssueEvaluation {
  decision: IssueDecision;
  /** Every rule given, in evaluation order (another team's rules say `team`). */
  verdicts: RuleVerdict[];
}

/**
 * Evaluates one issue against one organisation's rules: in evaluation order, the first rule
 * whose filters all match and that is enabled, not paused and not in need of attention takes
 * the issue; a rule that does not is skipped and the next one is asked.
 */
export function evaluateIssue(rules: readonly Rule[], issue: IssueFacts): IssueEvaluation {
  const verdicts = inEvaluationOrder(rules).map((rule) => ({ rule, excludedBy: exclusionOf(rule, issue) }));
  const taker = verdicts.find((verdict) => verdict.excludedBy === null)?.rule;
  let decision: IssueDecision;
  if (taker === undefined) decision = { kind: 'no_rule' };
  else if (issue.hasOpenLink) decision = { kind: 'already_paging', rule: taker };
  else decision = { kind: 'pages', rule: taker, urgency: urgencyFor(taker, issue.priority) };
  return { decision, verdicts };
}

/** One issue in a rule's dry-run (**Test rule**). */
export interface DryRunLine {
  issueId: string;
  /** True only when this rule would open an incident for the issue now. */
  wouldPage: boolean;
  /** Why this rule itself would not take the issue; null when it would. */
  excludedBy: Exclusion | null;
  /** The first earlier rule in the order that would take the issue first; null when none. */
  earlierRule: Rule | null;
  /** The issue has an open incident already: nothing pages it again. */
  alreadyPaging: boolean;
}

/**
 * The dry-run of one rule over issues (the team's recent ones), before or after saving.
 * `candidate` replaces the saved rule with its id, or joins the list by its position when new
 * (give a new rule a position after the last to test it where saving would put it).
 */
export function dryRunRule(rules: readonly Rule[], candidate: Rule, issues: readonly IssueFacts[]): DryRunLine[] {
  const ordered = inEvaluationOrder([...rules.filter((rule) => rule.id !== candidate.id), candidate]);
  const earlier = ordered.slice(0, ordered.indexOf(candidate));
  return issues.map((issue) => {
    const excludedBy = exclusionOf(candidate, issue);
    const earlierRule = earlier.find((rule) => exclusionOf(rule, issue) === null) ?? null;
    const alreadyPaging = issue.hasOpenLink;
    const wouldPage = excludedBy === null && earlierRule === null && !alreadyPaging;
    return { issueId: issue.id, wouldPage, excludedBy, earlierRule, alreadyPaging };
  });
}

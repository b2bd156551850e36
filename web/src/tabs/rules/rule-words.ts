import type { DryRunIssue, RuleStatusType, RuleUrgencyChoice, RuleView } from '../../api/client.js';
import type { BadgeInfo } from '../../components/StatusBadge.js';

/** Linear priorities in the form's order (Linear's numbers: 1 Urgent … 4 Low, 0 No priority). */
export const PRIORITIES: ReadonlyArray<{ value: 0 | 1 | 2 | 3 | 4; label: string }> = [
  { value: 1, label: 'Urgent' },
  { value: 2, label: 'High' },
  { value: 3, label: 'Medium' },
  { value: 4, label: 'Low' },
  { value: 0, label: 'No Priority' },
];

export type RulePriority = (typeof PRIORITIES)[number]['value'];

/** Linear's workflow state types in the form's order. */
export const STATUS_TYPES: ReadonlyArray<{ value: RuleStatusType; label: string }> = [
  { value: 'triage', label: 'Triage' },
  { value: 'backlog', label: 'Backlog' },
  { value: 'unstarted', label: 'Unstarted' },
  { value: 'started', label: 'Started' },
  { value: 'completed', label: 'Completed' },
  { value: 'canceled', label: 'Canceled' },
];

/** Completed and Canceled are resolved states: a rule on them pages for work that is done. */
export const RESOLVED_TYPES: ReadonlySet<string> = new Set(['completed', 'canceled']);

export const URGENCIES: ReadonlyArray<{ value: RuleUrgencyChoice; label: string }> = [
  { value: 'high', label: 'High' },
  { value: 'low', label: 'Low' },
  { value: 'from_priority', label: 'From priority' },
];

export function priorityLabel(priority: number): string {
  return PRIORITIES.find((item) => item.value === priority)?.label ?? `Priority ${priority}`;
}

export function statusTypeLabel(type: string): string {
  return STATUS_TYPES.find((item) => item.value === type)?.label ?? type;
}

export function urgencyLabel(urgency: RuleUrgencyChoice): string {
  return URGENCIES.find((item) => item.value === urgency)?.label ?? urgency;
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** One line: "Urgent, High · Triage, Unstarted, Started · 2 projects · label Bug". */
export function filterSummary(filters: RuleView['filters']): string {
  const inOrder = <T,>(all: ReadonlyArray<{ value: T; label: string }>, chosen: readonly T[]) =>
    all.filter((item) => chosen.includes(item.value)).map((item) => item.label).join(', ');
  const parts = [inOrder(PRIORITIES, filters.priorities), inOrder(STATUS_TYPES, filters.statusTypes)];
  const { projects, labels } = filters;
  if (projects.length === 1 && projects[0] !== undefined) parts.push(`project ${projects[0].name}`);
  else if (projects.length > 1) parts.push(count(projects.length, 'project', 'projects'));
  if (labels.length === 1 && labels[0] !== undefined) parts.push(`label ${labels[0].name}`);
  else if (labels.length > 1) parts.push(count(labels.length, 'label', 'labels'));
  return parts.join(' · ');
}

export const RULE_BADGES: Record<RuleView['status'], BadgeInfo> = {
  active: { label: 'Active', tone: 'ok' },
  paused: { label: 'Paused', tone: 'warning' },
  needs_attention: { label: 'Needs attention', tone: 'problem' },
};

const KIND_WORDS: Record<RuleView['missingReferences'][number]['kind'], string> = {
  team: 'team',
  state: 'workflow state',
  service: 'service',
  project: 'project',
  label: 'label',
  pagerduty_priority: 'PagerDuty priority',
};

/** "Missing upstream: service Checkout, label Bug. Edit the rule to choose others." */
export function missingSentence(missing: RuleView['missingReferences']): string {
  const names = missing.map((item) => `${KIND_WORDS[item.kind]} ${item.name ?? item.id}`);
  return `Missing in Linear or PagerDuty: ${names.join(', ')}. It pages nothing until it is edited.`;
}

/** Why a rule would not take an issue, in words (DryRunIssue.excludedBy). */
export function exclusionReason(issue: DryRunIssue): string {
  switch (issue.excludedBy) {
    case 'team':
      return 'Not of this rule’s team';
    case 'priority':
      return `Priority ${priorityLabel(issue.priority)} not chosen`;
    case 'status_type':
      return `Status type ${statusTypeLabel(issue.state.type)} not chosen`;
    case 'project':
      return 'Not in a chosen project';
    case 'label':
      return 'Has none of the chosen labels';
    case 'disabled':
      return 'The rule is disabled';
    case 'needs_attention':
      return 'The rule needs attention';
    case 'paused':
      return 'The rule is paused';
    case null:
      return 'Would not page';
  }
}

/** What the dry-run says of one issue: "Would page (high)", or why not. */
export function dryRunOutcome(issue: DryRunIssue): string {
  if (issue.wouldPage) return `Would page (${issue.urgency ?? 'high'})`;
  if (issue.excludedBy !== null) return exclusionReason(issue);
  if (issue.earlierRule !== null) return `Taken by earlier rule ${issue.earlierRule.name}`;
  if (issue.alreadyPaging) return 'Already paging';
  return 'Would not page';
}

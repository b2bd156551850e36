import { PRIORITY_LABELS, STATUS_TYPES, type LinearPriority, type RuleUrgency, type StatusType, type StoredRule } from './rule.js';

/**
 * What an edit changed, for people: one line per field of the form that differs, in the form's
 * order, with the names the hub last saw ("Service: Checkout → Payments",
 * "Priority: Urgent, High → Urgent"). Rule history keeps these lines (issue 10 item 11).
 */

type Comparable = Pick<StoredRule, 'name' | 'enabled' | 'filters' | 'routing' | 'sync' | 'names' | 'incidentsPerHour'>;

const PRIORITY_ORDER: readonly LinearPriority[] = [1, 2, 3, 4, 0];

const STATUS_TYPE_LABELS: Readonly<Record<StatusType, string>> = {
  triage: 'Triage',
  backlog: 'Backlog',
  unstarted: 'Unstarted',
  started: 'Started',
  completed: 'Completed',
  canceled: 'Canceled',
};

const URGENCY_LABELS: Readonly<Record<RuleUrgency, string>> = { high: 'High', low: 'Low', from_priority: 'From priority' };

const onOff = (value: boolean) => (value ? 'on' : 'off');

const priorities = (values: readonly LinearPriority[]) =>
  PRIORITY_ORDER.filter((priority) => values.includes(priority))
    .map((priority) => PRIORITY_LABELS[priority])
    .join(', ');

const statusTypes = (values: readonly StatusType[]) =>
  STATUS_TYPES.filter((type) => values.includes(type))
    .map((type) => STATUS_TYPE_LABELS[type])
    .join(', ');

/** Named ids as a sorted list of names; an empty list is "any" (the filter is off). */
const anyOf = (ids: readonly string[], names: Readonly<Record<string, string>>) =>
  ids.length === 0 ? 'any' : ids.map((id) => names[id] ?? id).sort((a, b) => a.localeCompare(b)).join(', ');

/** The lines, one per changed field; empty when nothing a person set differs. */
export function describeChanges(before: Comparable, after: Comparable): string[] {
  const lines: string[] = [];
  const line = (label: string, from: string, to: string) => {
    if (from !== to) lines.push(`${label}: ${from} → ${to}`);
  };
  line('Name', before.name, after.name);
  line('Team', before.names.team, after.names.team);
  if (before.filters.teamId !== after.filters.teamId && before.names.team === after.names.team) {
    lines.push(`Team: ${before.filters.teamId} → ${after.filters.teamId}`);
  }
  line('Priority', priorities(before.filters.priorities), priorities(after.filters.priorities));
  line('Status types', statusTypes(before.filters.statusTypes), statusTypes(after.filters.statusTypes));
  line('Projects', anyOf(before.filters.projectIds, before.names.projects), anyOf(after.filters.projectIds, after.names.projects));
  line('Labels', anyOf(before.filters.labelIds, before.names.labels), anyOf(after.filters.labelIds, after.names.labels));
  line('Service', before.names.service, after.names.service);
  if (before.routing.serviceId !== after.routing.serviceId && before.names.service === after.names.service) {
    lines.push(`Service: ${before.routing.serviceId} → ${after.routing.serviceId}`);
  }
  line('Urgency', URGENCY_LABELS[before.routing.urgency], URGENCY_LABELS[after.routing.urgency]);
  line('PagerDuty priority', before.names.pagerdutyPriority ?? 'none', after.names.pagerdutyPriority ?? 'none');
  line('Acknowledged Status', before.names.acknowledgedState, after.names.acknowledgedState);
  line('Resolved Status', before.names.resolvedState, after.names.resolvedState);
  line('Comments to notes', onOff(before.sync.commentsToNotes), onOff(after.sync.commentsToNotes));
  line('Notes to comments', onOff(before.sync.notesToComments), onOff(after.sync.notesToComments));
  line('Resolve the incident when the issue is completed or canceled', onOff(before.sync.resolveOnComplete), onOff(after.sync.resolveOnComplete));
  line('Reopen the incident when the issue reopens', onOff(before.sync.reopenOnReopen), onOff(after.sync.reopenOnReopen));
  line('Post the incident link on the issue', onOff(before.sync.postIncidentLink), onOff(after.sync.postIncidentLink));
  line('Post the link as', before.sync.incidentLinkAs, after.sync.incidentLinkAs);
  line('Incidents per hour', String(before.incidentsPerHour), String(after.incidentsPerHour));
  line('Enabled', onOff(before.enabled), onOff(after.enabled));
  return lines;
}

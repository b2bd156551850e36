import type { Kysely } from 'kysely';
import { listUsers } from '../../../../accounts/users-repository.js';
import type { ParsedRuleInput, RuleHistoryEntry, RuleView } from '../../../../api/rules.js';
import type { Database } from '../../../../db/tables.js';
import { ruleStatus, type StoredRule } from '../../../../rules/rule.js';
import type { RuleHistoryEntry as StoredHistoryEntry } from '../../../../rules/rules-repository.js';
import type { RuleForm } from '../../../../rules/rules-service.js';

/**
 * Rules' domain objects ⇄ API bodies (src/api/rules.ts). People are named from the users table
 * (a user since deleted reads "Deleted user"); everything upstream by the names the hub last
 * saw (refreshed on every save).
 */

const iso = (ms: number) => new Date(ms).toISOString();

/** Names of the organisation's users by id, for createdBy/updatedBy and history. */
export type People = ReadonlyMap<string, string>;

export async function peopleOf(db: Kysely<Database>, organisationId: string): Promise<People> {
  return new Map((await listUsers(db, organisationId)).map((user) => [user.id, user.name]));
}

const person = (people: People, id: string | null) => (id === null ? null : { id, name: people.get(id) ?? 'Deleted user' });

const named = (id: string, names: Readonly<Record<string, string>>) => ({ id, name: names[id] ?? id });

export function ruleView(rule: StoredRule, people: People): RuleView {
  const { names } = rule;
  const priorityId = rule.routing.pagerdutyPriorityId;
  return {
    id: rule.id,
    name: rule.name,
    position: rule.position,
    enabled: rule.enabled,
    status: ruleStatus(rule),
    paused: rule.pausedAt === null ? null : { at: iso(rule.pausedAt), reason: rule.pausedReason ?? '' },
    missingReferences: rule.missingReferences.map((ref) => ({ kind: ref.kind, id: ref.id, name: ref.name })),
    filters: {
      team: { id: rule.filters.teamId, name: names.team },
      priorities: [...rule.filters.priorities],
      statusTypes: [...rule.filters.statusTypes],
      projects: rule.filters.projectIds.map((id) => named(id, names.projects)),
      labels: rule.filters.labelIds.map((id) => named(id, names.labels)),
    },
    routing: {
      service: { id: rule.routing.serviceId, name: names.service },
      urgency: rule.routing.urgency,
      pagerdutyPriority: priorityId === null ? null : { id: priorityId, name: names.pagerdutyPriority ?? priorityId },
    },
    sync: {
      acknowledgedState: { id: rule.sync.acknowledgedStateId, name: names.acknowledgedState },
      resolvedState: { id: rule.sync.resolvedStateId, name: names.resolvedState },
      commentsToNotes: rule.sync.commentsToNotes,
      notesToComments: rule.sync.notesToComments,
      resolveOnComplete: rule.sync.resolveOnComplete,
      reopenOnReopen: rule.sync.reopenOnReopen,
      postIncidentLink: rule.sync.postIncidentLink,
      incidentLinkAs: rule.sync.incidentLinkAs,
    },
    incidentsPerHour: rule.incidentsPerHour,
    version: rule.version,
    createdAt: iso(rule.createdAt),
    createdBy: person(people, rule.createdBy),
    updatedAt: iso(rule.updatedAt),
    updatedBy: person(people, rule.updatedBy),
  };
}

export function historyView(entry: StoredHistoryEntry, people: People): RuleHistoryEntry {
  return { at: iso(entry.at), by: person(people, entry.userId), action: entry.action as RuleHistoryEntry['action'], changes: [...entry.changes] };
}

/** The form as the API parsed it → the domain's RuleForm. */
export function ruleFormOf(body: ParsedRuleInput): RuleForm {
  const { acknowledgedStateId, resolvedStateId, ...switches } = body.sync;
  return {
    name: body.name,
    enabled: body.enabled,
    filters: {
      teamId: body.filters.teamId,
      priorities: body.filters.priorities,
      statusTypes: body.filters.statusTypes,
      projectIds: body.filters.projectIds,
      labelIds: body.filters.labelIds,
    },
    routing: { serviceId: body.routing.serviceId, urgency: body.routing.urgency, pagerdutyPriorityId: body.routing.pagerdutyPriorityId },
    sync: {
      ...(acknowledgedStateId === undefined ? {} : { acknowledgedStateId }),
      ...(resolvedStateId === undefined ? {} : { resolvedStateId }),
      commentsToNotes: switches.commentsToNotes,
      notesToComments: switches.notesToComments,
      resolveOnComplete: switches.resolveOnComplete,
      reopenOnReopen: switches.reopenOnReopen,
      postIncidentLink: switches.postIncidentLink,
      incidentLinkAs: switches.incidentLinkAs,
    },
    incidentsPerHour: body.incidentsPerHour,
  };
}

import type { IncidentLinkStyle, LinearPriority, RuleUrgency, StatusType, StoredRule } from './rule.js';

/**
 * Rules as a portable file (issue 10 item 9, "config as code"): every reference by id and by
 * the name the hub last saw (teams also by key), so a file moves between organisations and
 * survives renames. The same shape as the API's RulesDocument (src/api/rules.ts), in the
 * domain's words; importing it is import-rules.ts.
 */

export const RULES_DOCUMENT_FORMAT = 'integration-hub/rules';
export const RULES_DOCUMENT_VERSION = 1;

/** A reference in a file: its id, its name, or both (an import tries the id first). */
export interface PortableRef {
  id?: string | undefined;
  name?: string | undefined;
}

export interface PortableTeamRef extends PortableRef {
  key?: string | undefined;
}

export interface PortableRule {
  name: string;
  enabled: boolean;
  filters: {
    team: PortableTeamRef;
    priorities: LinearPriority[];
    statusTypes: StatusType[];
    projects: PortableRef[];
    labels: PortableRef[];
  };
  routing: { service: PortableRef; urgency: RuleUrgency; pagerdutyPriority: PortableRef | null };
  sync: {
    /** `{}`: the team's default (its first Started state). */
    acknowledgedState: PortableRef;
    /** `{}`: the team's default (its first Completed state). */
    resolvedState: PortableRef;
    commentsToNotes: boolean;
    notesToComments: boolean;
    resolveOnComplete: boolean;
    reopenOnReopen: boolean;
    postIncidentLink: boolean;
    incidentLinkAs?: IncidentLinkStyle | undefined;
  };
  incidentsPerHour: number;
}

export interface RulesDocument {
  format: typeof RULES_DOCUMENT_FORMAT;
  version: typeof RULES_DOCUMENT_VERSION;
  exportedAt?: string | undefined;
  rules: PortableRule[];
}

const named = (id: string, name: string | null | undefined): PortableRef => (name === null || name === undefined ? { id } : { id, name });

/** One stored rule, portable (ids with the names the hub last saw). */
export function portableRule(rule: StoredRule): PortableRule {
  const { filters, routing, sync, names } = rule;
  const team: PortableTeamRef = { id: filters.teamId, name: names.team };
  if (names.teamKey !== null) team.key = names.teamKey;
  return {
    name: rule.name,
    enabled: rule.enabled,
    filters: {
      team,
      priorities: [...filters.priorities],
      statusTypes: [...filters.statusTypes],
      projects: filters.projectIds.map((id) => named(id, names.projects[id])),
      labels: filters.labelIds.map((id) => named(id, names.labels[id])),
    },
    routing: {
      service: named(routing.serviceId, names.service),
      urgency: routing.urgency,
      pagerdutyPriority: routing.pagerdutyPriorityId === null ? null : named(routing.pagerdutyPriorityId, names.pagerdutyPriority),
    },
    sync: {
      acknowledgedState: named(sync.acknowledgedStateId, names.acknowledgedState),
      resolvedState: named(sync.resolvedStateId, names.resolvedState),
      commentsToNotes: sync.commentsToNotes,
      notesToComments: sync.notesToComments,
      resolveOnComplete: sync.resolveOnComplete,
      reopenOnReopen: sync.reopenOnReopen,
      postIncidentLink: sync.postIncidentLink,
      incidentLinkAs: sync.incidentLinkAs,
    },
    incidentsPerHour: rule.incidentsPerHour,
  };
}

/** Every rule, in evaluation order. */
export function rulesDocument(rules: readonly StoredRule[], exportedAt: number): RulesDocument {
  return {
    format: RULES_DOCUMENT_FORMAT,
    version: RULES_DOCUMENT_VERSION,
    exportedAt: new Date(exportedAt).toISOString(),
    rules: rules.map(portableRule),
  };
}

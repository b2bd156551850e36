import type { RuleSync } from '../rules/rule.js';
import type { IncidentStatus } from '../providers/roles.js';

/**
 * A link: one Linear issue the hub paged for, and its current PagerDuty incident (issue 11).
 * One per issue and organisation; it is re-pointed, never duplicated, when the incident is
 * merged into another or a later match opens a new incident. While `incident` is null the
 * incident is being opened (the link was written, and the safety valve counted, first).
 */
export interface Link {
  id: string;
  organisationId: string;
  rule: { id: string; name: string };
  issue: { id: string; identifier: string; title: string; url: string; teamId: string };
  /** The issue's state as last seen. */
  issueState: LinkState | null;
  incident: { id: string; number: number; url: string; status: IncidentStatus } | null;
  service: { id: string; name: string };
  incidentKey: string;
  /** The issue's state before the hub first moved it; a reopened incident moves it back there. */
  stateBeforeHub: { id: string; name: string } | null;
  /** The rule's sync settings when the link was made: used when the rule is deleted since. */
  syncSettings: RuleSync;
  openedBySkip: string | null;
  lastInAt: number | null;
  lastOutAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  closedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** The incident of a link whose incident is open or resolved (not being opened). */
export type LinkedIncident = NonNullable<Link['incident']>;

export interface LinkState {
  id: string;
  name: string;
  type: string;
}

/** Linear state types that mean "done with it": an issue there resolves its incident. */
export const RESOLVED_STATE_TYPES: ReadonlySet<string> = new Set(['completed', 'canceled']);

export const isResolvedStateType = (type: string): boolean => RESOLVED_STATE_TYPES.has(type);

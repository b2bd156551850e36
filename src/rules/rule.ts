/**
 * A rule: which Linear issues of one team page which PagerDuty service, and how the pair is
 * kept in sync afterwards (../shared/SPEC.md §1.5, §2 items 5–7; issue 10). The domain's words,
 * camelCase; rows and the API contract map to and from this shape elsewhere. The three groups
 * follow the form: filters, routing, sync.
 */

/**
 * Linear's issue priorities (schema.graphql, `Issue.priority`): 0 = No priority, 1 = Urgent,
 * 2 = High, 3 = Medium, 4 = Low. Linear sends a Float; the five values are all it uses.
 */
export const LINEAR_PRIORITIES = [0, 1, 2, 3, 4] as const;
export type LinearPriority = (typeof LINEAR_PRIORITIES)[number];

/** The names users see, in the form's order (Urgent first, No Priority last). */
export const PRIORITY_LABELS: Readonly<Record<LinearPriority, string>> = {
  1: 'Urgent',
  2: 'High',
  3: 'Medium',
  4: 'Low',
  0: 'No Priority',
};

/**
 * The workflow state types a rule may choose (`WorkflowState.type`, a String in Linear's
 * schema). Linear also has `duplicate`: no rule offers it, so a duplicate issue never pages.
 */
export const STATUS_TYPES = ['triage', 'backlog', 'unstarted', 'started', 'completed', 'canceled'] as const;
export type StatusType = (typeof STATUS_TYPES)[number];

/** The incidents-per-hour safety valve: an integer within [min, max], `default` for a new rule. */
export const INCIDENTS_PER_HOUR = { min: 1, max: 1000, default: 20 } as const;

/** Fixed urgency, or mapped from the issue's priority (see `urgencyFor` in evaluate.ts). */
export type RuleUrgency = 'high' | 'low' | 'from_priority';

/**
 * What a rule refers to upstream; one that disappears makes the rule need attention
 * (`pagerduty_priority`: the routing's optional PagerDuty priority).
 */
export type ReferenceKind = 'team' | 'state' | 'service' | 'project' | 'label' | 'pagerduty_priority';

/** A reference that no longer exists upstream, named for people (its last known name). */
export interface MissingReference {
  kind: ReferenceKind;
  id: string;
  name: string | null;
}

/**
 * Which issues the rule sees. `priorities` and `statusTypes` need at least one value (the
 * server validates it); empty, they match nothing. `projectIds` and `labelIds` are optional:
 * empty matches every issue, otherwise any one of them is enough (any-of).
 */
export interface RuleFilters {
  /** The Linear team (the form's **Webhook**): the rule only sees that team's issues. */
  teamId: string;
  priorities: readonly LinearPriority[];
  statusTypes: readonly StatusType[];
  projectIds: readonly string[];
  labelIds: readonly string[];
}

/** Where the incident goes. */
export interface RuleRouting {
  serviceId: string;
  urgency: RuleUrgency;
  /** A PagerDuty priority id; null when the rule sets none (or the account has none). */
  pagerdutyPriorityId: string | null;
}

/** How the incident's link is posted on the issue. */
export type IncidentLinkStyle = 'attachment' | 'comment';

/** How the pair is kept in sync once linked (src/sync, issue 11, reads these). */
export interface RuleSync {
  /** The Linear state an issue moves to when its incident is acknowledged. */
  acknowledgedStateId: string;
  /** The Linear state an issue moves to when its incident is resolved. */
  resolvedStateId: string;
  commentsToNotes: boolean;
  notesToComments: boolean;
  /** Resolve the incident when the issue moves to a Completed or Canceled state. */
  resolveOnComplete: boolean;
  /** Reopen the incident when the issue leaves Completed/Canceled. */
  reopenOnReopen: boolean;
  /** Post the incident's link on the issue once it is opened … */
  postIncidentLink: boolean;
  /** … as an attachment (Linear upserts it by URL) or as a comment. */
  incidentLinkAs: IncidentLinkStyle;
}

export interface Rule {
  id: string;
  organisationId: string;
  /** Unique per organisation (the server checks it). */
  name: string;
  /** Evaluation order within the organisation: lower first; ties broken by id. */
  position: number;
  /** The rule's switch, set only by people. */
  enabled: boolean;
  /** When the safety valve paused the rule (epoch ms); null while not paused. */
  pausedAt: number | null;
  /** Why it paused, for people; null while not paused. */
  pausedReason: string | null;
  /** References gone upstream; non-empty means **Needs attention**: no paging until edited. */
  missingReferences: readonly MissingReference[];
  filters: RuleFilters;
  routing: RuleRouting;
  sync: RuleSync;
  /** The safety valve's limit, within INCIDENTS_PER_HOUR. */
  incidentsPerHour: number;
}

/**
 * The status the list shows beside the enabled switch. Needs attention wins over Paused:
 * resuming would not help a rule whose references are gone, editing it does.
 */
export type RuleStatus = 'active' | 'paused' | 'needs_attention';

export function ruleStatus(rule: Pick<Rule, 'pausedAt' | 'missingReferences'>): RuleStatus {
  if (rule.missingReferences.length > 0) return 'needs_attention';
  return rule.pausedAt === null ? 'active' : 'paused';
}

/**
 * What the matcher needs to know about a Linear issue, as Linear reports it now. `priority` and
 * `stateType` are Linear's raw values (a priority outside 0–4 or the `duplicate` type matches
 * no rule).
 */
export interface IssueFacts {
  id: string;
  teamId: string;
  priority: number;
  stateType: string;
  projectId: string | null;
  labelIds: readonly string[];
  /** The issue is linked to an incident that is not resolved: it must not page again. */
  hasOpenLink: boolean;
}

/**
 * The last names the hub saw of everything a rule refers to upstream (refreshed on every save
 * and reference check): shown in the list, written into the export, and used to name a
 * reference that disappeared. Projects and labels by id.
 */
export interface RuleNames {
  team: string;
  /** The Linear team key (ENG), for the export; null when unknown. */
  teamKey: string | null;
  service: string;
  pagerdutyPriority: string | null;
  acknowledgedState: string;
  resolvedState: string;
  projects: Readonly<Record<string, string>>;
  labels: Readonly<Record<string, string>>;
}

/** A rule as stored: the rule, the names it refers to, and who changed it when. */
export interface StoredRule extends Rule {
  names: RuleNames;
  /** Grows by one on every change: an update names the version it edits. */
  version: number;
  createdAt: number;
  /** User ids; null when the hub itself made the change. */
  createdBy: string | null;
  updatedAt: number;
  updatedBy: string | null;
}

import type { ApiRequestError, PagerDutyCatalog, RuleInput, RuleStatusType, RuleUrgencyChoice, RuleView, TeamCatalog } from '../../api/client.js';
import { nameProblem, problems as collect } from '../../components/form-rules.js';
import type { RulePriority } from './rule-words.js';

/** The rule form's values as the person edits them (text where they type). */
export interface RuleDraft {
  name: string;
  enabled: boolean;
  teamId: string;
  priorities: RulePriority[];
  statusTypes: RuleStatusType[];
  projectIds: string[];
  labelIds: string[];
  /** What is typed in Service; `serviceId` is the service it names ('' when none does). */
  serviceText: string;
  serviceId: string;
  urgency: RuleUrgencyChoice;
  /** '' for none. */
  pagerdutyPriorityId: string;
  /** '' until the team's states are known (then its first Started / Completed state). */
  acknowledgedStateId: string;
  resolvedStateId: string;
  commentsToNotes: boolean;
  notesToComments: boolean;
  resolveOnComplete: boolean;
  reopenOnReopen: boolean;
  postIncidentLink: boolean;
  incidentLinkAs: 'attachment' | 'comment';
  incidentsPerHour: string;
}

/** Field keys are the contract's paths, so the hub's `details[].path` land on the field. */
export type RuleField =
  | 'name'
  | 'filters.teamId'
  | 'filters.priorities'
  | 'filters.statusTypes'
  | 'filters.projectIds'
  | 'filters.labelIds'
  | 'routing.serviceId'
  | 'routing.urgency'
  | 'routing.pagerdutyPriorityId'
  | 'sync.acknowledgedStateId'
  | 'sync.resolvedStateId'
  | 'incidentsPerHour';

const FIELDS: readonly RuleField[] = [
  'name',
  'filters.teamId',
  'filters.priorities',
  'filters.statusTypes',
  'filters.projectIds',
  'filters.labelIds',
  'routing.serviceId',
  'routing.urgency',
  'routing.pagerdutyPriorityId',
  'sync.acknowledgedStateId',
  'sync.resolvedStateId',
  'incidentsPerHour',
];

export const DEFAULT_INCIDENTS_PER_HOUR = 20;

/** A new rule: Urgent and High issues that are not done yet page at high urgency; every sync on. */
export function newDraft(teamId = ''): RuleDraft {
  return {
    name: '',
    enabled: true,
    teamId,
    priorities: [1, 2],
    statusTypes: ['triage', 'unstarted', 'started'],
    projectIds: [],
    labelIds: [],
    serviceText: '',
    serviceId: '',
    urgency: 'high',
    pagerdutyPriorityId: '',
    acknowledgedStateId: '',
    resolvedStateId: '',
    commentsToNotes: true,
    notesToComments: true,
    resolveOnComplete: true,
    reopenOnReopen: true,
    postIncidentLink: true,
    incidentLinkAs: 'attachment',
    incidentsPerHour: String(DEFAULT_INCIDENTS_PER_HOUR),
  };
}

/** A saved rule's values (for Edit, and for Duplicate under another name). */
export function draftFromRule(rule: RuleView, name = rule.name): RuleDraft {
  const { filters, routing, sync } = rule;
  return {
    name,
    enabled: rule.enabled,
    teamId: filters.team.id,
    priorities: [...filters.priorities],
    statusTypes: [...filters.statusTypes],
    projectIds: filters.projects.map((project) => project.id),
    labelIds: filters.labels.map((label) => label.id),
    serviceText: routing.service.name,
    serviceId: routing.service.id,
    urgency: routing.urgency,
    pagerdutyPriorityId: routing.pagerdutyPriority?.id ?? '',
    acknowledgedStateId: sync.acknowledgedState.id,
    resolvedStateId: sync.resolvedState.id,
    commentsToNotes: sync.commentsToNotes,
    notesToComments: sync.notesToComments,
    resolveOnComplete: sync.resolveOnComplete,
    reopenOnReopen: sync.reopenOnReopen,
    postIncidentLink: sync.postIncidentLink,
    incidentLinkAs: sync.incidentLinkAs,
    incidentsPerHour: String(rule.incidentsPerHour),
  };
}

/** The first state of `type` by position, or ''. */
function firstOfType(catalog: TeamCatalog, type: string): string {
  const states = catalog.states.filter((state) => state.type === type).sort((a, b) => a.position - b.position);
  return states[0]?.id ?? '';
}

/**
 * The draft fitted to the team's catalog: states default to the team's first Started and first
 * Completed state, and choices the team does not have are dropped — unless `keepUnknown` (a
 * saved rule: what is gone upstream stays visible until the person changes it).
 */
export function fitToTeam(draft: RuleDraft, catalog: TeamCatalog, keepUnknown: boolean): RuleDraft {
  const has = (list: ReadonlyArray<{ id: string }>, id: string) => list.some((item) => item.id === id);
  const state = (id: string, type: string) => (id !== '' && (keepUnknown || has(catalog.states, id)) ? id : firstOfType(catalog, type));
  return {
    ...draft,
    projectIds: keepUnknown ? draft.projectIds : draft.projectIds.filter((id) => has(catalog.projects, id)),
    labelIds: keepUnknown ? draft.labelIds : draft.labelIds.filter((id) => has(catalog.labels, id)),
    acknowledgedStateId: state(draft.acknowledgedStateId, 'started'),
    resolvedStateId: state(draft.resolvedStateId, 'completed'),
  };
}

/** The service the typed text names exactly (PagerDuty service names are unique in an account). */
export function serviceNamed(catalog: PagerDutyCatalog | undefined, text: string): string | undefined {
  const wanted = text.trim().toLowerCase();
  return catalog?.services.find((service) => service.name.toLowerCase() === wanted)?.id;
}

/** Checks made before asking the hub (which checks everything again). */
export function draftProblems(draft: RuleDraft): Partial<Record<RuleField, string>> {
  const perHour = Number(draft.incidentsPerHour);
  return collect({
    name: nameProblem(draft.name, 'Enter a name for the rule.'),
    'filters.teamId': draft.teamId === '' ? 'Choose the team’s webhook.' : undefined,
    'filters.priorities': draft.priorities.length === 0 ? 'Choose at least one priority.' : undefined,
    'filters.statusTypes': draft.statusTypes.length === 0 ? 'Choose at least one status type.' : undefined,
    'routing.serviceId':
      draft.serviceId === ''
        ? draft.serviceText.trim() === ''
          ? 'Choose the service that receives the incidents.'
          : 'Choose a service from the list: no service has this name.'
        : undefined,
    incidentsPerHour:
      draft.incidentsPerHour.trim() === '' || !Number.isInteger(perHour) || perHour < 1 || perHour > 1000
        ? 'Enter a whole number from 1 to 1000.'
        : undefined,
  });
}

/** The request body for create, update and Test rule. */
export function draftToInput(draft: RuleDraft): RuleInput {
  return {
    name: draft.name.trim(),
    enabled: draft.enabled,
    filters: {
      teamId: draft.teamId,
      priorities: draft.priorities,
      statusTypes: draft.statusTypes,
      projectIds: draft.projectIds,
      labelIds: draft.labelIds,
    },
    routing: {
      serviceId: draft.serviceId,
      urgency: draft.urgency,
      pagerdutyPriorityId: draft.pagerdutyPriorityId === '' ? null : draft.pagerdutyPriorityId,
    },
    sync: {
      ...(draft.acknowledgedStateId === '' ? {} : { acknowledgedStateId: draft.acknowledgedStateId }),
      ...(draft.resolvedStateId === '' ? {} : { resolvedStateId: draft.resolvedStateId }),
      commentsToNotes: draft.commentsToNotes,
      notesToComments: draft.notesToComments,
      resolveOnComplete: draft.resolveOnComplete,
      reopenOnReopen: draft.reopenOnReopen,
      postIncidentLink: draft.postIncidentLink,
      incidentLinkAs: draft.incidentLinkAs,
    },
    incidentsPerHour: Number(draft.incidentsPerHour),
  };
}

/**
 * The hub's refusal as field errors (by contract path: `filters.labelIds.1` lands on Labels)
 * and the rest as sentences for the summary. rule_name_taken names the name field.
 */
export function explainRuleError(caught: ApiRequestError): { fields: Partial<Record<RuleField, string>>; other: string[] } {
  const fields: Partial<Record<RuleField, string>> = {};
  const other: string[] = [];
  if (caught.code === 'rule_name_taken') fields.name = caught.message;
  const details = Array.isArray(caught.details) ? (caught.details as unknown[]) : [];
  for (const item of details) {
    if (typeof item !== 'object' || item === null) continue;
    const { path, message } = item as { path?: unknown; message?: unknown };
    if (typeof message !== 'string') continue;
    const text = Array.isArray(path) ? path.map(String).join('.') : typeof path === 'string' ? path : '';
    const field = FIELDS.find((key) => text === key || text.startsWith(`${key}.`));
    const sentence = sentenceOf(message);
    if (field === undefined) other.push(text === '' ? sentence : `${text}: ${sentence}`);
    else fields[field] ??= sentence;
  }
  return { fields, other };
}

function sentenceOf(message: string): string {
  const text = message.trim();
  const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

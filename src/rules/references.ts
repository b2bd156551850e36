import { fail, ok, type Result } from '../core/result.js';
import { providers } from '../providers/registry.js';
import { liveReferenceSource, type ReferenceDeps, type ReferenceSource, type TeamChoices } from './reference-source.js';
import type { RuleFilters, RuleNames, RuleRouting, RuleSync } from './rule.js';

/**
 * What a rule refers to upstream, checked against the connected workspace and account (issue 10
 * item 5): the team has a hub webhook; the states, projects and labels belong to the team or
 * workspace; the service (and PagerDuty priority) exist in the account. Resolves the defaults
 * (Acknowledged: the team's first Started state; Resolved: its first Completed state) and the
 * names the rule keeps. Provider failures (unreachable, rate-limited, connection unusable) are
 * thrown as the providers' typed errors; the routes map them.
 */

/** A rule as the form sends it, ids only; the two states may be left to their defaults. */
export interface RuleDraft {
  filters: RuleFilters;
  routing: RuleRouting;
  sync: Omit<RuleSync, 'acknowledgedStateId' | 'resolvedStateId'> & { acknowledgedStateId?: string | undefined; resolvedStateId?: string | undefined };
}

/** The draft with its defaults filled in and the names of everything it refers to. */
export interface CheckedReferences {
  filters: RuleFilters;
  routing: RuleRouting;
  sync: RuleSync;
  names: RuleNames;
}

/** One reference that does not hold, by the input's field path (`filters.labelIds.1`). */
export interface ReferenceProblem {
  path: string;
  message: string;
}

export type CheckReferencesResult = Result<CheckedReferences, 'invalid_rule', ReferenceProblem[]>;

export type { RuleFilters, RuleNames, RuleRouting, RuleSync };

/**
 * Checks a draft against the organisation's connections, reading each catalog once (the team's
 * states, projects and labels; the service; the priorities only when the draft names one).
 */
export function checkReferences(deps: ReferenceDeps, organisationId: string, draft: RuleDraft): Promise<CheckReferencesResult> {
  return checkReferencesWith(liveReferenceSource(deps, organisationId), draft);
}

/** The same against a given source: an import checks every rule of a file against one. */
export async function checkReferencesWith(source: ReferenceSource, draft: RuleDraft): Promise<CheckReferencesResult> {
  const tracker = providers.get(source.tracker.provider);
  const pager = providers.get(source.pager.provider);
  const problems: ReferenceProblem[] = [];
  const { teamId } = draft.filters;

  const [webhookTeams, choices, service, priorities] = await Promise.all([
    source.hubWebhookTeamIds(),
    source.team(teamId),
    source.service(draft.routing.serviceId),
    draft.routing.pagerdutyPriorityId === null ? Promise.resolve(null) : source.priorities(),
  ]);

  if (choices === null) {
    problems.push({ path: 'filters.teamId', message: `The connected ${tracker.displayName} ${tracker.accountNoun} has no team ${teamId}.` });
  } else if (!webhookTeams.has(teamId)) {
    problems.push({
      path: 'filters.teamId',
      message: `Team ${choices.team.name} has no hub webhook: create one on the Webhooks tab first.`,
    });
  }

  const states = choices === null ? undefined : pickStates(choices, draft.sync, problems);
  const projects = choices === null ? {} : namesOf(choices.projects, draft.filters.projectIds, 'filters.projectIds', `a project of team ${choices.team.name}`, problems);
  const labels =
    choices === null ? {} : namesOf(choices.labels, draft.filters.labelIds, 'filters.labelIds', `a label of team ${choices.team.name} or of the ${tracker.accountNoun}`, problems);

  if (service === null) {
    problems.push({ path: 'routing.serviceId', message: `The connected ${pager.displayName} ${pager.accountNoun} has no service ${draft.routing.serviceId}.` });
  }

  let priorityName: string | null = null;
  const priorityId = draft.routing.pagerdutyPriorityId;
  if (priorityId !== null) {
    if (priorities === null) {
      problems.push({ path: 'routing.pagerdutyPriorityId', message: `The connected ${pager.displayName} ${pager.accountNoun} has no priorities: leave the priority empty.` });
    } else {
      priorityName = priorities.find((priority) => priority.id === priorityId)?.name ?? null;
      if (priorityName === null) {
        problems.push({ path: 'routing.pagerdutyPriorityId', message: `The connected ${pager.displayName} ${pager.accountNoun} has no priority ${priorityId}.` });
      }
    }
  }

  if (problems.length > 0 || choices === null || states === undefined || service === null) {
    return fail('invalid_rule', describe(problems), problems);
  }
  return ok({
    filters: draft.filters,
    routing: draft.routing,
    sync: { ...draft.sync, acknowledgedStateId: states.acknowledged.id, resolvedStateId: states.resolved.id },
    names: {
      team: choices.team.name,
      teamKey: choices.team.key,
      service: service.name,
      pagerdutyPriority: priorityName,
      acknowledgedState: states.acknowledged.name,
      resolvedState: states.resolved.name,
      projects,
      labels,
    },
  });
}

/** The first state of a type by position (the form's default). */
export function firstStateOfType(choices: Pick<TeamChoices, 'states'>, type: string): TeamChoices['states'][number] | undefined {
  return choices.states.filter((state) => state.type === type).sort((a, b) => a.position - b.position)[0];
}

type State = TeamChoices['states'][number];

/** The two sync states: as given (of the team) or the team's defaults. */
function pickStates(
  choices: TeamChoices,
  sync: RuleDraft['sync'],
  problems: ReferenceProblem[],
): { acknowledged: State; resolved: State } | undefined {
  const pick = (given: string | undefined, path: string, defaultType: string, word: string): State | undefined => {
    if (given !== undefined) {
      const state = choices.states.find((candidate) => candidate.id === given);
      if (state === undefined) problems.push({ path, message: `${given} is not a workflow state of team ${choices.team.name}.` });
      return state;
    }
    const state = firstStateOfType(choices, defaultType);
    if (state === undefined) problems.push({ path, message: `Team ${choices.team.name} has no ${word} state to default to: choose one.` });
    return state;
  };
  const acknowledged = pick(sync.acknowledgedStateId, 'sync.acknowledgedStateId', 'started', 'Started');
  const resolved = pick(sync.resolvedStateId, 'sync.resolvedStateId', 'completed', 'Completed');
  return acknowledged === undefined || resolved === undefined ? undefined : { acknowledged, resolved };
}

/** Names by id of the chosen ones; each id not among `known` is a problem at `path.N`. */
function namesOf(
  known: ReadonlyArray<{ id: string; name: string }>,
  ids: readonly string[],
  path: string,
  what: string,
  problems: ReferenceProblem[],
): Record<string, string> {
  const byId = new Map(known.map((item) => [item.id, item.name]));
  const names: Record<string, string> = {};
  ids.forEach((id, index) => {
    const name = byId.get(id);
    if (name === undefined) problems.push({ path: `${path}.${index}`, message: `${id} is not ${what}.` });
    else names[id] = name;
  });
  return names;
}

function describe(problems: readonly ReferenceProblem[]): string {
  const first = problems[0]?.message ?? 'A reference does not hold.';
  return problems.length === 1 ? first : `${first} (and ${problems.length - 1} more)`;
}

import { fail, ok, type Result } from '../core/result.js';
import type { TrackerNamed } from '../providers/roles.js';
import { liveReferenceSource, type ReferenceDeps, type TeamChoices } from './reference-source.js';
import { STATUS_TYPES } from './rule.js';

/**
 * What the rule form offers (issue 10 item 2), read live through the roles, every page: one
 * team's workflow states, projects and labels; the account's services and priorities.
 * Provider failures and an unusable connection are thrown (the routes map them).
 */

/** States grouped by type in the form's order (unknown types, e.g. duplicate, last), then by position. */
export function statesForForm(states: TeamChoices['states']): TeamChoices['states'] {
  const rank = (type: string) => {
    const index = (STATUS_TYPES as readonly string[]).indexOf(type);
    return index === -1 ? STATUS_TYPES.length : index;
  };
  return [...states].sort((a, b) => rank(a.type) - rank(b.type) || a.position - b.position);
}

export async function teamCatalog(deps: ReferenceDeps, organisationId: string, teamId: string): Promise<Result<TeamChoices, 'team_not_found'>> {
  const source = liveReferenceSource(deps, organisationId);
  const choices = await source.team(teamId);
  if (choices === null) return fail('team_not_found', `The connected workspace has no team ${teamId}.`);
  return ok({ ...choices, states: statesForForm(choices.states) });
}

export interface PagerCatalog {
  /** Every service, by name. */
  services: TrackerNamed[];
  /** null: the account has no priorities. */
  priorities: TrackerNamed[] | null;
}

export async function pagerCatalog(deps: ReferenceDeps, organisationId: string): Promise<PagerCatalog> {
  const source = liveReferenceSource(deps, organisationId);
  const [services, priorities] = await Promise.all([source.services(), source.priorities()]);
  return { services: [...services].sort((a, b) => a.name.localeCompare(b.name)), priorities };
}

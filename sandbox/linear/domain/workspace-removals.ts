import type { IssueLabel, Project, Team, WorkflowState } from '../state.js';
import type { Actor } from './actor.js';
import { entityNotFound, invalidInput } from './errors.js';
import type { DomainDeps } from './events.js';

/**
 * Removing workspace things a hub rule may point at (issue 10): labels, workflow states,
 * projects, teams. Each sets `archivedAt` (lists then hide the record unless
 * `includeArchived: true`, graphql/pagination.ts) and bumps `lastSyncId`. An unknown id, another
 * workspace's id or an already removed record is "Entity not found: <Type>" (API-NOTES §2.5).
 *
 * What Linear does beyond that is not modelled: issues keep the label or project they carried,
 * a deleted team's issues, states, labels and webhooks stay as they were, and no `IssueLabel` or
 * `Project` webhooks are sent (the stand-in sends only Issue and Comment events).
 */

/** `issueLabelDelete(id:)` — "Deletes an issue label" (schema). */
export function deleteLabel(deps: DomainDeps, actor: Actor, id: string): IssueLabel {
  const label = deps.state.labels.get(id);
  if (label?.organizationId !== actor.user.organizationId || label.archivedAt) throw entityNotFound('IssueLabel');
  return archive(deps, label);
}

/**
 * `workflowStateArchive(id:)` — "Only states with issues that have all been archived can be
 * archived" (schema): a state that still holds an unarchived issue is refused as invalid input.
 */
export function archiveWorkflowState(deps: DomainDeps, actor: Actor, id: string): WorkflowState {
  const st = deps.state.states.get(id);
  const team = st ? deps.state.teams.get(st.teamId) : undefined;
  if (!st || team?.organizationId !== actor.user.organizationId || st.archivedAt) throw entityNotFound('WorkflowState');
  const holding = [...deps.state.issues.values()].filter((i) => i.stateId === st.id && !i.archivedAt).length;
  if (holding > 0) throw invalidInput(`state ${st.name} still has ${holding} unarchived issue${holding === 1 ? '' : 's'}; only states whose issues have all been archived can be archived`);
  return archive(deps, st);
}

/** `projectDelete(id:)` — "Deletes (trashes) a project" (schema): `archivedAt` set, `trashed` true. */
export function deleteProject(deps: DomainDeps, actor: Actor, id: string): Project {
  const project = deps.state.projects.get(id);
  if (project?.organizationId !== actor.user.organizationId || project.archivedAt) throw entityNotFound('Project');
  project.trashed = true;
  return archive(deps, project);
}

/** `teamDelete(id:)` (UUID or key) — "Archives a team and schedules its data for deletion" (schema). */
export function deleteTeam(deps: DomainDeps, actor: Actor, ref: string): Team {
  const team = deps.state.teamByRef(actor.user.organizationId, ref);
  if (!team || team.archivedAt) throw entityNotFound('Team');
  return archive(deps, team);
}

function archive<T extends { archivedAt: number | null; updatedAt: number }>(deps: DomainDeps, row: T): T {
  const now = deps.clock.now();
  row.archivedAt = now;
  row.updatedAt = now;
  deps.state.nextSyncId();
  return row;
}

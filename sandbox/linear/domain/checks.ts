import type { Team, WorkflowState } from '../state.js';
import { entityNotFound, invalidInput } from './errors.js';
import type { DomainDeps } from './events.js';

/** Input checks shared by issue operations; each throws a LinearApiError (INPUT_ERROR). Archived (deleted) states, labels and projects count as not found. */

/** stateId must be a state of the issue's team (API-NOTES §5.8). */
export function stateOf(deps: DomainDeps, team: Team, stateId: string): WorkflowState {
  const st = deps.state.states.get(stateId);
  if (!st || st.archivedAt) throw entityNotFound('WorkflowState');
  if (st.teamId !== team.id) throw invalidInput(`state ${stateId} does not belong to team ${team.key}`);
  return st;
}

export function checkPriority(priority: number): number {
  if (!Number.isInteger(priority) || priority < 0 || priority > 4) throw invalidInput('priority must be an integer from 0 to 4');
  return priority;
}

/** Labels must be workspace labels or labels of the issue's team, and not label groups. */
export function checkLabels(deps: DomainDeps, team: Team, ids: string[]): string[] {
  for (const id of ids) {
    const label = deps.state.labels.get(id);
    if (label?.organizationId !== team.organizationId || label.archivedAt) throw entityNotFound('IssueLabel');
    if (label.teamId !== null && label.teamId !== team.id) throw invalidInput(`label ${label.name} belongs to another team`);
    if (label.isGroup) throw invalidInput(`label ${label.name} is a label group`);
  }
  return [...new Set(ids)];
}

export function checkProject(deps: DomainDeps, orgId: string, id: string): string {
  const project = deps.state.projects.get(id);
  if (project?.organizationId !== orgId || project.archivedAt) throw entityNotFound('Project');
  return project.id;
}

export function checkUser(deps: DomainDeps, orgId: string, id: string): string {
  const user = deps.state.users.get(id);
  if (user?.organizationId !== orgId) throw entityNotFound('User');
  return user.id;
}

export function checkParent(deps: DomainDeps, orgId: string, ref: string): string {
  const parent = deps.state.issueByRef(orgId, ref);
  if (!parent) throw entityNotFound('Issue');
  return parent.id;
}

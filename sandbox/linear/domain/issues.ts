import { randomUUID } from 'node:crypto';
import type { Issue, Team, WorkflowState } from '../state.js';
import { issueData, updatedFrom } from '../webhook-payloads.js';
import { actorPayload, type Actor } from './actor.js';
import { checkLabels, checkParent, checkPriority, checkProject, checkUser, stateOf } from './checks.js';
import { entityNotFound, invalidInput } from './errors.js';
import type { DomainDeps } from './events.js';

/** Fields of IssueCreateInput the stand-in understands (graphql/schema/root.ts). */
export interface IssueCreate {
  id?: string | null;
  teamId: string;
  title?: string | null;
  description?: string | null;
  priority?: number | null;
  stateId?: string | null;
  labelIds?: string[] | null;
  projectId?: string | null;
  assigneeId?: string | null;
  parentId?: string | null;
}

/** Fields of IssueUpdateInput the stand-in understands; absent = unchanged, null = clear. */
export interface IssueUpdate {
  title?: string | null;
  description?: string | null;
  priority?: number | null;
  stateId?: string | null;
  labelIds?: string[] | null;
  addedLabelIds?: string[] | null;
  removedLabelIds?: string[] | null;
  projectId?: string | null;
  assigneeId?: string | null;
  parentId?: string | null;
  /** Moves the issue to another team (UUID or key): see moveTarget. */
  teamId?: string | null;
}

/**
 * Creates an issue as `actor`. Without stateId it lands in Triage when the team has triage on,
 * else in the first Backlog state (API-NOTES §2.1). Emits an Issue `create` event.
 */
export function createIssue(deps: DomainDeps, actor: Actor, input: IssueCreate): Issue {
  const { state, clock } = deps;
  const orgId = actor.user.organizationId;
  const team = state.teamByRef(orgId, input.teamId);
  if (!team || team.archivedAt) throw entityNotFound('Team');
  const title = (input.title ?? '').trim();
  if (title === '') throw invalidInput('title must not be empty');
  if (input.id && (state.issues.has(input.id) || !/^[0-9a-f-]{36}$/i.test(input.id))) throw invalidInput('id must be a new UUID');
  const now = clock.now();
  team.issueCounter += 1;
  const issue: Issue = {
    id: input.id ?? randomUUID(),
    organizationId: orgId,
    teamId: team.id,
    number: team.issueCounter,
    title,
    description: input.description ?? null,
    priority: checkPriority(input.priority ?? 0),
    stateId: (input.stateId ? stateOf(deps, team, input.stateId) : defaultState(deps, team)).id,
    labelIds: checkLabels(deps, team, input.labelIds ?? []),
    projectId: input.projectId ? checkProject(deps, orgId, input.projectId) : null,
    assigneeId: input.assigneeId ? checkUser(deps, orgId, input.assigneeId) : null,
    creatorId: actor.user.id,
    parentId: input.parentId ? checkParent(deps, orgId, input.parentId) : null,
    sortOrder: -team.issueCounter,
    archivedAt: null,
    trashed: false,
    startedAt: null,
    completedAt: null,
    canceledAt: null,
    startedTriageAt: null,
    triagedAt: null,
    previousIdentifiers: [],
    createdAt: now,
    updatedAt: now,
    seq: state.nextSeq(),
  };
  applyStateTimestamps(issue, undefined, state.states.get(issue.stateId)!, now);
  state.issues.set(issue.id, issue);
  state.nextSyncId();
  deps.emit(event(deps, actor, issue, 'create'));
  return issue;
}

/**
 * Updates an issue (UUID or identifier) as `actor`; emits `update` with updatedFrom if anything
 * changed. With `teamId` of another team the issue moves there (see moveTarget); the event then
 * also reaches the old team's webhooks, so a receiver watching only that team sees it leave.
 */
export function updateIssue(deps: DomainDeps, actor: Actor, ref: string, patch: IssueUpdate): Issue {
  const { state, clock, urls } = deps;
  const orgId = actor.user.organizationId;
  const issue = state.issueByRef(orgId, ref);
  if (!issue || issue.trashed) throw entityNotFound('Issue');
  const oldTeam = state.teams.get(issue.teamId)!;
  const moveTo = patch.teamId ? moveTarget(deps, orgId, oldTeam, patch.teamId) : undefined;
  const team = moveTo ?? oldTeam;
  const before = issueData(state, urls, issue);
  const oldState = state.states.get(issue.stateId)!;
  const next: Partial<Issue> = {};
  if (patch.title !== undefined) {
    if (!patch.title?.trim()) throw invalidInput('title must not be empty');
    next.title = patch.title.trim();
  }
  if (patch.description !== undefined) next.description = patch.description;
  if (patch.priority !== undefined) next.priority = checkPriority(patch.priority ?? 0);
  if (patch.stateId) next.stateId = stateOf(deps, team, patch.stateId).id;
  else if (moveTo) next.stateId = sameTypeState(deps, moveTo, oldState).id;
  if (patch.labelIds !== undefined || patch.addedLabelIds || patch.removedLabelIds || moveTo) {
    // On a move, labels of the old team are dropped (the new team cannot carry them); workspace labels stay.
    const kept = moveTo ? issue.labelIds.filter((id) => state.labels.get(id)?.teamId == null) : issue.labelIds;
    const base = patch.labelIds !== undefined ? (patch.labelIds ?? []) : kept;
    const removed = new Set(patch.removedLabelIds ?? []);
    const merged = [...new Set([...base, ...(patch.addedLabelIds ?? [])])].filter((id) => !removed.has(id));
    next.labelIds = checkLabels(deps, team, merged);
  }
  if (patch.projectId !== undefined) next.projectId = patch.projectId ? checkProject(deps, orgId, patch.projectId) : null;
  if (patch.assigneeId !== undefined) next.assigneeId = patch.assigneeId ? checkUser(deps, orgId, patch.assigneeId) : null;
  if (patch.parentId !== undefined) next.parentId = patch.parentId ? checkParent(deps, orgId, patch.parentId) : null;

  const now = clock.now();
  if (moveTo) {
    // A new number in the new team; the old identifier keeps resolving (state.issueByRef).
    issue.previousIdentifiers = [...issue.previousIdentifiers, state.identifier(issue)];
    moveTo.issueCounter += 1;
    Object.assign(next, { teamId: moveTo.id, number: moveTo.issueCounter });
  }
  Object.assign(issue, next);
  if (next.stateId && next.stateId !== oldState.id) applyStateTimestamps(issue, oldState, state.states.get(next.stateId)!, now);
  const changed = updatedFrom(before, issueData(state, urls, issue));
  if (Object.keys(changed).length === 0) return issue;
  issue.updatedAt = now;
  state.nextSyncId();
  const moved = moveTo ? { previousTeamId: oldTeam.id } : {};
  deps.emit({ ...event(deps, actor, issue, 'update'), ...moved, updatedFrom: { ...changed, updatedAt: before.updatedAt } });
  return issue;
}

/** The team an issue moves to; moving to its own team is no move. */
function moveTarget(deps: DomainDeps, orgId: string, current: Team, ref: string): Team | undefined {
  const team = deps.state.teamByRef(orgId, ref);
  if (!team || team.archivedAt) throw entityNotFound('Team');
  return team.id === current.id ? undefined : team;
}

/**
 * The state a moved issue takes when the update names none: the new team's first state (by
 * position) of the same type, else the team's default state. Linear's UI maps states this way;
 * the API's mapping is not documented.
 */
function sameTypeState(deps: DomainDeps, team: Team, from: WorkflowState): WorkflowState {
  return deps.state.statesOf(team.id).find((s) => !s.archivedAt && s.type === from.type) ?? defaultState(deps, team);
}

/** Moves an issue to the trash (archivedAt set, hidden from lists) and emits `remove`. */
export function deleteIssue(deps: DomainDeps, actor: Actor, ref: string): Issue {
  const issue = deps.state.issueByRef(actor.user.organizationId, ref);
  if (!issue || issue.trashed) throw entityNotFound('Issue');
  const now = deps.clock.now();
  Object.assign(issue, { trashed: true, archivedAt: now, updatedAt: now });
  deps.state.nextSyncId();
  deps.emit(event(deps, actor, issue, 'remove'));
  return issue;
}

function event(deps: DomainDeps, actor: Actor, issue: Issue, action: 'create' | 'update' | 'remove') {
  const { state, urls, clock } = deps;
  return {
    action,
    type: 'Issue' as const,
    organizationId: issue.organizationId,
    teamId: issue.teamId,
    data: issueData(state, urls, issue),
    url: urls.issue(issue),
    actor: actorPayload(actor, urls.user(actor.user), deps.settings().appActorShape),
    createdAt: clock.now(),
  };
}

/** Started/completed/canceled/triage timestamps follow the state's type, as in Linear. */
function applyStateTimestamps(issue: Issue, from: WorkflowState | undefined, to: WorkflowState, now: number): void {
  if (to.type === 'triage') issue.startedTriageAt = now;
  if (from?.type === 'triage') issue.triagedAt = now;
  if (to.type === 'started' && issue.startedAt === null) issue.startedAt = now;
  issue.completedAt = to.type === 'completed' ? now : null;
  issue.canceledAt = to.type === 'canceled' || to.type === 'duplicate' ? now : null;
}

function defaultState(deps: DomainDeps, team: Team): WorkflowState {
  const states = deps.state.statesOf(team.id).filter((s) => !s.archivedAt);
  const pick = (type: string) => states.find((s) => s.type === type);
  return (team.triageEnabled ? pick('triage') : undefined) ?? pick('backlog') ?? pick('unstarted') ?? states[0]!;
}

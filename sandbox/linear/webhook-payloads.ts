import type { Comment, Issue, LinearState, User } from './state.js';
import type { LinearUrls } from './urls.js';

/**
 * `data` of Issue and Comment webhooks: field names and shapes of IssueWebhookPayload and
 * CommentWebhookPayload in Linear's schema (API-NOTES §3.4). Times are ISO 8601 strings.
 * The conformance suite checks every key against the published types.
 */
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const PRIORITY_LABELS = ['No priority', 'Urgent', 'High', 'Medium', 'Low'] as const;

export function priorityLabel(priority: number): string {
  return PRIORITY_LABELS[priority] ?? 'No priority';
}

function userChild(user: User | undefined, urls: LinearUrls) {
  return user ? { id: user.id, name: user.name, email: user.email, url: urls.user(user), avatarUrl: null } : null;
}

export function issueData(state: LinearState, urls: LinearUrls, issue: Issue): Record<string, unknown> {
  const team = state.teams.get(issue.teamId)!;
  const st = state.states.get(issue.stateId)!;
  const project = issue.projectId ? state.projects.get(issue.projectId) : undefined;
  return {
    id: issue.id,
    identifier: state.identifier(issue),
    number: issue.number,
    title: issue.title,
    description: issue.description,
    priority: issue.priority,
    priorityLabel: priorityLabel(issue.priority),
    prioritySortOrder: issue.sortOrder,
    sortOrder: issue.sortOrder,
    stateId: st.id,
    state: { id: st.id, name: st.name, type: st.type, color: st.color },
    teamId: team.id,
    team: { id: team.id, key: team.key, name: team.name },
    labelIds: [...issue.labelIds],
    labels: issue.labelIds.flatMap((id) => {
      const l = state.labels.get(id);
      return l ? [{ id: l.id, name: l.name, color: l.color, parentId: l.parentId }] : [];
    }),
    projectId: issue.projectId,
    project: project ? { id: project.id, name: project.name, url: urls.project(project) } : null,
    assigneeId: issue.assigneeId,
    assignee: userChild(issue.assigneeId ? state.users.get(issue.assigneeId) : undefined, urls),
    creatorId: issue.creatorId,
    parentId: issue.parentId,
    subscriberIds: [...new Set([issue.creatorId, issue.assigneeId].filter((x): x is string => x !== null))],
    previousIdentifiers: [...issue.previousIdentifiers],
    createdAt: iso(issue.createdAt),
    updatedAt: iso(issue.updatedAt),
    archivedAt: iso(issue.archivedAt),
    startedAt: iso(issue.startedAt),
    completedAt: iso(issue.completedAt),
    canceledAt: iso(issue.canceledAt),
    startedTriageAt: iso(issue.startedTriageAt),
    triagedAt: iso(issue.triagedAt),
    trashed: issue.trashed,
    url: urls.issue(issue),
  };
}

export function commentData(state: LinearState, urls: LinearUrls, comment: Comment): Record<string, unknown> {
  const issue = state.issues.get(comment.issueId)!;
  const team = state.teams.get(issue.teamId)!;
  return {
    id: comment.id,
    body: comment.body,
    issueId: issue.id,
    issue: { id: issue.id, identifier: state.identifier(issue), title: issue.title, url: urls.issue(issue), teamId: team.id, team: { id: team.id, key: team.key, name: team.name } },
    userId: comment.userId,
    user: userChild(comment.userId ? state.users.get(comment.userId) : undefined, urls),
    parentId: comment.parentId,
    createdAt: iso(comment.createdAt),
    updatedAt: iso(comment.updatedAt),
    editedAt: iso(comment.editedAt),
    archivedAt: iso(comment.archivedAt),
  };
}

/**
 * `updatedFrom` (API-NOTES §3.4): the previous value of every top-level scalar or id-list field
 * that changed; nested objects (state, team, labels, …) and derived fields are left out.
 */
export function updatedFrom(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, old] of Object.entries(before)) {
    if (DERIVED.has(key) || isStructured(old) || isStructured(after[key])) continue;
    if (JSON.stringify(old) !== JSON.stringify(after[key])) out[key] = old;
  }
  return out;
}

/** Computed from other fields: not reported separately in updatedFrom. */
const DERIVED = new Set(['url', 'identifier', 'priorityLabel', 'previousIdentifiers']);

function isStructured(value: unknown): boolean {
  if (Array.isArray(value)) return value.some((v) => typeof v === 'object' && v !== null);
  return typeof value === 'object' && value !== null;
}

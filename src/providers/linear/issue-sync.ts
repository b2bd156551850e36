import { ProviderRequestError } from '../errors.js';
import type { IssueSync, NewTrackerComment, SweptIssue, TrackedIssue, TrackerComment, TrackerIssue } from '../roles.js';
import { LinearEntityNotFoundError, linearGraphQL, type LinearRequest } from './api.js';
import { trackerIssueOf, type IssueFactsNode } from './issue-node.js';

/**
 * Linear's side of two-way sync (roles.ts `IssueSync`). An id Linear does not know answers
 * `INPUT_ERROR "Entity not found: <Type>"` (API-NOTES §2.5), which becomes null. Inputs travel
 * as one `$input` variable so the exact object sent can be checked against Linear's published
 * input types (test/providers/linear-issue-sync.test.ts validates the documents and the
 * variables of every call against the schema).
 */
/** The most issues one batch read asks for (complexity stays far below Linear's 10,000 per query). */
export const SWEEP_ISSUES_PER_READ = 50;
/** New comments read per issue in a batch read; more than this since the last sweep is read at the next. */
const SWEEP_COMMENTS_PER_ISSUE = 50;
const UPDATED_ISSUES_PAGE = 100;

export const ISSUE_SYNC_DOCUMENTS = {
  issue: `query HubSyncIssue($id: String!) {
  issue(id: $id) {
    id identifier title description url priority updatedAt archivedAt trashed labelIds
    state { id name type } project { id } team { id key name }
  }
}`,
  moveIssue: `mutation HubMoveIssue($id: String!, $input: IssueUpdateInput!) {
  issueUpdate(id: $id, input: $input) { success }
}`,
  createComment: `mutation HubCreateComment($input: CommentCreateInput!) {
  commentCreate(input: $input) { success comment { id } }
}`,
  comment: `query HubSyncComment($id: String!) {
  comment(id: $id) { id body url createdAt archivedAt issue { id } user { id name } }
}`,
  // An upsert: "Creates a new attachment, or updates existing if the same `url` and `issueId` is
  // used" (schema, Mutation.attachmentCreate).
  attachLink: `mutation HubAttachLink($input: AttachmentCreateInput!) {
  attachmentCreate(input: $input) { success attachment { id } }
}`,
  // The reconciliation's batch read: open links' issues by id (deleted ones too), each with the
  // comments made since the last sweep (ids and times only: the live flow reads the rest).
  issuesByIds: `query HubSweepIssues($ids: [ID!]!, $first: Int!, $commentsSince: DateTimeOrDuration!) {
  issues(filter: { id: { in: $ids } }, first: $first, includeArchived: true) {
    nodes {
      id identifier title description url priority updatedAt archivedAt trashed labelIds
      state { id name type } project { id } team { id key name }
      comments(first: ${SWEEP_COMMENTS_PER_ISSUE}, filter: { createdAt: { gt: $commentsSince } }) { nodes { id createdAt } }
    }
  }
}`,
  // Issues of a team updated since a time, for the reconciliation's missed creates.
  updatedIssues: `query HubSweepUpdatedIssues($teamId: ID!, $since: DateTimeOrDuration!, $first: Int!, $after: String) {
  issues(filter: { team: { id: { eq: $teamId } }, updatedAt: { gt: $since } }, first: $first, after: $after, orderBy: updatedAt) {
    nodes { id identifier title url priority updatedAt labelIds state { id name type } project { id } team { id } }
    pageInfo { hasNextPage endCursor }
  }
}`,
} as const;

interface IssueNode extends IssueFactsNode {
  description: string | null;
  archivedAt: string | null;
  trashed: boolean | null;
  team: { id: string; key: string; name: string };
}

interface CommentNode {
  id: string;
  body: string;
  url: string;
  createdAt: string;
  archivedAt: string | null;
  issue: { id: string } | null;
  user: { id: string; name: string } | null;
}

/** null when Linear does not know the entity (any type: the issue of a comment may be gone too). */
async function nullWhenMissing<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof LinearEntityNotFoundError) return null;
    throw error;
  }
}

/** Refuses a payload whose `success` is false (Linear's mutations answer `{success, …}`). */
function succeeded(what: string, payload: { success: boolean }): void {
  if (!payload.success) throw new ProviderRequestError('linear', `Linear answered ${what} with success: false.`, 200);
}

export async function getIssue(request: LinearRequest, issueId: string): Promise<TrackedIssue | null> {
  const data = await nullWhenMissing(linearGraphQL<{ issue: IssueNode }>(request, ISSUE_SYNC_DOCUMENTS.issue, { id: issueId }));
  return data === null ? null : toTrackedIssue(data.issue);
}

function toTrackedIssue(issue: IssueNode): TrackedIssue {
  const facts = trackerIssueOf(issue);
  // An issue in the trash is deleted for sync; Linear sets archivedAt on trashing (schema: `trashed`).
  const archivedAt = issue.archivedAt !== null ? Date.parse(issue.archivedAt) : issue.trashed === true ? facts.updatedAt : null;
  return {
    ...facts,
    description: issue.description === null || issue.description.trim() === '' ? null : issue.description,
    team: { id: issue.team.id, key: issue.team.key, name: issue.team.name },
    archivedAt,
  };
}

export async function moveIssue(request: LinearRequest, issueId: string, stateId: string): Promise<void> {
  const data = await linearGraphQL<{ issueUpdate: { success: boolean } }>(request, ISSUE_SYNC_DOCUMENTS.moveIssue, { id: issueId, input: { stateId } });
  succeeded('issueUpdate', data.issueUpdate);
}

/** The comment, deleted ones included where Linear still answers them (with archivedAt). */
async function readComment(request: LinearRequest, commentId: string): Promise<CommentNode | null> {
  const data = await nullWhenMissing(linearGraphQL<{ comment: CommentNode }>(request, ISSUE_SYNC_DOCUMENTS.comment, { id: commentId }));
  return data?.comment ?? null;
}

/** Deleted comments and comments on something other than an issue read as null. */
export async function getComment(request: LinearRequest, commentId: string): Promise<TrackerComment | null> {
  const comment = await readComment(request, commentId);
  if (comment === null) return null;
  if (comment.archivedAt !== null || comment.issue === null) return null;
  return {
    id: comment.id,
    issueId: comment.issue.id,
    body: comment.body,
    author: comment.user === null ? null : { id: comment.user.id, name: comment.user.name },
    url: comment.url,
    createdAt: Date.parse(comment.createdAt),
  };
}

/**
 * Linear's refusal of an id in use. Linear documents the `id` input but not this answer (the
 * stand-in says "Argument Validation Error: a comment with id … already exists"); the words
 * below are the ones such a refusal carries, and a deleted comment cannot be read back to check.
 */
const ID_IN_USE = /already exists|duplicate|unique constraint/i;

/**
 * `commentCreate` with the hub's id. A refusal other than "Entity not found" (the issue is gone)
 * means `exists` when it says the id is in use, or when a comment with this id reads back (an
 * earlier try made it); otherwise it is thrown. A vendor that answered a reused id with the
 * existing comment instead reads as `created` (nothing is made twice either way).
 */
export async function createComment(request: LinearRequest, comment: NewTrackerComment): Promise<'created' | 'exists'> {
  const input = {
    id: comment.id,
    issueId: comment.issueId,
    body: comment.body,
    ...(comment.createAsUser !== undefined ? { createAsUser: comment.createAsUser } : {}),
    ...(comment.displayIconUrl !== undefined ? { displayIconUrl: comment.displayIconUrl } : {}),
    ...(comment.createdAt !== undefined ? { createdAt: new Date(comment.createdAt).toISOString() } : {}),
  };
  try {
    const data = await linearGraphQL<{ commentCreate: { success: boolean } }>(request, ISSUE_SYNC_DOCUMENTS.createComment, { input });
    succeeded('commentCreate', data.commentCreate);
    return 'created';
  } catch (error) {
    if (!(error instanceof ProviderRequestError) || error instanceof LinearEntityNotFoundError) throw error;
    if (ID_IN_USE.test(error.message) || (await readComment(request, comment.id)) !== null) return 'exists';
    throw error;
  }
}

export async function attachLink(request: LinearRequest, link: { issueId: string; url: string; title: string; subtitle?: string }): Promise<void> {
  const input = { issueId: link.issueId, url: link.url, title: link.title, ...(link.subtitle !== undefined ? { subtitle: link.subtitle } : {}) };
  const data = await linearGraphQL<{ attachmentCreate: { success: boolean } }>(request, ISSUE_SYNC_DOCUMENTS.attachLink, { input });
  succeeded('attachmentCreate', data.attachmentCreate);
}

interface UpdatedIssuesPage {
  issues: { nodes: IssueFactsNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

interface SweptIssueNode extends IssueNode {
  comments: { nodes: Array<{ id: string; createdAt: string }> };
}

/** Up to {@link SWEEP_ISSUES_PER_READ} issues by id in one call; an id Linear does not know is absent. */
export async function issuesByIds(request: LinearRequest, ids: readonly string[], commentsSince: number): Promise<SweptIssue[]> {
  if (ids.length === 0) return [];
  if (ids.length > SWEEP_ISSUES_PER_READ) throw new RangeError(`issuesByIds reads at most ${SWEEP_ISSUES_PER_READ} issues at a time`);
  const data = await linearGraphQL<{ issues: { nodes: SweptIssueNode[] } }>(request, ISSUE_SYNC_DOCUMENTS.issuesByIds, {
    ids: [...ids],
    first: ids.length,
    commentsSince: new Date(commentsSince).toISOString(),
  });
  return data.issues.nodes.map((node) => ({
    ...toTrackedIssue(node),
    comments: node.comments.nodes.map((comment) => ({ id: comment.id, createdAt: Date.parse(comment.createdAt) })),
  }));
}

/** The team's issues updated after `since`, page by page, at most `max`. */
export async function updatedIssues(request: LinearRequest, teamId: string, since: number, max: number): Promise<TrackerIssue[]> {
  const found: TrackerIssue[] = [];
  let after: string | null = null;
  while (found.length < max) {
    const first = Math.min(UPDATED_ISSUES_PAGE, max - found.length);
    const page: UpdatedIssuesPage = await linearGraphQL<UpdatedIssuesPage>(request, ISSUE_SYNC_DOCUMENTS.updatedIssues, { teamId, since: new Date(since).toISOString(), first, after });
    found.push(...page.issues.nodes.map(trackerIssueOf));
    if (!page.issues.pageInfo.hasNextPage || page.issues.pageInfo.endCursor === null || page.issues.nodes.length === 0) break;
    after = page.issues.pageInfo.endCursor;
  }
  return found;
}

export const linearIssueSync: IssueSync = {
  issuesByIds,
  updatedIssues,
  issue: getIssue,
  moveIssue,
  createComment,
  comment: getComment,
  attachLink,
};

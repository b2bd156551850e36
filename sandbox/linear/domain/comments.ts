import { randomUUID } from 'node:crypto';
import type { Comment } from '../state.js';
import { commentData } from '../webhook-payloads.js';
import { actorPayload, type Actor } from './actor.js';
import { entityNotFound, invalidInput } from './errors.js';
import type { ChangeEvent, DomainDeps } from './events.js';

/** Fields of CommentCreateInput the stand-in understands (graphql/schema/root.ts). */
export interface CommentCreate {
  /** A client-chosen UUID; a reused one is answered per the `duplicateCommentId` setting. */
  id?: string | null;
  /** UUID or identifier ("ENG-12"), as Linear accepts (API-NOTES §2.1). */
  issueId?: string | null;
  body?: string | null;
  /** A reply: the parent must be a comment on the same issue. */
  parentId?: string | null;
  /** "Only available to OAuth applications creating comments in actor=app mode" (schema): ignored otherwise. */
  createAsUser?: string | null;
  displayIconUrl?: string | null;
  /** Backdating ("e.g. if importing from another system. Must be a time in the past", schema). ISO 8601. */
  createdAt?: string | null;
}

export interface CommentUpdate {
  body?: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Posts a comment as `actor` and emits a Comment `create` event. */
export function createComment(deps: DomainDeps, actor: Actor, input: CommentCreate): Comment {
  const { state, clock } = deps;
  const orgId = actor.user.organizationId;
  if (!input.issueId) throw invalidInput('issueId is required');
  const issue = state.issueByRef(orgId, input.issueId);
  if (!issue || issue.trashed) throw entityNotFound('Issue');
  const body = input.body ?? '';
  if (body.trim() === '') throw invalidInput('body must not be empty');
  if (input.id) {
    if (!UUID.test(input.id)) throw invalidInput('id must be a UUID');
    const existing = state.comments.get(input.id.toLowerCase());
    if (existing) {
      if (deps.settings().duplicateCommentId === 'returnExisting' && existing.issueId === issue.id && !existing.archivedAt) return existing;
      throw invalidInput(`a comment with id ${input.id} already exists`);
    }
  }
  if (input.parentId) {
    const parent = state.comments.get(input.parentId);
    if (parent?.issueId !== issue.id || parent.archivedAt) throw entityNotFound('Comment');
  }
  const now = clock.now();
  const createdAt = input.createdAt ? pastTime(input.createdAt, now) : now;
  // createAsUser/displayIconUrl are honoured only for actor=app tokens (schema, API-NOTES §2.3).
  const asApp = actor.oauthClient !== null;
  const comment: Comment = {
    id: input.id?.toLowerCase() ?? randomUUID(),
    organizationId: orgId,
    issueId: issue.id,
    userId: actor.user.id,
    parentId: input.parentId ?? null,
    body,
    editedAt: null,
    archivedAt: null,
    createAsUser: asApp ? (input.createAsUser ?? null) : null,
    displayIconUrl: asApp && input.createAsUser ? (input.displayIconUrl ?? null) : null,
    createdAt,
    updatedAt: createdAt,
    seq: state.nextSeq(),
  };
  state.comments.set(comment.id, comment);
  state.nextSyncId();
  deps.emit(commentEvent(deps, actor, comment, 'create'));
  return comment;
}

/**
 * `commentUpdate(id, input)`: a new body sets `editedAt` and emits Comment `update` with the old
 * body in `updatedFrom`. Only the author may edit (Linear's UI rule; the API's is not documented).
 */
export function updateComment(deps: DomainDeps, actor: Actor, id: string, input: CommentUpdate): Comment {
  const comment = live(deps, actor, id);
  if (comment.userId !== actor.user.id) throw invalidInput('only the author can edit a comment');
  if (input.body === undefined || input.body === null || input.body === comment.body) return comment;
  if (input.body.trim() === '') throw invalidInput('body must not be empty');
  const before = commentData(deps.state, deps.urls, comment);
  const now = deps.clock.now();
  Object.assign(comment, { body: input.body, editedAt: now, updatedAt: now });
  deps.state.nextSyncId();
  deps.emit({ ...commentEvent(deps, actor, comment, 'update'), updatedFrom: { body: before.body, editedAt: before.editedAt, updatedAt: before.updatedAt } });
  return comment;
}

/**
 * `commentDelete(id)`: the comment disappears for readers (`comment(id:)` is then "Entity not
 * found") and Comment `remove` is emitted; its id stays taken, so a create with it is a duplicate.
 */
export function deleteComment(deps: DomainDeps, actor: Actor, id: string): Comment {
  const comment = live(deps, actor, id);
  const now = deps.clock.now();
  Object.assign(comment, { archivedAt: now, updatedAt: now });
  deps.state.nextSyncId();
  deps.emit(commentEvent(deps, actor, comment, 'remove'));
  return comment;
}

function live(deps: DomainDeps, actor: Actor, id: string): Comment {
  const comment = deps.state.comments.get(id.toLowerCase());
  if (comment?.organizationId !== actor.user.organizationId || comment.archivedAt) throw entityNotFound('Comment');
  return comment;
}

function pastTime(text: string, now: number): number {
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw invalidInput('createdAt must be a date');
  if (at > now) throw invalidInput('createdAt must be a time in the past');
  return at;
}

function commentEvent(deps: DomainDeps, actor: Actor, comment: Comment, action: ChangeEvent['action']): ChangeEvent {
  const { state, urls } = deps;
  const issue = state.issues.get(comment.issueId)!;
  return {
    action,
    type: 'Comment',
    organizationId: comment.organizationId,
    teamId: issue.teamId,
    data: commentData(state, urls, comment),
    url: urls.comment(comment),
    actor: actorPayload(actor, urls.user(actor.user), deps.settings().appActorShape),
    createdAt: deps.clock.now(),
  };
}

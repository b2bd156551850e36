import { randomUUID } from 'node:crypto';
import type { Comment } from '../state.js';
import { commentData } from '../webhook-payloads.js';
import { actorPayload, type Actor } from './actor.js';
import { entityNotFound, invalidInput } from './errors.js';
import type { DomainDeps } from './events.js';

/** Fields of CommentCreateInput the stand-in understands. */
export interface CommentCreate {
  id?: string | null;
  /** UUID or identifier ("ENG-12"), as Linear accepts (API-NOTES §2.1). */
  issueId?: string | null;
  body?: string | null;
  /** A reply: the parent must be a comment on the same issue. */
  parentId?: string | null;
}

/** Posts a comment as `actor` and emits a Comment `create` event. */
export function createComment(deps: DomainDeps, actor: Actor, input: CommentCreate): Comment {
  const { state, clock, urls } = deps;
  const orgId = actor.user.organizationId;
  if (!input.issueId) throw invalidInput('issueId is required');
  const issue = state.issueByRef(orgId, input.issueId);
  if (!issue || issue.trashed) throw entityNotFound('Issue');
  const body = input.body ?? '';
  if (body.trim() === '') throw invalidInput('body must not be empty');
  if (input.id && (state.comments.has(input.id) || !/^[0-9a-f-]{36}$/i.test(input.id))) throw invalidInput('id must be a new UUID');
  if (input.parentId) {
    const parent = state.comments.get(input.parentId);
    if (parent?.issueId !== issue.id) throw entityNotFound('Comment');
  }
  const now = clock.now();
  const comment: Comment = {
    id: input.id ?? randomUUID(),
    organizationId: orgId,
    issueId: issue.id,
    userId: actor.user.id,
    parentId: input.parentId ?? null,
    body,
    editedAt: null,
    archivedAt: null,
    createdAt: now,
    updatedAt: now,
    seq: state.nextSeq(),
  };
  state.comments.set(comment.id, comment);
  state.nextSyncId();
  deps.emit({
    action: 'create',
    type: 'Comment',
    organizationId: orgId,
    teamId: issue.teamId,
    data: commentData(state, urls, comment),
    url: urls.comment(comment),
    actor: actorPayload(actor, urls.user(actor.user)),
    createdAt: now,
  });
  return comment;
}

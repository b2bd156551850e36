import type { Attachment, Comment, Issue, Webhook } from '../../state.js';
import { priorityLabel } from '../../webhook-payloads.js';
import type { LinearContext } from '../context.js';
import { lookup, page, type Args, type TypeResolvers } from './helpers.js';

/** Field resolvers of Issue, Comment, Attachment and Webhook. */
export const issueResolvers: TypeResolvers = {
  Issue: {
    identifier: (i: Issue, _a: Args, ctx: LinearContext) => ctx.services.state.identifier(i),
    priorityLabel: (i: Issue) => priorityLabel(i.priority),
    prioritySortOrder: (i: Issue) => i.sortOrder,
    estimate: () => null,
    url: (i: Issue, _a: Args, ctx: LinearContext) => ctx.services.urls.issue(i),
    branchName: (i: Issue, _a: Args, ctx: LinearContext) => ctx.services.urls.branchName(i),
    team: (i: Issue, _a: Args, ctx: LinearContext) => ctx.services.state.teams.get(i.teamId),
    state: (i: Issue, _a: Args, ctx: LinearContext) => ctx.services.state.states.get(i.stateId),
    project: (i: Issue, _a: Args, ctx: LinearContext) => (i.projectId ? lookup(ctx.services.state.projects.get(i.projectId)) : null),
    assignee: (i: Issue, _a: Args, ctx: LinearContext) => (i.assigneeId ? lookup(ctx.services.state.users.get(i.assigneeId)) : null),
    creator: (i: Issue, _a: Args, ctx: LinearContext) => (i.creatorId ? lookup(ctx.services.state.users.get(i.creatorId)) : null),
    parent: (i: Issue, _a: Args, ctx: LinearContext) => (i.parentId ? lookup(ctx.services.state.issues.get(i.parentId)) : null),
    labels: (i: Issue, a: Args, ctx: LinearContext) =>
      page(ctx, i.labelIds.flatMap((id) => ctx.services.state.labels.get(id) ?? []), a, ctx.services.specs.label),
    comments: (i: Issue, a: Args, ctx: LinearContext) => page(ctx, ctx.services.state.commentsOf(i.id), a, ctx.services.specs.comment),
    attachments: (i: Issue, a: Args, ctx: LinearContext) => page(ctx, ctx.services.state.attachmentsOf(i.id), a, ctx.services.specs.attachment),
    children: (i: Issue, a: Args, ctx: LinearContext) =>
      page(ctx, [...ctx.services.state.issues.values()].filter((c) => c.parentId === i.id), a, ctx.services.specs.issue),
  },
  Comment: {
    url: (c: Comment, _a: Args, ctx: LinearContext) => ctx.services.urls.comment(c),
    issue: (c: Comment, _a: Args, ctx: LinearContext) => lookup(ctx.services.state.issues.get(c.issueId)),
    user: (c: Comment, _a: Args, ctx: LinearContext) => (c.userId ? lookup(ctx.services.state.users.get(c.userId)) : null),
    parent: (c: Comment, _a: Args, ctx: LinearContext) => (c.parentId ? lookup(ctx.services.state.comments.get(c.parentId)) : null),
    botActor: (c: Comment, _a: Args, ctx: LinearContext) => botActor(ctx, c),
    children: (c: Comment, a: Args, ctx: LinearContext) =>
      page(ctx, [...ctx.services.state.comments.values()].filter((r) => r.parentId === c.id), a, ctx.services.specs.comment),
  },
  Attachment: {
    sourceType: () => 'unknown',
    issue: (a: Attachment, _a: Args, ctx: LinearContext) => ctx.services.state.issues.get(a.issueId),
    creator: (a: Attachment, _a: Args, ctx: LinearContext) => (a.creatorId ? lookup(ctx.services.state.users.get(a.creatorId)) : null),
  },
  Webhook: {
    team: (w: Webhook, _a: Args, ctx: LinearContext) => (w.teamId ? lookup(ctx.services.state.teams.get(w.teamId)) : null),
    teamIds: (w: Webhook) => (w.teamId ? [w.teamId] : null),
    creator: (w: Webhook, _a: Args, ctx: LinearContext) => (w.creatorId ? lookup(ctx.services.state.users.get(w.creatorId)) : null),
  },
};

/**
 * `Comment.botActor` ("The bot that created the comment", schema) for comments an actor=app token
 * created with `createAsUser`: the app, with the given name and avatar. `type` values are not
 * documented beyond examples ('github', 'slack', …); 'oauthApp' is the stand-in's choice.
 */
function botActor(ctx: LinearContext, c: Comment) {
  if (c.createAsUser === null) return null;
  const app = c.userId ? ctx.services.state.users.get(c.userId) : undefined;
  return { id: app?.appClientId ?? null, type: 'oauthApp', subType: null, name: app?.name ?? null, userDisplayName: c.createAsUser, avatarUrl: c.displayIconUrl };
}

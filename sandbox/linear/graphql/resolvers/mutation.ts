import { createAttachment, linkUrl, type AttachmentCreate } from '../../domain/attachments.js';
import { createComment, deleteComment, updateComment, type CommentCreate, type CommentUpdate } from '../../domain/comments.js';
import { createIssue, deleteIssue, updateIssue, type IssueCreate, type IssueUpdate } from '../../domain/issues.js';
import { archiveWorkflowState, deleteLabel, deleteProject, deleteTeam } from '../../domain/workspace-removals.js';
import { createWebhook, deleteWebhook, rotateWebhookSecret, updateWebhook, type WebhookCreate, type WebhookUpdate } from '../../domain/webhooks.js';
import { requireAdmin, requireWrite, type LinearContext } from '../context.js';
import type { Args, TypeResolvers } from './helpers.js';

/**
 * Mutation root: scope checks (API-NOTES §5.9), then the same domain functions the page uses;
 * payloads are `{ success, lastSyncId, <entity> }` (§2.3). Changes emit webhooks with the
 * viewer's actor (the user, or the OAuth app for actor=app tokens). GraphQL has validated each
 * `input` against the schema's input type, which the domain type mirrors.
 */
const ok = (ctx: LinearContext) => ({ success: true, lastSyncId: ctx.services.state.lastSyncId });

export const mutationResolvers: TypeResolvers = {
  Mutation: {
    issueCreate: (_s: unknown, a: Args, ctx: LinearContext) => {
      requireWrite(ctx, 'issues:create');
      const issue = createIssue(ctx.services.deps, ctx.viewer.actor, a.input as IssueCreate);
      return { ...ok(ctx), issue };
    },
    issueUpdate: (_s: unknown, a: Args, ctx: LinearContext) => {
      requireWrite(ctx);
      const issue = updateIssue(ctx.services.deps, ctx.viewer.actor, String(a.id), a.input as IssueUpdate);
      return { ...ok(ctx), issue };
    },
    issueDelete: (_s: unknown, a: Args, ctx: LinearContext) => {
      requireWrite(ctx);
      const entity = deleteIssue(ctx.services.deps, ctx.viewer.actor, String(a.id));
      return { ...ok(ctx), entity };
    },
    commentCreate: (_s: unknown, a: Args, ctx: LinearContext) => {
      requireWrite(ctx, 'comments:create');
      const comment = createComment(ctx.services.deps, ctx.viewer.actor, a.input as CommentCreate);
      return { ...ok(ctx), comment };
    },
    commentUpdate: (_s: unknown, a: Args, ctx: LinearContext) => {
      requireWrite(ctx);
      return { ...ok(ctx), comment: updateComment(ctx.services.deps, ctx.viewer.actor, String(a.id), a.input as CommentUpdate) };
    },
    commentDelete: (_s: unknown, a: Args, ctx: LinearContext) => {
      requireWrite(ctx);
      const comment = deleteComment(ctx.services.deps, ctx.viewer.actor, String(a.id));
      return { ...ok(ctx), entityId: comment.id };
    },
    // `issues:create` covers "create issues and their attachments" (API-NOTES §1.3).
    attachmentCreate: (_s: unknown, a: Args, ctx: LinearContext) => {
      requireWrite(ctx, 'issues:create');
      return { ...ok(ctx), attachment: createAttachment(ctx.services.deps, ctx.viewer.actor, a.input as AttachmentCreate) };
    },
    attachmentLinkURL: (_s: unknown, a: Args, ctx: LinearContext) => {
      requireWrite(ctx, 'issues:create');
      const input = { issueId: String(a.issueId), url: String(a.url), title: (a.title as string | null | undefined) ?? null, id: (a.id as string | null | undefined) ?? null };
      return { ...ok(ctx), attachment: linkUrl(ctx.services.deps, ctx.viewer.actor, input) };
    },
    webhookCreate: (_s: unknown, a: Args, ctx: LinearContext) => {
      requireAdmin(ctx);
      return { ...ok(ctx), webhook: createWebhook(ctx.services.deps, ctx.viewer.actor, a.input as WebhookCreate) };
    },
    webhookUpdate: (_s: unknown, a: Args, ctx: LinearContext) => {
      requireAdmin(ctx);
      return { ...ok(ctx), webhook: updateWebhook(ctx.services.deps, ctx.viewer.actor, String(a.id), a.input as WebhookUpdate) };
    },
    webhookDelete: (_s: unknown, a: Args, ctx: LinearContext) => {
      requireAdmin(ctx);
      const webhook = deleteWebhook(ctx.services.deps, ctx.viewer.actor, String(a.id));
      return { ...ok(ctx), entityId: webhook.id };
    },
    webhookRotateSecret: (_s: unknown, a: Args, ctx: LinearContext) => {
      requireAdmin(ctx);
      const webhook = rotateWebhookSecret(ctx.services.deps, ctx.viewer.actor, String(a.id));
      return { ...ok(ctx), secret: webhook.secret };
    },
    // Removals a rule's references may suffer (issue 10): domain/workspace-removals.ts.
    issueLabelDelete: (_s: unknown, a: Args, ctx: LinearContext) => {
      requireWrite(ctx);
      const label = deleteLabel(ctx.services.deps, ctx.viewer.actor, String(a.id));
      return { ...ok(ctx), entityId: label.id };
    },
    workflowStateArchive: (_s: unknown, a: Args, ctx: LinearContext) => {
      requireWrite(ctx);
      return { ...ok(ctx), entity: archiveWorkflowState(ctx.services.deps, ctx.viewer.actor, String(a.id)) };
    },
    projectDelete: (_s: unknown, a: Args, ctx: LinearContext) => {
      requireWrite(ctx);
      return { ...ok(ctx), entity: deleteProject(ctx.services.deps, ctx.viewer.actor, String(a.id)) };
    },
    teamDelete: (_s: unknown, a: Args, ctx: LinearContext) => {
      requireAdmin(ctx, 'delete teams');
      const team = deleteTeam(ctx.services.deps, ctx.viewer.actor, String(a.id));
      return { ...ok(ctx), entityId: team.id };
    },
  },
};

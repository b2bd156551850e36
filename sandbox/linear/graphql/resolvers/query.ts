import { entityNotFound } from '../../domain/errors.js';
import { requireAdmin, type LinearContext } from '../context.js';
import { page, type Args, type TypeResolvers } from './helpers.js';

/**
 * Query root. Everything is scoped to the viewer's workspace; `issue(id:)` and `team(id:)`
 * accept UUIDs or identifiers/keys (API-NOTES §2.1); a missing entity is INPUT_ERROR
 * "Entity not found: <Type>" (§2.5). An archived (deleted) team, state, project or label is
 * returned with `archivedAt` set, or not found, per the `archivedLookups` setting.
 */
const org = (ctx: LinearContext) => ctx.viewer.organization.id;
const all = <T extends { organizationId: string }>(ctx: LinearContext, rows: Map<string, T>) => [...rows.values()].filter((r) => r.organizationId === org(ctx));

function found<T extends object>(ctx: LinearContext, entity: string, row: T | undefined): T {
  const owner = row && 'organizationId' in row ? row.organizationId : undefined;
  if (!row || (owner !== undefined && owner !== org(ctx))) throw entityNotFound(entity);
  return row;
}

/** `found`, then the `archivedLookups` setting for records that carry `archivedAt`. */
function live<T extends { archivedAt: number | null }>(ctx: LinearContext, entity: string, row: T | undefined): T {
  const record = found(ctx, entity, row);
  if (record.archivedAt && ctx.services.archivedLookups === 'not_found') throw entityNotFound(entity);
  return record;
}

export const queryResolvers: TypeResolvers = {
  Query: {
    viewer: (_s: unknown, _a: Args, ctx: LinearContext) => ctx.viewer.user,
    organization: (_s: unknown, _a: Args, ctx: LinearContext) => ctx.viewer.organization,
    rateLimitStatus: (_s: unknown, _a: Args, ctx: LinearContext) => {
      const { kind, value } = ctx.viewer.credential;
      const status = ctx.services.limiter.peek(value, kind);
      const period = ctx.services.limiter.config.periodMs;
      const limit = (type: string, b: typeof status.requests) => ({ type, allowedAmount: b.limit, remainingAmount: b.remaining, requestedAmount: 0, reset: b.reset, period });
      return { identifier: ctx.viewer.user.id, kind, limits: [limit('requestLimit', status.requests), limit('complexityLimit', status.complexity)] };
    },
    teams: (_s: unknown, a: Args, ctx: LinearContext) => page(ctx, all(ctx, ctx.services.state.teams), a, ctx.services.specs.team),
    team: (_s: unknown, a: Args, ctx: LinearContext) => live(ctx, 'Team', ctx.services.state.teamByRef(org(ctx), String(a.id))),
    users: (_s: unknown, a: Args, ctx: LinearContext) => page(ctx, ctx.services.state.usersOf(org(ctx)), a),
    workflowStates: (_s: unknown, a: Args, ctx: LinearContext) => {
      const teams = new Set(ctx.services.state.teamsOf(org(ctx)).map((t) => t.id));
      return page(ctx, [...ctx.services.state.states.values()].filter((s) => teams.has(s.teamId)), a, ctx.services.specs.state);
    },
    workflowState: (_s: unknown, a: Args, ctx: LinearContext) => {
      const st = ctx.services.state.states.get(String(a.id));
      return live(ctx, 'WorkflowState', st && ctx.services.state.teams.get(st.teamId)?.organizationId === org(ctx) ? st : undefined);
    },
    projects: (_s: unknown, a: Args, ctx: LinearContext) => page(ctx, all(ctx, ctx.services.state.projects), a, ctx.services.specs.project),
    project: (_s: unknown, a: Args, ctx: LinearContext) => live(ctx, 'Project', ctx.services.state.projects.get(String(a.id))),
    issueLabels: (_s: unknown, a: Args, ctx: LinearContext) => page(ctx, all(ctx, ctx.services.state.labels), a, ctx.services.specs.label),
    issueLabel: (_s: unknown, a: Args, ctx: LinearContext) => live(ctx, 'IssueLabel', ctx.services.state.labels.get(String(a.id))),
    issues: (_s: unknown, a: Args, ctx: LinearContext) => page(ctx, all(ctx, ctx.services.state.issues), a, ctx.services.specs.issue),
    issue: (_s: unknown, a: Args, ctx: LinearContext) => found(ctx, 'Issue', ctx.services.state.issueByRef(org(ctx), String(a.id))),
    comments: (_s: unknown, a: Args, ctx: LinearContext) => page(ctx, all(ctx, ctx.services.state.comments), a, ctx.services.specs.comment),
    // A deleted comment is gone (commentDelete), whatever the archivedLookups setting.
    comment: (_s: unknown, a: Args, ctx: LinearContext) => {
      const comment = found(ctx, 'Comment', ctx.services.state.comments.get(String(a.id).toLowerCase()));
      if (comment.archivedAt) throw entityNotFound('Comment');
      return comment;
    },
    attachment: (_s: unknown, a: Args, ctx: LinearContext) => found(ctx, 'Attachment', ctx.services.state.attachments.get(String(a.id).toLowerCase())),
    webhooks: (_s: unknown, a: Args, ctx: LinearContext) => {
      requireAdmin(ctx);
      return page(ctx, all(ctx, ctx.services.state.webhooks), a);
    },
    webhook: (_s: unknown, a: Args, ctx: LinearContext) => {
      requireAdmin(ctx);
      return found(ctx, 'Webhook', ctx.services.state.webhooks.get(String(a.id)));
    },
  },
};

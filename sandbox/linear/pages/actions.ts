import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorFor } from '../domain/actor.js';
import { createComment } from '../domain/comments.js';
import { LinearApiError } from '../domain/errors.js';
import { createIssue, updateIssue } from '../domain/issues.js';
import type { LinearSandboxContext } from '../context.js';
import type { Issue, User } from '../state.js';
import { commentData, issueData } from '../webhook-payloads.js';

/**
 * Sandbox-only write routes behind the page's forms ("a user did this in Linear's UI"). They call
 * the same domain functions as the GraphQL mutations, so webhooks carry that user as `actor`.
 * Form posts answer 303 back to the page (an error travels as `?error=`); JSON posts answer
 * `{issue}` (and `comment`) as webhook-shaped data, or 400 `{error}` — handy for tests.
 *   POST /_sandbox/ui/issues                {as, teamId, title, description?, priority?, stateId?, projectId?, labelIds?}
 *   POST /_sandbox/ui/issues/:id            {as, stateId?, priority?, title?, description?}
 *   POST /_sandbox/ui/issues/:id/comments   {as, body}
 * `as` is a user id or email of the issue's workspace (default its admin).
 */
export function registerPageActions(app: FastifyInstance, ctx: LinearSandboxContext): void {
  const deps = ctx.services.deps;
  const actor = (user: User) => actorFor(user, (id) => ctx.clients.get(id)?.name);

  app.post('/_sandbox/ui/issues', async (request, reply) => {
    const f = fields(request);
    const team = typeof f.teamId === 'string' ? ctx.state.teams.get(f.teamId) : undefined;
    const user = team ? actingUser(ctx, team.organizationId, f.as) : undefined;
    if (!team || !user) return fail(request, reply, '/', 'Unknown team or user.');
    const org = ctx.state.organizations.get(team.organizationId)!;
    return run(ctx, request, reply, `/${org.urlKey}/team/${team.key}`, () =>
      createIssue(deps, actor(user), {
        teamId: team.id,
        title: text(f.title) ?? '',
        description: text(f.description) ?? null,
        priority: f.priority === undefined || f.priority === '' ? 0 : Number(f.priority),
        stateId: text(f.stateId) ?? null,
        projectId: text(f.projectId) ?? null,
        labelIds: list(f.labelIds),
      }),
    );
  });

  app.post('/_sandbox/ui/issues/:id', async (request, reply) => {
    const f = fields(request);
    const issue = ctx.state.issues.get((request.params as { id: string }).id);
    const user = issue ? actingUser(ctx, issue.organizationId, f.as) : undefined;
    if (!issue || !user) return fail(request, reply, '/', 'Unknown issue or user.');
    return run(ctx, request, reply, issuePath(ctx, issue), () =>
      updateIssue(deps, actor(user), issue.id, {
        ...(text(f.stateId) ? { stateId: text(f.stateId)! } : {}),
        ...(f.priority !== undefined && f.priority !== '' ? { priority: Number(f.priority) } : {}),
        ...(text(f.title) ? { title: text(f.title)! } : {}),
        ...(f.description !== undefined ? { description: text(f.description) ?? null } : {}),
      }),
    );
  });

  app.post('/_sandbox/ui/issues/:id/comments', async (request, reply) => {
    const f = fields(request);
    const issue = ctx.state.issues.get((request.params as { id: string }).id);
    const user = issue ? actingUser(ctx, issue.organizationId, f.as) : undefined;
    if (!issue || !user) return fail(request, reply, '/', 'Unknown issue or user.');
    return run(ctx, request, reply, issuePath(ctx, issue), () => {
      const comment = createComment(deps, actor(user), { issueId: issue.id, body: text(f.body) ?? '' });
      return { issue, comment: commentData(ctx.state, ctx.urls, comment) };
    });
  });
}

type Outcome = Issue | { issue: Issue; comment: Record<string, unknown> };

/** Runs a domain action; answers JSON or a 303 to the issue page (to `back` with ?error= on failure). */
function run(ctx: LinearSandboxContext, request: FastifyRequest, reply: FastifyReply, back: string, action: () => Outcome): FastifyReply {
  let outcome: Outcome;
  try {
    outcome = action();
  } catch (error) {
    if (error instanceof LinearApiError) return fail(request, reply, back, error.userPresentableMessage ?? error.message);
    throw error;
  }
  const issue = 'comment' in outcome ? outcome.issue : outcome;
  if (isJson(request)) {
    return reply.send({ issue: issueData(ctx.state, ctx.urls, issue), ...('comment' in outcome ? { comment: outcome.comment } : {}) });
  }
  return reply.redirect(withQuery(issuePath(ctx, issue), request), 303);
}

function fail(request: FastifyRequest, reply: FastifyReply, back: string, error: string): FastifyReply {
  if (isJson(request)) return reply.code(400).send({ error });
  return reply.redirect(withQuery(back, request, error), 303);
}

function issuePath(ctx: LinearSandboxContext, issue: Issue): string {
  return new URL(ctx.urls.issue(issue)).pathname;
}

function withQuery(path: string, request: FastifyRequest, error?: string): string {
  const as = fields(request).as;
  const q = new URLSearchParams({ ...(typeof as === 'string' ? { as } : {}), ...(error ? { error } : {}) });
  return `${path}?${q.toString()}`;
}

function isJson(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').startsWith('application/json');
}

function actingUser(ctx: LinearSandboxContext, organizationId: string, as: unknown): User | undefined {
  const byId = typeof as === 'string' ? ctx.state.users.get(as) : undefined;
  const user = byId ?? (typeof as === 'string' ? ctx.state.userByEmail(organizationId, as) : ctx.state.usersOf(organizationId).find((u) => u.admin));
  return user?.organizationId === organizationId ? user : undefined;
}

function fields(request: FastifyRequest): Record<string, unknown> {
  return (request.body ?? {}) as Record<string, unknown>;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** A checkbox group arrives as a string (one ticked) or an array. */
function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' && value !== '' ? [value] : [];
}

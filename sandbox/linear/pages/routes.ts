import type { FastifyInstance } from 'fastify';
import { html } from '../../common/html.js';
import type { LinearSandboxContext } from '../context.js';
import { renderHome } from './home.js';
import { renderIssue } from './issue.js';
import { layout, sendPage } from './layout.js';
import { sessionFor } from './session.js';
import { renderTeam } from './team.js';

/**
 * The page for people (SPEC §4): a minimal Linear at the stand-in's root. Issue URLs are the
 * ones the API returns (`/<workspace>/issue/<KEY-N>/<slug>`). Writes go to pages/actions.ts.
 */
export function registerPages(app: FastifyInstance, ctx: LinearSandboxContext): void {
  const notFound = (what: string) => layout('Not found', html`<div class="card narrow"><h1>Not found</h1><p>${what}</p><p><a href="/">Back to workspaces</a></p></div>`);

  app.get('/', async (_request, reply) => sendPage(reply, 200, renderHome(ctx.state)));

  app.get('/:workspace', async (request, reply) => {
    const { workspace } = request.params as { workspace: string };
    const s = sessionFor(ctx.state, workspace, (request.query as Record<string, unknown>).as);
    const first = s ? ctx.state.teamsOf(s.org.id).find((t) => !t.archivedAt) : undefined;
    if (!s || !first) return sendPage(reply, 404, notFound(`No workspace "${workspace}".`));
    return reply.redirect(`/${s.org.urlKey}/team/${first.key}?as=${encodeURIComponent(s.user.id)}`, 302);
  });

  app.get('/:workspace/team/:key', async (request, reply) => {
    const { workspace, key } = request.params as { workspace: string; key: string };
    const s = sessionFor(ctx.state, workspace, (request.query as Record<string, unknown>).as);
    const team = s ? ctx.state.teamByRef(s.org.id, key) : undefined;
    if (!s || !team) return sendPage(reply, 404, notFound(`No team "${key}" in "${workspace}".`));
    return sendPage(reply, 200, renderTeam(ctx.state, ctx.urls, s, team, request.query));
  });

  const issuePage = async (request: { params: unknown; query: unknown }, reply: Parameters<typeof sendPage>[0]) => {
    const { workspace, identifier } = request.params as { workspace: string; identifier: string };
    const s = sessionFor(ctx.state, workspace, (request.query as Record<string, unknown>).as);
    const issue = s ? ctx.state.issueByRef(s.org.id, identifier) : undefined;
    if (!s || !issue) return sendPage(reply, 404, notFound(`No issue "${identifier}" in "${workspace}".`));
    return sendPage(reply, 200, renderIssue(ctx.state, s, issue, request.query));
  };
  app.get('/:workspace/issue/:identifier', issuePage);
  app.get('/:workspace/issue/:identifier/:slug', issuePage);
}

import type { FastifyInstance, FastifyReply } from 'fastify';
import type { LinearSandboxContext } from '../context.js';
import { sendPage } from '../pages/layout.js';
import { ensureAppUser } from './app-user.js';
import { checkAuthorizeRequest, pick, redirectWith, type AuthorizeCheck } from './authorize-request.js';
import { renderConsent, renderOAuthError } from './consent-page.js';

/**
 * GET /oauth/authorize shows the consent page; POST /oauth/authorize is its form (hidden fields
 * re-validated, never trusted). Authorize → `{redirect_uri}?code=…&state=…`; Deny →
 * `?error=access_denied&state=…` (API-NOTES §1.2: the denial format is not documented, the
 * standard OAuth one is used).
 */
export function registerAuthorize(app: FastifyInstance, ctx: LinearSandboxContext): void {
  const early = (reply: FastifyReply, check: Exclude<AuthorizeCheck, { kind: 'ok' }>) =>
    check.kind === 'page_error'
      ? sendPage(reply, 400, renderOAuthError(check.message))
      : reply.redirect(redirectWith(check.redirectUri, { error: check.error, error_description: check.description, state: check.state }), 302);

  app.get('/oauth/authorize', async (request, reply) => {
    const params = pick(request.query);
    const check = checkAuthorizeRequest(ctx.clients, params);
    if (check.kind !== 'ok') return early(reply, check);
    return sendPage(reply, 200, renderConsent(ctx.state, { params, client: check.client, scopes: check.scopes, actor: check.actor }));
  });

  app.post('/oauth/authorize', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, unknown>;
    const params = pick(form);
    const check = checkAuthorizeRequest(ctx.clients, params);
    if (check.kind !== 'ok') return early(reply, check);
    if (form.decision !== 'authorize') {
      return reply.redirect(redirectWith(check.redirectUri, { error: 'access_denied', error_description: 'The user denied the request.', state: check.state }), 302);
    }
    const org = typeof form.workspace === 'string' ? ctx.state.organizations.get(form.workspace) ?? ctx.state.organizationByName(form.workspace) : undefined;
    const user = typeof form.user === 'string' ? ctx.state.users.get(form.user) : undefined;
    const problem = !org
      ? 'Choose a workspace.'
      : !user || user.app
        ? 'Choose who is logging in.'
        : user.organizationId !== org.id
          ? `${user.name} is not a member of ${org.name}. Pick a user of that workspace.`
          : !user.admin && (check.scopes.includes('admin') || check.actor === 'app')
            ? `Only workspace admins can grant ${check.actor === 'app' ? 'an app install (actor=app)' : 'the admin scope'}; ${user.name} is a member.`
            : undefined;
    if (problem || !org || !user) {
      const view = { params, client: check.client, scopes: check.scopes, actor: check.actor, error: problem ?? 'Invalid choice.', ...(org ? { workspaceId: org.id } : {}), ...(user ? { userId: user.id } : {}) };
      return sendPage(reply, 400, renderConsent(ctx.state, view));
    }
    const actingUser = check.actor === 'app' ? ensureAppUser(ctx.state, check.client, org.id) : user;
    const code = ctx.store.issueCode({
      clientId: check.client.clientId,
      redirectUri: check.redirectUri,
      account: org.id,
      user: actingUser.id,
      scopes: check.scopes,
      ...(check.codeChallenge !== undefined ? { codeChallenge: check.codeChallenge, codeChallengeMethod: 'S256' } : {}),
    });
    return reply.redirect(redirectWith(check.redirectUri, { code, state: check.state }), 302);
  });
}

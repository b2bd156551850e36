import type { FastifyInstance, FastifyReply } from 'fastify';
import { PAGE_HEADERS } from '../../common/html.js';
import type { PdContext } from '../context.js';
import { checkAuthorizeRequest, DENIED_DESCRIPTION, redirectWith, type AuthorizeParams } from './authorize-request.js';
import { renderConsent, renderOAuthError } from './consent-page.js';

const PARAM_NAMES = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'code_challenge', 'code_challenge_method'] as const;

function pick(source: unknown): AuthorizeParams {
  const record = (source ?? {}) as Record<string, unknown>;
  const out: AuthorizeParams = {};
  for (const name of PARAM_NAMES) if (typeof record[name] === 'string') out[name] = record[name];
  return out;
}

function page(reply: FastifyReply, status: number, markup: string): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).send(markup);
}

/**
 * GET /oauth/authorize shows the consent page; POST /oauth/authorize is its form. Approve →
 * `{redirect_uri}?code=…&state=…`; Deny → `?error=access_denied&error_description=…&state=…`
 * (API-NOTES §1.3). The form's hidden fields are re-validated, never trusted.
 */
export function registerAuthorize(app: FastifyInstance, ctx: PdContext): void {
  app.get('/oauth/authorize', async (request, reply) => {
    const params = pick(request.query);
    const check = checkAuthorizeRequest(ctx.state, params);
    if (check.kind === 'page_error') return page(reply, 400, renderOAuthError(check.message));
    if (check.kind === 'redirect_error') {
      return reply.redirect(redirectWith(check.redirectUri, { error: check.error, error_description: check.description, state: check.state }), 302);
    }
    return page(reply, 200, renderConsent(ctx.state, { params, client: check.client, scopes: check.scopes }));
  });

  app.post('/oauth/authorize', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, unknown>;
    const params = pick(form);
    const check = checkAuthorizeRequest(ctx.state, params);
    if (check.kind === 'page_error') return page(reply, 400, renderOAuthError(check.message));
    if (check.kind === 'redirect_error') {
      return reply.redirect(redirectWith(check.redirectUri, { error: check.error, error_description: check.description, state: check.state }), 302);
    }
    if (form.decision !== 'authorize') {
      return reply.redirect(redirectWith(check.redirectUri, { error: 'access_denied', error_description: DENIED_DESCRIPTION, state: check.state }), 302);
    }
    const account = typeof form.account === 'string' ? ctx.state.account(form.account) : undefined;
    const user = typeof form.user === 'string' ? ctx.state.users.get(form.user) : undefined;
    if (!account || user?.account !== account.subdomain) {
      const error = !account ? 'Choose an account.' : !user ? 'Choose who is logging in.' : `${user.name} is not a user of ${account.name}. Pick a user of that account.`;
      const view = { params, client: check.client, scopes: check.scopes, error, ...(account ? { account: account.subdomain } : {}), ...(user ? { userId: user.id } : {}) };
      return page(reply, 400, renderConsent(ctx.state, view));
    }
    const code = ctx.store.issueCode({
      clientId: check.client.clientId,
      redirectUri: check.redirectUri,
      account: account.subdomain,
      user: user.id,
      scopes: check.scopes,
      codeChallenge: check.codeChallenge,
      codeChallengeMethod: 'S256',
    });
    return reply.redirect(redirectWith(check.redirectUri, { code, state: check.state }), 302);
  });
}

import type { FastifyInstance } from 'fastify';
import type { LinearSandboxContext } from '../context.js';
import { isForm, oauthError } from './token.js';

/**
 * POST /oauth/revoke (API-NOTES §1.6, §5.5): the token as `Authorization: Bearer`, or form
 * field `access_token` or `refresh_token`. 200 revoked (the whole authorization: its access
 * and refresh tokens), 400 already revoked or no token, 401 unknown token. The 200 has an
 * empty body (the docs give none).
 */
export function registerRevoke(app: FastifyInstance, ctx: LinearSandboxContext): void {
  app.post('/oauth/revoke', async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const form = isForm(request) ? ((request.body ?? {}) as Record<string, unknown>) : {};
    const fromForm = typeof form.access_token === 'string' ? form.access_token : typeof form.refresh_token === 'string' ? form.refresh_token : undefined;
    const value = /^bearer\s+/i.test(header) ? header.replace(/^bearer\s+/i, '').trim() : fromForm;
    if (!value) return oauthError(reply, 400, 'invalid_request', 'No token to revoke');
    const token = ctx.store.find(value);
    if (!token) return oauthError(reply, 401, 'invalid_token', 'Could not authenticate with the token');
    if (token.revoked) return oauthError(reply, 400, 'invalid_request', 'The token is already revoked');
    ctx.store.revoke(value);
    return reply.code(200).send();
  });
}

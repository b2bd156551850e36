import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IssuedToken } from '../../common/oauth-store.js';
import type { LinearSandboxContext } from '../context.js';
import type { LinearClientConfig } from './clients.js';

/**
 * POST /oauth/token (API-NOTES §1.4–1.5, §5.3): form-encoded bodies only; grants
 * authorization_code (client secret, or PKCE code_verifier instead) and refresh_token (rotates
 * both tokens). Client auth by form fields or HTTP Basic. Errors are `400 {error,
 * error_description}`; a bad client secret is `401 invalid_client`. client_credentials is
 * answered as for an app that has not enabled it.
 */
export function registerToken(app: FastifyInstance, ctx: LinearSandboxContext): void {
  app.post('/oauth/token', async (request, reply) => {
    if (!isForm(request)) return oauthError(reply, 400, 'invalid_request', 'Content-Type must be application/x-www-form-urlencoded');
    const form = (request.body ?? {}) as Record<string, unknown>;
    const field = (name: string) => (typeof form[name] === 'string' ? form[name] : undefined);
    const auth = clientAuth(request, field('client_id'), field('client_secret'));
    const client = auth.clientId ? ctx.clients.get(auth.clientId) : undefined;
    if (!client) return oauthError(reply, 401, 'invalid_client', 'Client authentication failed');
    if (auth.secret !== undefined && !secretMatches(client, auth.secret)) return oauthError(reply, 401, 'invalid_client', 'Client authentication failed');

    const grantType = field('grant_type');
    if (grantType === 'authorization_code') {
      const verifier = field('code_verifier');
      if (auth.secret === undefined && verifier === undefined && client.clientSecret !== null) {
        return oauthError(reply, 401, 'invalid_client', 'client_secret or code_verifier is required');
      }
      const result = ctx.store.redeemCode(field('code') ?? '', client.clientId, field('redirect_uri') ?? '', verifier);
      if (!result.ok) return oauthError(reply, 400, 'invalid_grant', `Invalid grant: ${result.description}`);
      const { access, refresh } = ctx.store.issueTokens(result.grant);
      return tokenResponse(client, access, refresh);
    }
    if (grantType === 'refresh_token') {
      if (auth.secret === undefined && client.clientSecret !== null) return oauthError(reply, 401, 'invalid_client', 'Client authentication failed');
      const result = ctx.store.refresh(field('refresh_token') ?? '', client.clientId);
      if (!result.ok) return oauthError(reply, 400, 'invalid_grant', `Token has been expired or revoked. (${result.description})`);
      return tokenResponse(client, result.access, result.refresh);
    }
    if (grantType === 'client_credentials') {
      return oauthError(reply, 400, 'Error', 'Client does not support the client_credentials grant type');
    }
    return oauthError(reply, 400, 'unsupported_grant_type', `Unsupported grant_type "${grantType ?? ''}"`);
  });
}

/** Lifetime in seconds minus one, like Linear's 86399 for a 24 h token (API-NOTES §1.4). */
export function expiresIn(token: IssuedToken): number {
  return token.expiresAt === null ? 315_705_599 : Math.max(0, Math.floor((token.expiresAt - token.issuedAt) / 1000) - 1);
}

/** `scope` is space-separated even though it was requested comma-separated (or an array for old apps). */
function tokenResponse(client: LinearClientConfig, access: IssuedToken, refresh: IssuedToken) {
  return {
    access_token: access.value,
    token_type: 'Bearer',
    expires_in: expiresIn(access),
    scope: client.scopeAsArray ? access.scopes : access.scopes.join(' '),
    refresh_token: refresh.value,
  };
}

export function oauthError(reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send({ error, error_description: description });
}

export function isForm(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** HTTP Basic `client_id:client_secret` wins over form fields (API-NOTES §1.5). */
function clientAuth(request: FastifyRequest, formId?: string, formSecret?: string): { clientId?: string; secret?: string } {
  const header = request.headers.authorization ?? '';
  if (header.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) {
      try {
        return { clientId: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
      } catch {
        return {}; // malformed %-escapes: no client, answered as invalid_client
      }
    }
  }
  return { ...(formId !== undefined ? { clientId: formId } : {}), ...(formSecret !== undefined ? { secret: formSecret } : {}) };
}

function secretMatches(client: LinearClientConfig, secret: string): boolean {
  if (client.clientSecret === null) return false;
  const a = Buffer.from(client.clientSecret);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

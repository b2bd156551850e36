import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IssuedToken } from '../../common/oauth-store.js';
import type { PdContext } from '../context.js';
import type { RegisteredClient } from './clients.js';
import { AS_ACCOUNT } from './scopes.js';

type Body = Record<string, unknown>;

const str = (body: Body, name: string) => (typeof body[name] === 'string' ? body[name] : undefined);

/** RFC 6749 §5.2 error JSON, the shape PagerDuty's token endpoint uses (API-NOTES §1.5, ISS-TF936). */
function oauthError(reply: FastifyReply, status: number, error: string, description: string): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').send({ error, error_description: description });
}

/** client_id/client_secret from the body or HTTP Basic. */
function clientCredentials(request: FastifyRequest, body: Body): { id?: string; secret?: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (basic) {
    const [id, ...rest] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
    return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(rest.join(':')) };
  }
  const out: { id?: string; secret?: string } = {};
  const id = str(body, 'client_id');
  const secret = str(body, 'client_secret');
  if (id !== undefined) out.id = id;
  if (secret !== undefined) out.secret = secret;
  return out;
}

/**
 * POST /oauth/token (API-NOTES §1.5, §5.3): authorization_code (PKCE), refresh_token (rotates
 * both tokens) and client_credentials (needs `as_account-{region}.{subdomain}`). Accepts form
 * and JSON bodies.
 */
export function registerToken(app: FastifyInstance, ctx: PdContext): void {
  app.post('/oauth/token', async (request, reply) => {
    const body = (request.body ?? {}) as Body;
    const creds = clientCredentials(request, body);
    const client = creds.id ? ctx.state.clients.get(creds.id) : undefined;
    if (!client) return oauthError(reply, 401, 'invalid_client', 'Unknown client.');
    if (client.clientSecret !== null && creds.secret !== client.clientSecret) {
      return oauthError(reply, 401, 'invalid_client', 'Client authentication failed.');
    }
    const grantType = str(body, 'grant_type');
    if (grantType === 'authorization_code') {
      const code = str(body, 'code');
      const redirectUri = str(body, 'redirect_uri');
      if (!code || !redirectUri) return oauthError(reply, 400, 'invalid_request', 'code and redirect_uri are required.');
      const redeemed = ctx.store.redeemCode(code, client.clientId, redirectUri, str(body, 'code_verifier'));
      if (!redeemed.ok) return oauthError(reply, 400, redeemed.error, redeemed.description);
      const { access, refresh } = ctx.store.issueTokens(redeemed.grant);
      return tokenResponse(ctx, reply, client, access, refresh);
    }
    if (grantType === 'refresh_token') {
      const token = str(body, 'refresh_token');
      if (!token) return oauthError(reply, 400, 'invalid_request', 'refresh_token is required.');
      const rotated = ctx.store.refresh(token, client.clientId);
      if (!rotated.ok) return oauthError(reply, 400, rotated.error, rotated.description);
      return tokenResponse(ctx, reply, client, rotated.access, rotated.refresh);
    }
    if (grantType === 'client_credentials') {
      if (client.clientSecret === null) return oauthError(reply, 400, 'unauthorized_client', 'Public clients cannot use client_credentials.');
      const requested = (str(body, 'scope') ?? '').split(/\s+/).filter(Boolean);
      const target = requested.map((s) => AS_ACCOUNT.exec(s)).find((m) => m !== null);
      const account = target ? ctx.state.account(target[2]!) : undefined;
      if (!target || !account || account.region !== target[1]) return oauthError(reply, 400, 'invalid_request', 'Invalid scope');
      const scopes = requested.filter((s, i) => !AS_ACCOUNT.test(s) && requested.indexOf(s) === i && client.scopes.includes(s));
      const access = ctx.store.issueAccessToken({ clientId: client.clientId, account: account.subdomain, user: '', scopes });
      return reply.header('cache-control', 'no-store').send({
        access_token: access.value,
        scope: [target[0], ...scopes].join(' '),
        token_type: 'bearer',
        expires_in: expiresIn(access),
      });
    }
    return oauthError(reply, 400, grantType ? 'unsupported_grant_type' : 'invalid_request', grantType ? `Unsupported grant_type "${grantType}".` : 'grant_type is required.');
  });
}

/** Lifetime of a just-issued token in seconds. */
export function expiresIn(t: IssuedToken): number {
  return t.expiresAt === null ? 0 : Math.round((t.expiresAt - t.issuedAt) / 1000);
}

/** The authorization-code / refresh response of DD-OAUTH, with an ID token naming the account (§1.7). */
function tokenResponse(ctx: PdContext, reply: FastifyReply, client: RegisteredClient, access: IssuedToken, refresh: IssuedToken): FastifyReply {
  const account = ctx.state.account(access.account)!;
  const now = Math.floor(ctx.clock.now() / 1000);
  const idToken = ctx.idTokens.sign({
    iss: `${ctx.urls.api}/global/oauth/anonymous`,
    aud: [ctx.urls.api, client.clientId],
    sub: access.user,
    subdomain: account.subdomain,
    // "UnitedStates" is documented; the EU value is not (unverified).
    region: account.region === 'eu' ? 'EuropeanUnion' : 'UnitedStates',
    account_id: account.id,
    user_id: access.user,
    delegation_id: access.family,
    iat: now,
    exp: now + expiresIn(access),
  });
  return reply.header('cache-control', 'no-store').send({
    client_info: 'prefix_legacy_app',
    id_token: idToken,
    token_type: 'bearer',
    access_token: access.value,
    refresh_token: refresh.value,
    scope: access.scopes.join(' '),
    expires_in: expiresIn(access),
  });
}

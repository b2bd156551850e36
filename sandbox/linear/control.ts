import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { controlError, parseOr400 } from '../common/validation.js';
import type { LinearSandboxContext } from './context.js';
import { ensureAppUser } from './oauth/app-user.js';
import { SANDBOX_CLIENT_ID } from './oauth/clients.js';
import { parseScopes } from './oauth/scopes.js';
import { APP_ACTOR_SHAPES, DUPLICATE_COMMENT_ID } from './settings.js';
import { expiresIn } from './oauth/token.js';

const tokensBody = z.strictObject({
  workspace: z.string().min(1),
  /** Email or id; default the workspace's admin. */
  user: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  /** actor=app: the token acts as the OAuth app's own user (API-NOTES §1.2). */
  actor: z.enum(['user', 'app']).optional(),
  clientId: z.string().optional(),
});
const revokeBody = z.union([z.strictObject({ token: z.string().min(1) }), z.strictObject({ all: z.literal(true), workspace: z.string().optional() })]);
const clientBody = z.strictObject({
  clientId: z.string().min(1),
  redirectUris: z.array(z.url()).min(1),
  name: z.string().min(1).optional(),
  clientSecret: z.string().min(1).nullable().optional(),
  developer: z.string().optional(),
  scopeAsArray: z.boolean().optional(),
});
const limits = z.strictObject({ requests: z.number().int().min(1), complexity: z.number().int().min(1) });
const ms = z.number().int().min(1);
const settingsBody = z.strictObject({
  authErrorStatus: z.union([z.literal(400), z.literal(401)]).optional(),
  ratelimitedStatus: z.union([z.literal(400), z.literal(429)]).optional(),
  pageSize: z.number().int().min(1).max(250).optional(),
  rateLimits: z.strictObject({ apiKey: limits.optional(), oauth: limits.optional(), periodMs: ms.optional() }).optional(),
  accessTokenTtlMs: ms.optional(),
  refreshTokenTtlMs: ms.nullable().optional(),
  codeTtlMs: ms.optional(),
  /** What single-entity queries answer for an archived record (graphql/context.ts ArchivedLookups). */
  archivedLookups: z.enum(['returned', 'not_found']).optional(),
  /** Undocumented behaviours (settings.ts). */
  appActorShape: z.enum(APP_ACTOR_SHAPES).optional(),
  duplicateCommentId: z.enum(DUPLICATE_COMMENT_ID).optional(),
});
const staleBody = z.strictObject({ count: z.number().int().min(1).max(1000), ageMs: z.number().int().min(1).optional() });

/**
 * Linear-only control routes (docs/sandbox.md); the shared ones come from common/control.ts.
 *   POST /_sandbox/tokens {workspace, user?, scopes?, actor?, clientId?} → token response
 *   GET  /_sandbox/tokens → {tokens, apiKeys};  POST /_sandbox/tokens/revoke {token} | {all, workspace?}
 *   GET|POST /_sandbox/clients;  GET|POST /_sandbox/settings;  GET /_sandbox/webhooks
 *   POST /_sandbox/webhooks/stale-timestamps {count, ageMs?}
 */
export function registerLinearControl(app: FastifyInstance, ctx: LinearSandboxContext): void {
  const { state, store } = ctx;
  const org = (name: string) => state.organizations.get(name) ?? state.organizationByName(name);

  app.post('/_sandbox/tokens', async (request, reply) => {
    const body = parseOr400(tokensBody, request.body, 'body', reply);
    if (!body) return reply;
    const workspace = org(body.workspace);
    if (!workspace) return reply.code(400).send(controlError('unknown_workspace', `No workspace "${body.workspace}".`));
    const person = body.user ? (state.userByEmail(workspace.id, body.user) ?? state.usersOf(workspace.id).find((u) => u.id === body.user)) : state.usersOf(workspace.id).find((u) => u.admin);
    if (!person) return reply.code(400).send(controlError('unknown_user', `No user "${body.user}" in ${workspace.name}.`));
    const scopes = parseScopes((body.scopes ?? ['read', 'write', 'admin']).join(','));
    if (!scopes.ok) return reply.code(400).send(controlError('unknown_scope', `Unknown scopes: ${scopes.unknown.join(', ')}`));
    const client = ctx.clients.get(body.clientId ?? SANDBOX_CLIENT_ID);
    if (!client) return reply.code(400).send(controlError('unknown_client', `No OAuth client "${body.clientId}".`));
    const user = body.actor === 'app' ? ensureAppUser(state, client, workspace.id) : person;
    const { access, refresh } = store.issueTokens({ clientId: client.clientId, account: workspace.id, user: user.id, scopes: scopes.scopes });
    return { access_token: access.value, token_type: 'Bearer', expires_in: expiresIn(access), scope: scopes.scopes.join(' '), refresh_token: refresh.value };
  });

  app.get('/_sandbox/tokens', async () => ({
    tokens: store.list().map((t) => ({
      ...t,
      owner: { workspace: state.organizations.get(t.account)?.name ?? t.account, user: state.users.get(t.user)?.email ?? t.user },
    })),
    apiKeys: [...state.apiKeys.values()].map((k) => {
      const user = state.users.get(k.userId)!;
      return { key: k.value, header: k.value, workspace: state.organizations.get(user.organizationId)?.name, user: user.email, admin: user.admin };
    }),
  }));

  app.post('/_sandbox/tokens/revoke', async (request, reply) => {
    const body = parseOr400(revokeBody, request.body, 'body', reply);
    if (!body) return reply;
    if ('token' in body) {
      const token = store.find(body.token);
      if (!token || !store.revoke(body.token)) return reply.code(404).send(controlError('unknown_token', 'No such token.'));
      return { revoked: store.list().filter((t) => t.family === token.family).length };
    }
    const workspace = body.workspace !== undefined ? org(body.workspace) : undefined;
    if (body.workspace !== undefined && !workspace) return reply.code(400).send(controlError('unknown_workspace', `No workspace "${body.workspace}".`));
    return { revoked: store.revokeAll(workspace ? { account: workspace.id } : {}) };
  });

  app.get('/_sandbox/clients', async () => ({ clients: ctx.clients.list() }));
  app.post('/_sandbox/clients', async (request, reply) => {
    const body = parseOr400(clientBody, request.body, 'body', reply);
    if (!body) return reply;
    const existing = ctx.clients.get(body.clientId);
    const client = ctx.clients.set({
      clientId: body.clientId,
      redirectUris: body.redirectUris,
      name: body.name ?? existing?.name ?? body.clientId,
      clientSecret: body.clientSecret !== undefined ? body.clientSecret : (existing?.clientSecret ?? randomBytes(18).toString('base64url')),
      ...(body.developer ?? existing?.developer ? { developer: body.developer ?? existing!.developer! } : {}),
      ...(body.scopeAsArray ?? existing?.scopeAsArray ? { scopeAsArray: body.scopeAsArray ?? existing!.scopeAsArray! } : {}),
    });
    return { client };
  });

  const settingsView = () => {
    const l = store.getLifetimes();
    return { ...ctx.settings, pageSize: ctx.services.pageSize, archivedLookups: ctx.services.archivedLookups, rateLimits: ctx.limiter.config, accessTokenTtlMs: l.accessTtlMs, refreshTokenTtlMs: l.refreshTtlMs, codeTtlMs: l.codeTtlMs };
  };
  app.get('/_sandbox/settings', async () => settingsView());
  app.post('/_sandbox/settings', async (request, reply) => {
    const body = parseOr400(settingsBody, request.body, 'body', reply);
    if (!body) return reply;
    if (body.authErrorStatus) ctx.settings.authErrorStatus = body.authErrorStatus;
    if (body.ratelimitedStatus) ctx.settings.ratelimitedStatus = body.ratelimitedStatus;
    if (body.appActorShape) ctx.settings.appActorShape = body.appActorShape;
    if (body.duplicateCommentId) ctx.settings.duplicateCommentId = body.duplicateCommentId;
    if (body.pageSize) ctx.services.pageSize = body.pageSize;
    if (body.archivedLookups) ctx.services.archivedLookups = body.archivedLookups;
    if (body.rateLimits) {
      const { apiKey, oauth, periodMs } = body.rateLimits;
      ctx.limiter.config = { apiKey: apiKey ?? ctx.limiter.config.apiKey, oauth: oauth ?? ctx.limiter.config.oauth, periodMs: periodMs ?? ctx.limiter.config.periodMs };
      ctx.limiter.reset();
    }
    store.setLifetimes({
      ...(body.accessTokenTtlMs !== undefined ? { accessTtlMs: body.accessTokenTtlMs } : {}),
      ...(body.refreshTokenTtlMs !== undefined ? { refreshTtlMs: body.refreshTokenTtlMs } : {}),
      ...(body.codeTtlMs !== undefined ? { codeTtlMs: body.codeTtlMs } : {}),
    });
    return settingsView();
  });

  app.get('/_sandbox/webhooks', async () => ({ webhooks: [...state.webhooks.values()] }));
  app.post('/_sandbox/webhooks/stale-timestamps', async (request, reply) => {
    const body = parseOr400(staleBody, request.body, 'body', reply);
    if (!body) return reply;
    ctx.sender.sendStaleTimestamps(body.count, body.ageMs ?? 120_000);
    return { ok: true };
  });
}

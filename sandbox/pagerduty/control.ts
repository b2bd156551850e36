import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { controlError, parseOr400 } from '../common/validation.js';
import type { PdContext } from './context.js';
import { updateIncident } from './domain/update-incident.js';
import { PdError } from './errors.js';
import { expiresIn } from './oauth/token.js';
import { HUB_SCOPES, registerClient, SANDBOX_CLIENT_ID } from './oauth/clients.js';
import { PRIORITIES_MODES } from './settings.js';

const tokensBody = z.strictObject({
  account: z.string(),
  /** Email or id; default the account's admin. */
  user: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  clientId: z.string().optional(),
});
const revokeBody = z.union([z.strictObject({ token: z.string().min(1) }), z.strictObject({ all: z.literal(true), account: z.string().optional() })]);
const clientBody = z.strictObject({
  clientId: z.string().min(1),
  redirectUris: z.array(z.url()).min(1),
  name: z.string().min(1).optional(),
  clientSecret: z.string().min(1).nullable().optional(),
  scopes: z.array(z.string()).optional(),
});
const ms = z.number().int().min(1);
const settingsBody = z.strictObject({
  bare401: z.boolean().optional(),
  strictFrom: z.boolean().optional(),
  noteCreateStatus: z.union([z.literal(200), z.literal(201)]).optional(),
  rateLimitPerMinute: z.number().int().min(1).optional(),
  incidentWriteLimitPerMinute: z.number().int().min(1).nullable().optional(),
  maxNotesPerIncident: z.number().int().min(1).optional(),
  noteMaxLength: z.number().int().min(1).nullable().optional(),
  bareFault429: z.boolean().optional(),
  priorities: z.enum(PRIORITIES_MODES).optional(),
  sameStatusUpdate: z.enum(['ok', 'error']).optional(),
  webhookClient: z.enum(['null', 'named']).optional(),
  serviceUpdatedDelivery: z.enum(['old_and_new', 'new']).optional(),
  accessTokenTtlMs: ms.optional(),
  refreshTokenTtlMs: ms.nullable().optional(),
  codeTtlMs: ms.optional(),
});
const rotateBody = z.strictObject({ finish: z.boolean().optional() });

/**
 * PagerDuty-only control routes (docs/sandbox.md): tokens, clients, settings, secret rotation
 * and the acknowledgement timeout. The shared ones are in common/control.ts.
 */
export function registerPagerDutyControl(app: FastifyInstance, ctx: PdContext): void {
  const { state, store } = ctx;

  app.post('/_sandbox/tokens', async (request, reply) => {
    const body = parseOr400(tokensBody, request.body, 'body', reply);
    if (!body) return reply;
    const account = state.account(body.account);
    if (!account) return reply.code(400).send(controlError('unknown_account', `No account "${body.account}".`));
    const user = body.user ? state.userByEmail(account.subdomain, body.user) ?? state.inAccount(state.users, body.user, account.subdomain) : state.adminOf(account.subdomain);
    if (!user) return reply.code(400).send(controlError('unknown_user', `No user "${body.user}" in ${account.subdomain}.`));
    const scopes = ['openid', ...(body.scopes ?? HUB_SCOPES).filter((s) => s !== 'openid')];
    const { access, refresh } = store.issueTokens({ clientId: body.clientId ?? SANDBOX_CLIENT_ID, account: account.subdomain, user: user.id, scopes });
    return { access_token: access.value, refresh_token: refresh.value, expires_in: expiresIn(access), scope: scopes.join(' '), token_type: 'bearer' };
  });

  app.get('/_sandbox/tokens', async () => ({
    tokens: store.list(),
    apiKeys: [...state.accounts.values()].map((a) => ({ account: a.subdomain, key: a.apiKey, header: `Token token=${a.apiKey}` })),
  }));

  app.post('/_sandbox/tokens/revoke', async (request, reply) => {
    const body = parseOr400(revokeBody, request.body, 'body', reply);
    if (!body) return reply;
    if ('token' in body) {
      // Like "Settings → OAuth Applications → revoke": the whole authorization goes.
      if (!store.revoke(body.token)) return reply.code(404).send(controlError('unknown_token', 'No such token.'));
      return { revoked: store.list().filter((t) => t.family === store.find(body.token)!.family).length };
    }
    return { revoked: store.revokeAll(body.account !== undefined ? { account: body.account } : {}) };
  });

  app.get('/_sandbox/clients', async () => ({ clients: [...state.clients.values()] }));
  app.post('/_sandbox/clients', async (request, reply) => {
    const body = parseOr400(clientBody, request.body, 'body', reply);
    if (!body) return reply;
    const existing = state.clients.get(body.clientId);
    const client = registerClient({
      clientId: body.clientId,
      redirectUris: body.redirectUris,
      name: body.name ?? existing?.name ?? body.clientId,
      clientSecret: body.clientSecret !== undefined ? body.clientSecret : existing?.clientSecret ?? randomBytes(18).toString('base64url'),
      ...(body.scopes ?? existing?.scopes ? { scopes: body.scopes ?? existing!.scopes } : {}),
    });
    state.clients.set(client.clientId, client);
    return { client };
  });

  const settingsView = () => ({ ...state.settings, ...lifetimes() });
  const lifetimes = () => {
    const l = store.getLifetimes();
    return { accessTokenTtlMs: l.accessTtlMs, refreshTokenTtlMs: l.refreshTtlMs, codeTtlMs: l.codeTtlMs };
  };
  app.get('/_sandbox/settings', async () => settingsView());
  app.post('/_sandbox/settings', async (request, reply) => {
    const body = parseOr400(settingsBody, request.body, 'body', reply);
    if (!body) return reply;
    const { accessTokenTtlMs, refreshTokenTtlMs, codeTtlMs, ...rest } = body;
    for (const [key, value] of Object.entries(rest)) if (value !== undefined) (state.settings as unknown as Record<string, unknown>)[key] = value;
    store.setLifetimes({
      ...(accessTokenTtlMs !== undefined ? { accessTtlMs: accessTokenTtlMs } : {}),
      ...(refreshTokenTtlMs !== undefined ? { refreshTtlMs: refreshTokenTtlMs } : {}),
      ...(codeTtlMs !== undefined ? { codeTtlMs } : {}),
    });
    return settingsView();
  });

  // Secret rotation (§3.4): a new secret; both are signed with until {finish:true}.
  app.post('/_sandbox/webhook_subscriptions/:id/rotate-secret', async (request, reply) => {
    const body = parseOr400(rotateBody, request.body, 'body', reply);
    if (!body) return reply;
    const sub = state.subscriptions.get((request.params as { id: string }).id);
    if (!sub) return reply.code(404).send(controlError('not_found', 'No such webhook subscription.'));
    if (body.finish) sub.previousSecret = null;
    else {
      sub.previousSecret = sub.secret;
      sub.secret = randomBytes(24).toString('base64url');
    }
    return { id: sub.id, secret: sub.secret, previousSecret: sub.previousSecret };
  });

  // An acknowledgement times out: back to triggered, incident.unacknowledged with agent null (§2.5).
  app.post('/_sandbox/incidents/:id/ack-timeout', async (request, reply) => {
    const incident = state.incidents.get((request.params as { id: string }).id);
    if (!incident) return reply.code(404).send(controlError('not_found', 'No such incident.'));
    if (incident.status !== 'acknowledged') return reply.code(409).send(controlError('not_acknowledged', `Incident is ${incident.status}.`));
    try {
      updateIncident(ctx, incident, { status: 'triggered' }, { userId: null, clientName: null });
    } catch (error) {
      if (error instanceof PdError) return reply.code(409).send(controlError('refused', JSON.stringify(error.body)));
      throw error;
    }
    return { incident: ctx.wire.incident(incident) };
  });
}

import { z } from 'zod';
import { emptyBody, idParams, isoTime, noQuery, providerSchema } from './common.js';
import { endpoint, type ResponseBody } from './endpoint.js';

/** Machine codes of ConnectionView.statusReason (the connections module's vocabulary). */
export const connectionStatusReasonCodeSchema = z.enum([
  'disconnected_by_user',
  'access_revoked',
  'refresh_failed',
  'unauthorized_after_refresh',
  'token_lifetime_too_short',
]);
export type ConnectionStatusReasonCode = z.infer<typeof connectionStatusReasonCodeSchema>;

/** Machine codes of a failed connect attempt (ConnectAttemptView.code). */
export const connectFailureCodeSchema = z.enum([
  'access_denied',
  'authorization_error',
  'state_missing',
  'state_unknown',
  'state_reused',
  'state_expired',
  'state_other_session',
  'state_wrong_provider',
  'code_missing',
  'code_rejected',
  'token_exchange_failed',
  'token_exchange_timeout',
  'provider_unavailable',
  'insufficient_scope',
  'insufficient_role',
  'wrong_account',
  'already_connected',
  'account_lookup_failed',
  'not_admin',
  'session_required',
]);
export type ConnectFailureCode = z.infer<typeof connectFailureCodeSchema>;

export const connectionViewSchema = z.strictObject({
  provider: providerSchema,
  /**
   * `not_connected`: never connected, or disconnected by a person (the reason says who).
   * `connected`: tokens work. `disconnected`: the tokens stopped working (revoked, expired and
   * not refreshable); work for the connection is kept, paused, until someone reconnects.
   */
  status: z.enum(['not_connected', 'connected', 'disconnected']),
  /** Why the connection is not connected (null while connected or never connected). */
  statusReason: z.strictObject({ code: connectionStatusReasonCodeSchema, message: z.string(), at: isoTime }).nullable(),
  /**
   * How this hub reaches the provider: `sandbox` (the built-in stand-in), `vendor` (the real
   * service, an OAuth client is configured) or `unconfigured` (neither: connecting is impossible
   * until an operator sets the client id and secret).
   */
  mode: z.enum(['sandbox', 'vendor', 'unconfigured']),
  /** Why Connect is not possible right now (null when it is): e.g. Linear before PagerDuty. */
  connectBlockedBy: z.strictObject({ code: z.enum(['pagerduty_not_connected', 'provider_unconfigured']), message: z.string() }).nullable(),
  /** PagerDuty: the account (subdomain, region). Linear: the workspace (urlKey as subdomain). */
  account: z
    .strictObject({
      id: z.string(),
      name: z.string(),
      subdomain: z.string().nullable(),
      region: z.enum(['us', 'eu']).nullable(),
      url: z.string().nullable(),
    })
    .nullable(),
  /** The provider user whose authorization the hub uses (PagerDuty: the From e-mail). */
  connectedAs: z.strictObject({ id: z.string(), name: z.string(), email: z.string().nullable(), role: z.string().nullable() }).nullable(),
  /** The hub user who connected it, and when. */
  connectedBy: z.strictObject({ userId: z.string().nullable(), email: z.string() }).nullable(),
  connectedAt: isoTime.nullable(),
  /** Scopes the provider granted. */
  scopes: z.array(z.string()),
  /** Scopes the hub asks for (shown on the card: Linear's `admin` is needed to create webhooks). */
  requestedScopes: z.array(z.string()),
});
export type ConnectionView = z.infer<typeof connectionViewSchema>;

export const connectAttemptViewSchema = z.strictObject({
  id: z.string(),
  provider: providerSchema,
  outcome: z.enum(['pending', 'succeeded', 'failed']),
  code: connectFailureCodeSchema.nullable(),
  /** Human explanation: on success "Connected to …", on failure what went wrong and what to do. */
  message: z.string().nullable(),
  createdAt: isoTime,
  finishedAt: isoTime.nullable(),
});
export type ConnectAttemptView = z.infer<typeof connectAttemptViewSchema>;

/** What DELETE /api/connections/:provider did besides erasing the tokens. Best effort, reported. */
export const disconnectReportSchema = z.strictObject({
  /** `revoked` at the provider, `not_supported` (no revocation endpoint), `failed`, or `skipped` (nothing left to revoke). */
  revocation: z.enum(['revoked', 'not_supported', 'failed', 'skipped']),
  /** Webhooks / subscriptions the hub had created for this connection and deleted. */
  webhooksDeleted: z.number().int().nonnegative(),
  /** Anything that could not be cleaned up, in words. */
  problems: z.array(z.string()),
});
export type DisconnectReport = z.infer<typeof disconnectReportSchema>;

export const teamViewSchema = z.strictObject({ id: z.string(), name: z.string(), key: z.string() });
export type TeamView = z.infer<typeof teamViewSchema>;

const serviceViewSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  /** PagerDuty's status: active, warning, critical, maintenance, disabled. */
  status: z.string(),
  url: z.string().nullable(),
});
export type ServiceView = z.infer<typeof serviceViewSchema>;

const providerParams = z.strictObject({ provider: providerSchema });
const connectionResponseSchema = z.strictObject({ connection: connectionViewSchema });

/**
 * Connections (docs/api.md § Connections). The live lists answer 409 not_connected /
 * connection_disconnected, 502 provider_error / provider_forbidden, 503 provider_unavailable /
 * provider_rate_limited.
 */
export const connectionsApi = {
  /** GET /api/connections — both providers, always in the order PagerDuty, Linear. */
  list: endpoint({
    method: 'GET',
    path: '/api/connections',
    query: noQuery,
    status: 200,
    response: z.strictObject({ connections: z.array(connectionViewSchema) }),
  }),
  /** GET /api/connections/:provider — one card. */
  get: endpoint({
    method: 'GET',
    path: '/api/connections/:provider',
    params: providerParams,
    query: noQuery,
    status: 200,
    response: connectionResponseSchema,
  }),
  /**
   * POST /api/connections/:provider/authorize — admin: starts OAuth; the web app navigates to
   * `authorizationUrl`, and the callback redirects to `/connections?attempt=<attemptId>`.
   * 409 already_connected, pagerduty_not_connected (Linear), provider_unconfigured.
   */
  authorize: endpoint({
    method: 'POST',
    path: '/api/connections/:provider/authorize',
    params: providerParams,
    query: noQuery,
    body: emptyBody,
    status: 200,
    response: z.strictObject({ authorizationUrl: z.string(), attemptId: z.string() }),
  }),
  /** DELETE /api/connections/:provider — admin: Disconnect. 409 not_connected. */
  disconnect: endpoint({
    method: 'DELETE',
    path: '/api/connections/:provider',
    params: providerParams,
    query: noQuery,
    status: 200,
    response: z.strictObject({ connection: connectionViewSchema, report: disconnectReportSchema }),
  }),
  /** GET /api/connections/attempts/:id — the outcome of one Connect click (own attempts only). */
  attempt: endpoint({
    method: 'GET',
    path: '/api/connections/attempts/:id',
    params: idParams,
    query: noQuery,
    status: 200,
    response: z.strictObject({ attempt: connectAttemptViewSchema }),
  }),
  /** GET /api/connections/pagerduty/services — every page, fetched live. */
  pagerdutyServices: endpoint({
    method: 'GET',
    path: '/api/connections/pagerduty/services',
    query: noQuery,
    status: 200,
    response: z.strictObject({ services: z.array(serviceViewSchema), loadedAt: isoTime }),
  }),
  /** GET /api/connections/linear/teams — every page, fetched live. */
  linearTeams: endpoint({
    method: 'GET',
    path: '/api/connections/linear/teams',
    query: noQuery,
    status: 200,
    response: z.strictObject({ teams: z.array(teamViewSchema), loadedAt: isoTime }),
  }),
};

export type ConnectionsResponse = ResponseBody<typeof connectionsApi.list>;
export type ConnectionResponse = ResponseBody<typeof connectionsApi.get>;
export type AuthorizeResponse = ResponseBody<typeof connectionsApi.authorize>;
export type DisconnectResponse = ResponseBody<typeof connectionsApi.disconnect>;
export type ConnectAttemptResponse = ResponseBody<typeof connectionsApi.attempt>;
export type ServicesResponse = ResponseBody<typeof connectionsApi.pagerdutyServices>;
export type TeamsResponse = ResponseBody<typeof connectionsApi.linearTeams>;

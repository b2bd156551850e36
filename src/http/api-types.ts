/**
 * Request and response bodies of the JSON API, shared by the server and the web app
 * (web/src/api imports these types). Times are ISO-8601 strings. Errors always have the
 * shape of {@link ApiError}. docs/api.md documents every endpoint.
 */

export interface ApiError {
  error: { code: string; message: string; details?: unknown };
}

/** `details` of 400 invalid_body / invalid_query / invalid_params: one entry per problem. */
export type ValidationDetails = { path: string; message: string }[];

/** `details` of 429 too_many_attempts (also sent as the Retry-After header). */
export interface TooManyAttemptsDetails {
  retryAfterSeconds: number;
}

export type Role = 'admin' | 'viewer';

/**
 * Shortest password the hub accepts when one is set (the web app checks it before sending).
 * Besides length, a new password must not be common, predictable or mostly the person's
 * e-mail, name or organisation name: 400 `weak_password`, details [{path, message}].
 */
export const MIN_PASSWORD_LENGTH = 12;

/** GET /api/meta — public. */
export interface MetaResponse {
  version: string;
  /** True until the first admin exists: the web app then shows "Create the first admin". */
  setupRequired: boolean;
  /** True when the hub talks to the built-in sandbox instead of the real vendors. */
  sandboxMode: boolean;
  /** In sandbox mode: the pages where a person acts as a PagerDuty responder or a Linear user. */
  sandbox: { pagerdutyUrl: string; linearUrl: string } | null;
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
  /** `deactivated`: cannot log in and has no session until an admin reactivates them. */
  status: 'active' | 'deactivated';
  deactivatedAt: string | null;
  /**
   * True after an admin reset the password: until the user changes it (POST
   * /api/session/password), their sessions are refused everything else (403
   * password_change_required) but GET /api/session and log-out.
   */
  mustChangePassword: boolean;
}

export interface OrganisationView {
  id: string;
  name: string;
  createdAt: string;
}

/**
 * GET /api/session, and the answer to POST /api/session (log in) and POST /api/setup.
 * `csrfToken` must be sent as the X-CSRF-Token header on every state-changing request.
 */
export interface SessionResponse {
  user: UserView;
  organisation: OrganisationView;
  csrfToken: string;
}

/**
 * POST /api/setup — only while no user exists; creates the organisation and its first admin
 * and logs them in (answers SessionResponse). The password must be at least 12 characters.
 */
export interface SetupRequest {
  organisationName: string;
  name: string;
  email: string;
  password: string;
}

/** POST /api/session */
export interface LoginRequest {
  email: string;
  password: string;
}

/** GET /api/users */
export interface UsersResponse {
  users: UserView[];
}

/** POST /api/users (admin); the password must be at least 12 characters. */
export interface CreateUserRequest {
  email: string;
  name: string;
  password: string;
  role: Role;
}

/** GET /api/users/:id, and the answer to POST /api/users and PATCH /api/users/:id. */
export interface UserResponse {
  user: UserView;
}

/** PATCH /api/users/:id (admin); at least one field. */
export interface UpdateUserRequest {
  name?: string;
  role?: Role;
}

/**
 * POST /api/users/:id/deactivate, POST /api/users/:id/reactivate (admin) answer UserResponse.
 * Deactivating ends all the user's sessions at once; 409 last_admin for the last active admin.
 * DELETE /api/users/:id (admin) removes the user (204); 409 last_admin likewise.
 */

/** DELETE /api/users/:id/sessions (admin): every session of the user ended; they can log in again. */
export interface EndSessionsResponse {
  sessionsEnded: number;
}

/**
 * POST /api/users/:id/password-reset (admin): a random temporary password, shown this once
 * (the hub keeps only its hash). All the user's sessions end; they must change it at their
 * next log-in (`user.mustChangePassword`).
 */
export interface PasswordResetResponse {
  user: UserView;
  temporaryPassword: string;
}

/**
 * POST /api/session/password — change one's own password (answers SessionResponse). Every other
 * session of the user ends; this one stays. 400 wrong_password (the current one is wrong),
 * 400 weak_password, 400 password_unchanged, 429 too_many_attempts (counted with log-ins).
 */
export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

/** GET /api/organisation, PATCH /api/organisation (admin) */
export interface OrganisationResponse {
  organisation: OrganisationView;
}

export interface UpdateOrganisationRequest {
  name: string;
}

// ---------------------------------------------------------------------------------------------
// Connections (docs/api.md § Connections)

export type Provider = 'pagerduty' | 'linear';

/**
 * `not_connected`: never connected, or disconnected by a person (the reason says who).
 * `connected`: tokens work. `disconnected`: the tokens stopped working (revoked, expired and
 * not refreshable); work for the connection is kept, paused, until someone reconnects.
 */
export type ConnectionStatus = 'not_connected' | 'connected' | 'disconnected';

/** Machine codes of ConnectionView.statusReason. */
export type ConnectionStatusReasonCode =
  | 'disconnected_by_user'
  | 'access_revoked'
  | 'refresh_failed'
  | 'unauthorized_after_refresh'
  | 'token_lifetime_too_short';

export interface ConnectionView {
  provider: Provider;
  status: ConnectionStatus;
  /** Why the connection is not connected (null while connected or never connected). */
  statusReason: { code: ConnectionStatusReasonCode; message: string; at: string } | null;
  /**
   * How this hub reaches the provider: `sandbox` (the built-in stand-in), `vendor` (the real
   * service, an OAuth client is configured) or `unconfigured` (neither: connecting is impossible
   * until an operator sets the client id and secret).
   */
  mode: 'sandbox' | 'vendor' | 'unconfigured';
  /** Why Connect is not possible right now (null when it is): e.g. Linear before PagerDuty. */
  connectBlockedBy: { code: 'pagerduty_not_connected' | 'provider_unconfigured'; message: string } | null;
  /** PagerDuty: the account (subdomain, region). Linear: the workspace (urlKey as subdomain). */
  account: { id: string; name: string; subdomain: string | null; region: 'us' | 'eu' | null; url: string | null } | null;
  /** The provider user whose authorization the hub uses (PagerDuty: the From e-mail). */
  connectedAs: { id: string; name: string; email: string | null; role: string | null } | null;
  /** The hub user who connected it, and when. */
  connectedBy: { userId: string | null; email: string } | null;
  connectedAt: string | null;
  /** Scopes the provider granted. */
  scopes: string[];
  /** Scopes the hub asks for (shown on the card: Linear's `admin` is needed to create webhooks). */
  requestedScopes: string[];
}

/** GET /api/connections — both providers, always in the order PagerDuty, Linear. */
export interface ConnectionsResponse {
  connections: ConnectionView[];
}

/** GET /api/connections/:provider, and the answer to DELETE /api/connections/:provider. */
export interface ConnectionResponse {
  connection: ConnectionView;
}

/**
 * POST /api/connections/:provider/authorize (admin) — starts OAuth: the web app navigates to
 * `authorizationUrl`. The provider sends the browser back to /oauth/:provider/callback, which
 * redirects to `/connections?attempt=<attemptId>`.
 * Errors: 409 already_connected, 409 pagerduty_not_connected (Linear), 409 provider_unconfigured.
 */
export interface AuthorizeResponse {
  authorizationUrl: string;
  attemptId: string;
}

/** Machine codes of a failed connect attempt (ConnectAttemptView.code). */
export type ConnectFailureCode =
  | 'access_denied'
  | 'authorization_error'
  | 'state_missing'
  | 'state_unknown'
  | 'state_reused'
  | 'state_expired'
  | 'state_other_session'
  | 'state_wrong_provider'
  | 'code_missing'
  | 'code_rejected'
  | 'token_exchange_failed'
  | 'token_exchange_timeout'
  | 'provider_unavailable'
  | 'insufficient_scope'
  | 'insufficient_role'
  | 'wrong_account'
  | 'already_connected'
  | 'account_lookup_failed'
  | 'not_admin'
  | 'session_required';

/** GET /api/connections/attempts/:id — the outcome of one Connect click (own attempts only). */
export interface ConnectAttemptView {
  id: string;
  provider: Provider;
  outcome: 'pending' | 'succeeded' | 'failed';
  code: ConnectFailureCode | null;
  /** Human explanation: on success "Connected to …", on failure what went wrong and what to do. */
  message: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface ConnectAttemptResponse {
  attempt: ConnectAttemptView;
}

/** What DELETE /api/connections/:provider did besides erasing the tokens. Best effort, reported. */
export interface DisconnectReport {
  /** `revoked` at the provider, `not_supported` (PagerDuty has no revocation endpoint), or `failed`. */
  revocation: 'revoked' | 'not_supported' | 'failed' | 'skipped';
  /** Webhooks / subscriptions the hub had created for this connection and deleted. */
  webhooksDeleted: number;
  /** Anything that could not be cleaned up, in words. */
  problems: string[];
}

export interface DisconnectResponse extends ConnectionResponse {
  report: DisconnectReport;
}

/**
 * GET /api/connections/pagerduty/services and GET /api/connections/linear/teams: every page,
 * fetched live. Errors: 409 not_connected, 409 connection_disconnected (the card's reason
 * changes too), 502 provider_error / provider_forbidden, 503 provider_unavailable / provider_rate_limited.
 */
export interface ServiceView {
  id: string;
  name: string;
  /** PagerDuty's status: active, warning, critical, maintenance, disabled. */
  status: string;
  url: string | null;
}

export interface ServicesResponse {
  services: ServiceView[];
  loadedAt: string;
}

export interface TeamView {
  id: string;
  name: string;
  key: string;
}

export interface TeamsResponse {
  teams: TeamView[];
  loadedAt: string;
}

// ---------------------------------------------------------------------------------------------
// Webhooks (docs/api.md § Webhooks)

/** A Linear team webhook the hub created. */
export interface LinearWebhookView {
  id: string;
  teamId: string;
  teamName: string;
  /**
   * `active`; `failing` (active at Linear, but the hub refused its latest deliveries — bad
   * signature, stale timestamp, malformed body — and accepted none since; statusDetail says why);
   * `disabled` (Linear disabled it, e.g. after failed deliveries, or someone did);
   * `missing` (deleted at Linear); `unknown` (being created). When Linear cannot be reached the
   * last checked status is shown and `teamsError` says why.
   */
  status: 'active' | 'failing' | 'disabled' | 'missing' | 'unknown';
  /** Words for the status (why it is not active, or what the last check said). */
  statusDetail: string | null;
  /** Where Linear delivers: ${PUBLIC_URL}/webhooks/linear/<id>. */
  url: string;
  lastDeliveryAt: string | null;
  createdAt: string;
  createdBy: string | null;
}

/** A team of the connected workspace and its hub webhook, if any (at most one per team). */
export interface TeamWebhookRow {
  team: TeamView;
  webhook: LinearWebhookView | null;
}

/** A PagerDuty v3 webhook subscription the hub created for one service. */
export interface PagerDutySubscriptionView {
  id: string;
  serviceId: string;
  serviceName: string;
  /**
   * `temporarily_disabled`: PagerDuty stopped delivering after failures — needs attention
   * (Re-enable). `failing`: as for Linear webhooks.
   */
  status: 'active' | 'failing' | 'temporarily_disabled' | 'disabled' | 'missing' | 'unknown';
  statusDetail: string | null;
  url: string;
  lastDeliveryAt: string | null;
  createdAt: string;
}

/**
 * GET /api/webhooks — any logged-in user. Linear teams are read live (like GET
 * /api/connections/linear/teams); when that fails, `linear.teamsError` says why and `teams`
 * lists only the teams that have a hub webhook. `linear.blockedBy` is set while Linear is not
 * connected (creating and deleting are then refused with the same code).
 */
export interface WebhooksResponse {
  linear: {
    blockedBy: { code: 'not_connected' | 'connection_disconnected'; message: string } | null;
    teams: TeamWebhookRow[];
    teamsError: { code: string; message: string } | null;
  };
  pagerduty: {
    subscriptions: PagerDutySubscriptionView[];
  };
}

/**
 * POST /api/webhooks/linear — admin: creates the team's webhook. 409 webhook_exists (one per
 * team), 409 not_connected / connection_disconnected, 404 team_not_found, 502 provider_forbidden
 * (the token lacks the admin scope or the user is not a workspace admin).
 */
export interface CreateLinearWebhookRequest {
  teamId: string;
}

export interface LinearWebhookResponse {
  webhook: LinearWebhookView;
}

/** DELETE /api/webhooks/linear/:id — admin: deletes it at Linear and in the hub (204). */

/** POST /api/webhooks/pagerduty/:id/enable — admin: Re-enable a temporarily disabled subscription. */
export interface PagerDutySubscriptionResponse {
  subscription: PagerDutySubscriptionView;
}

// ---------------------------------------------------------------------------------------------
// Activity (docs/api.md § Activity)

/** One webhook request the hub accepted (forged, stale and malformed ones are refused, not listed). */
export interface DeliveryView {
  id: string;
  provider: Provider;
  /** The team (Linear) or service (PagerDuty) the webhook belongs to. */
  scope: { kind: 'team' | 'service'; id: string; name: string };
  /** Linear `Issue.create`, `Comment.update`…; PagerDuty `incident.acknowledged`… */
  eventType: string;
  entity: { type: string; id: string; label: string | null };
  receivedAt: string;
  /**
   * `received`: stored, its job queued (or waiting: the connection is Disconnected);
   * `processed`; `ignored` (not for this connection, e.g. another workspace); `failed`.
   */
  outcome: 'received' | 'processed' | 'ignored' | 'failed';
  outcomeDetail: string | null;
  /** Further copies of this delivery the provider sent (retries), absorbed without new work. */
  duplicates: number;
  jobId: string | null;
}

export interface JobView {
  id: string;
  kind: string;
  lane: string | null;
  status: 'queued' | 'running' | 'succeeded' | 'dead';
  attempts: number;
  maxAttempts: number;
  /** When it runs next (queued), null otherwise. */
  nextRunAt: string | null;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

/**
 * GET /api/activity/deliveries?provider=&outcome=&cursor=&limit= and
 * GET /api/activity/jobs?status=&kind=&cursor=&limit= — any logged-in user; newest first;
 * `limit` 1–100 (default 50); pass `nextCursor` back as `cursor` for the next page (null: no more).
 */
export interface DeliveriesResponse {
  deliveries: DeliveryView[];
  nextCursor: string | null;
}

export interface JobsResponse {
  jobs: JobView[];
  nextCursor: string | null;
}

/** POST /api/activity/jobs/:id/replay — admin: a dead job runs again with fresh attempts. 409 job_not_dead. */
export interface JobResponse {
  job: JobView;
}

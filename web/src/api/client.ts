import type {
  ApiError,
  AuthorizeResponse,
  ChangePasswordRequest,
  ImportResponse,
  ImportRulesRequest,
  ConnectAttemptResponse,
  ConnectionsResponse,
  CreateLinearWebhookRequest,
  CreateRuleRequest,
  CreateUserRequest,
  DeliveriesQuery,
  DeliveriesResponse,
  DisconnectResponse,
  DryRunResponse,
  EndSessionsResponse,
  JobResponse,
  JobsQuery,
  JobsResponse,
  LinearWebhookResponse,
  LinkResponse,
  LinksQuery,
  LinksResponse,
  LoginRequest,
  MetaResponse,
  OrganisationResponse,
  PagerDutyCatalog,
  PageSkippedResponse,
  ReconciliationResponse,
  PagerDutySubscriptionResponse,
  PasswordResetResponse,
  Provider,
  RuleResponse,
  RulesDocument,
  ResyncResponse,
  RulesResponse,
  RuleView,
  ServicesResponse,
  SessionResponse,
  SetupRequest,
  SkippedQuery,
  SkippedResponse,
  TeamCatalog,
  TeamsResponse,
  TestRuleDraftRequest,
  UpdateOrganisationRequest,
  UpdateRuleRequest,
  UpdateUserRequest,
  UserResponse,
  UsersResponse,
  WebhooksResponse,
  WebhooksRefreshResponse,
} from '../../../src/api/index.js';

/** One problem with one field, from a 400 `invalid_body` answer's details. */
export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * Every failed call, as a value the UI can show: `message` is the hub's sentence for people
 * (or ours when the hub could not be reached), `code` the machine-readable reason.
 */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }

  /**
   * Field name → first message, for 400 answers whose details are [{path, message}]. The hub
   * words them to follow the field's name ("must be an e-mail address"); shown under the
   * field's label they read as a sentence.
   */
  fieldErrors(): Record<string, string> {
    const result: Record<string, string> = {};
    for (const problem of fieldProblems(this.details)) {
      if (problem.path !== '' && result[problem.path] === undefined) result[problem.path] = asSentence(problem.message);
    }
    return result;
  }
}

function asSentence(message: string): string {
  const text = message.trim();
  if (text === '') return text;
  const capitalised = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capitalised) ? capitalised : `${capitalised}.`;
}

function fieldProblems(details: unknown): FieldProblem[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const { path, message } = item as { path?: unknown; message?: unknown };
    if (typeof message !== 'string') return [];
    const name = Array.isArray(path) ? path.map(String).join('.') : typeof path === 'string' ? path : '';
    return [{ path: name, message }];
  });
}

/** Any non-empty value satisfies the CSRF check before a session exists. */
const ANONYMOUS_CSRF = 'anonymous';

let csrfToken: string | undefined;
let onSessionLost: (() => void) | undefined;

/** Remembers the session's CSRF token (undefined after logging out). */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when an authenticated call answers 401: the session expired or was revoked. */
export function setSessionLostHandler(handler: (() => void) | undefined): void {
  onSessionLost = handler;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface RequestOptions {
  /** A 401 is an expected answer here (log in, session check): don't report a lost session. */
  expectUnauthenticated?: boolean;
}

export async function request<T>(method: Method, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken ?? ANONYMOUS_CSRF;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiRequestError(0, 'network_error', 'Could not reach the hub. Check your connection and try again.');
  }

  const payload: unknown = await readJson(response);
  if (response.ok) return payload as T;

  const error = toError(response, payload);
  if (error.status === 401 && options.expectUnauthenticated !== true) onSessionLost?.();
  throw error;
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A failed answer's body is read as the contract's `ApiError` only as far as it proves to be one (a proxy may answer instead). */
function toError(response: Response, payload: unknown): ApiRequestError {
  const error = typeof payload === 'object' && payload !== null ? (payload as { error?: unknown }).error : undefined;
  if (typeof error === 'object' && error !== null) {
    const { code, message, details } = error as Partial<Record<keyof ApiError['error'], unknown>>;
    if (typeof message === 'string') return new ApiRequestError(response.status, String(code), message, details);
  }
  const reason = response.statusText === '' ? '' : ` ${response.statusText}`;
  return new ApiRequestError(response.status, 'http_error', `The hub answered ${response.status}${reason}. Try again in a moment.`);
}

/** `path?name=value…` with the set values only, in the order given. */
export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text === '' ? path : `${path}?${text}`;
}

const id = (value: string): string => encodeURIComponent(value);

/** The JSON API of the contract (src/api), one function per endpoint; types only, so no zod here. */
export const api = {
  meta: () => request<MetaResponse>('GET', '/api/meta'),
  setup: (body: SetupRequest) => request<SessionResponse>('POST', '/api/setup', body, { expectUnauthenticated: true }),
  session: () => request<SessionResponse>('GET', '/api/session', undefined, { expectUnauthenticated: true }),
  logIn: (body: LoginRequest) => request<SessionResponse>('POST', '/api/session', body, { expectUnauthenticated: true }),
  logOut: () => request<undefined>('DELETE', '/api/session', undefined, { expectUnauthenticated: true }),
  users: () => request<UsersResponse>('GET', '/api/users'),
  createUser: (body: CreateUserRequest) => request<UserResponse>('POST', '/api/users', body),
  updateUser: (id: string, body: UpdateUserRequest) => request<UserResponse>('PATCH', `/api/users/${encodeURIComponent(id)}`, body),
  /** Ends all their sessions at once; 409 last_admin for the last active admin. */
  deactivateUser: (userId: string) => request<UserResponse>('POST', `/api/users/${id(userId)}/deactivate`, {}),
  reactivateUser: (userId: string) => request<UserResponse>('POST', `/api/users/${id(userId)}/reactivate`, {}),
  /** Answers 204; 409 last_admin for the last active admin. */
  removeUser: (userId: string) => request<undefined>('DELETE', `/api/users/${id(userId)}`),
  endUserSessions: (userId: string) => request<EndSessionsResponse>('DELETE', `/api/users/${id(userId)}/sessions`),
  /** The temporary password is in this answer only: show it once, keep it nowhere. */
  resetUserPassword: (userId: string) => request<PasswordResetResponse>('POST', `/api/users/${id(userId)}/password-reset`, {}),
  /** Ends the user's other sessions; this one stays (answers the updated session). */
  changePassword: (body: ChangePasswordRequest) => request<SessionResponse>('POST', '/api/session/password', body),
  organisation: () => request<OrganisationResponse>('GET', '/api/organisation'),
  updateOrganisation: (body: UpdateOrganisationRequest) => request<OrganisationResponse>('PATCH', '/api/organisation', body),
  connections: () => request<ConnectionsResponse>('GET', '/api/connections'),
  /** Starts OAuth; the caller then sends the browser to `authorizationUrl`. */
  authorizeConnection: (provider: Provider) => request<AuthorizeResponse>('POST', `/api/connections/${provider}/authorize`, {}),
  connectAttempt: (id: string) => request<ConnectAttemptResponse>('GET', `/api/connections/attempts/${encodeURIComponent(id)}`),
  disconnect: (provider: Provider) => request<DisconnectResponse>('DELETE', `/api/connections/${provider}`),
  pagerdutyServices: () => request<ServicesResponse>('GET', '/api/connections/pagerduty/services'),
  linearTeams: () => request<TeamsResponse>('GET', '/api/connections/linear/teams'),
  webhooks: () => request<WebhooksResponse>('GET', '/api/webhooks'),
  refreshWebhooks: () => request<WebhooksRefreshResponse>('POST', '/api/webhooks/refresh', {}),
  createLinearWebhook: (body: CreateLinearWebhookRequest) => request<LinearWebhookResponse>('POST', '/api/webhooks/linear', body),
  /** Deletes it at Linear and in the hub; answers 204. */
  deleteLinearWebhook: (webhookId: string) => request<undefined>('DELETE', `/api/webhooks/linear/${id(webhookId)}`),
  enablePagerDutySubscription: (subscriptionId: string) =>
    request<PagerDutySubscriptionResponse>('POST', `/api/webhooks/pagerduty/${id(subscriptionId)}/enable`, {}),
  deliveries: (query: DeliveriesQuery = {}) =>
    request<DeliveriesResponse>(
      'GET',
      withQuery('/api/activity/deliveries', { provider: query.provider, outcome: query.outcome, cursor: query.cursor, limit: query.limit }),
    ),
  jobs: (query: JobsQuery = {}) =>
    request<JobsResponse>(
      'GET',
      withQuery('/api/activity/jobs', { status: query.status, kind: query.kind, cursor: query.cursor, limit: query.limit }),
    ),
  /** Issues rules skipped (paused by the safety valve, or needing attention), newest first. */
  skipped: (query: SkippedQuery = {}) =>
    request<SkippedResponse>('GET', withQuery('/api/activity/skipped', { rule: query.rule, cursor: query.cursor, limit: query.limit })),
  /** The reconciliation: the last sweep, the one in progress, the next, and what it healed (newest first, paged). */
  reconciliation: (query: { cursor?: string | undefined; limit?: number | undefined } = {}) =>
    request<ReconciliationResponse>('GET', withQuery('/api/activity/reconciliation', { cursor: query.cursor, limit: query.limit })),
  /** Reconcile now (admins): the organisation's next sweep runs at once; answers its job's id. */
  reconcileNow: () => request<{ jobId: string }>('POST', '/api/activity/reconciliation/run', {}),
  /** Page now: pages a skipped issue after all; 409 skip_paged_already. */
  pageSkipped: (skipId: string) => request<PageSkippedResponse>('POST', `/api/activity/skipped/${id(skipId)}/page`, {}),
  /** Links (issue ↔ incident), the latest activity first. */
  links: (query: LinksQuery = {}) =>
    request<LinksResponse>('GET', withQuery('/api/links', { q: query.q, status: query.status, rule: query.rule, cursor: query.cursor, limit: query.limit })),
  /** One link and its two-way timeline. */
  link: (linkId: string) => request<LinkResponse>('GET', `/api/links/${id(linkId)}`),
  /** Re-sync now (admins): queued in the pair's lane. */
  resyncLink: (linkId: string) => request<ResyncResponse>('POST', `/api/links/${id(linkId)}/resync`, {}),
  /** A dead job runs again with fresh attempts; 409 job_not_dead otherwise. */
  replayJob: (jobId: string) => request<JobResponse>('POST', `/api/activity/jobs/${id(jobId)}/replay`, {}),
  /** The rules in evaluation order, the checklist of what rules need, and why they cannot be edited now. */
  rules: () => request<RulesResponse>('GET', '/api/rules'),
  rule: (ruleId: string) => request<RuleResponse>('GET', `/api/rules/${id(ruleId)}`),
  createRule: (body: CreateRuleRequest) => request<{ rule: RuleView }>('POST', '/api/rules', body),
  /** 409 rule_changed when `version` is not the rule's current one. */
  updateRule: (ruleId: string, body: UpdateRuleRequest) => request<{ rule: RuleView }>('PATCH', `/api/rules/${id(ruleId)}`, body),
  /** Answers 204. */
  removeRule: (ruleId: string) => request<undefined>('DELETE', `/api/rules/${id(ruleId)}`),
  /** Every rule's id once, in the new evaluation order; 409 rules_changed otherwise. */
  reorderRules: (order: string[]) => request<{ rules: RuleView[] }>('POST', '/api/rules/reorder', { order }),
  enableRule: (ruleId: string) => request<{ rule: RuleView }>('POST', `/api/rules/${id(ruleId)}/enable`, {}),
  disableRule: (ruleId: string) => request<{ rule: RuleView }>('POST', `/api/rules/${id(ruleId)}/disable`, {}),
  resumeRule: (ruleId: string) => request<{ rule: RuleView }>('POST', `/api/rules/${id(ruleId)}/resume`, {}),
  /** The dry-run of unsaved form values (in a saved rule's place with `ruleId`). */
  testRuleDraft: (body: TestRuleDraftRequest) => request<DryRunResponse>('POST', '/api/rules/test', body),
  /** The dry-run of a saved rule where it stands in the order. */
  testRule: (ruleId: string) => request<DryRunResponse>('POST', `/api/rules/${id(ruleId)}/test`, {}),
  exportRules: () => request<RulesDocument>('GET', '/api/rules/export'),
  /** `apply: false` answers the plan only; `apply: true` applies it all or nothing. */
  importRules: (body: ImportRulesRequest) => request<ImportResponse>('POST', '/api/rules/import', body),
  ruleTeamCatalog: (teamId: string) => request<TeamCatalog>('GET', `/api/rules/catalog/teams/${id(teamId)}`),
  rulePagerDutyCatalog: () => request<PagerDutyCatalog>('GET', '/api/rules/catalog/pagerduty'),
};

export type { DeliveriesQuery, JobsQuery, MetaResponse, OrganisationView, Role, SessionResponse, UserView } from '../../../src/api/index.js';
export type {
  ConnectAttemptView,
  ConnectionView,
  DisconnectReport,
  Provider,
  ServiceView,
  TeamView,
} from '../../../src/api/index.js';
export type {
  DeliveryView,
  HealedView,
  JobView,
  LastRepairView,
  ReconciliationResponse,
  LinearWebhookView,
  ProviderRepairView,
  SkippedIssueView,
  SweepView,
  PagerDutySubscriptionView,
  TeamWebhookRow,
  WebhooksResponse,
  WebhooksRefreshResponse,
} from '../../../src/api/index.js';
export type {
  DryRunIssue,
  DryRunResponse,
  ImportResponse,
  NamedRef,
  PagerDutyCatalog,
  RuleHistoryEntry,
  RuleInput,
  RulesDocument,
  RulesResponse,
  RuleStatusType,
  RuleUrgencyChoice,
  RuleView,
  TeamCatalog,
} from '../../../src/api/index.js';
export type { LinkResponse, LinksQuery, LinkStatusValue, LinkView, TimelineEntryView } from '../../../src/api/index.js';

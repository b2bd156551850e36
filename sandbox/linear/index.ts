import type { FastifyBaseLogger } from 'fastify';
import { SandboxClock } from '../common/clock.js';
import { registerCommonControl } from '../common/control.js';
import { FaultPlan } from '../common/faults.js';
import { OAuthStore } from '../common/oauth-store.js';
import { registerRequestLog, RequestLog } from '../common/request-log.js';
import { createSandboxFastify, type SandboxServer } from '../common/server.js';
import type { WebhookDispatcher } from '../common/webhook-dispatcher.js';
import type { LinearSandboxContext, LinearSettings } from './context.js';
import { registerLinearControl } from './control.js';
import { registerLinearErrorHandling } from './errors.js';
import { registerLinearFaults } from './faults.js';
import type { LinearServices } from './graphql/context.js';
import { filterSpecs } from './graphql/filter-specs.js';
import { LINEAR_RATE_LIMITS, RateLimiter, type RateLimitConfig } from './graphql/rate-limit.js';
import { registerGraphql } from './graphql/route.js';
import { buildLinearSchema } from './graphql/schema.js';
import { registerAuthorize } from './oauth/authorize.js';
import { ClientRegistry, DEFAULT_CLIENTS, type LinearClientConfig } from './oauth/clients.js';
import { registerRevoke } from './oauth/revoke.js';
import { registerToken } from './oauth/token.js';
import { registerPageActions } from './pages/actions.js';
import { registerPages } from './pages/routes.js';
import { registerStyle } from './pages/style.js';
import { buildSeed } from './seed.js';
import { defaultLinearSettings } from './settings.js';
import { LinearState } from './state.js';
import { LinearUrls } from './urls.js';
import { LINEAR_RETRY_SCHEDULE_MS, LinearWebhookSender } from './webhooks.js';

const HOUR = 3_600_000;

export interface LinearSandboxOptions {
  /** Where this server is reachable, e.g. http://localhost:4020 (used in entity URLs). */
  baseUrl: string;
  /** Default: a new SandboxClock (real time). Share one with the PagerDuty stand-in to move both. */
  clock?: SandboxClock;
  /** Delays before webhook retries; default 1 min, 1 h, 6 h (API-NOTES §3.1). Tests pass small values. */
  retryScheduleMs?: number[];
  /** Per-attempt delivery timeout; default 5000 ms (§3.1). */
  deliveryTimeoutMs?: number;
  /** Access tokens; default 24 h (`expires_in` 86399, §1.4). */
  accessTokenTtlMs?: number;
  /** Refresh tokens; default null = never expire (their lifetime is not documented, §1.5). */
  refreshTokenTtlMs?: number | null;
  /** Authorization codes; default 10 min (not documented, §1.2). */
  codeTtlMs?: number;
  /** OAuth apps; default the `integration-hub-sandbox` client (oauth/clients.ts). */
  clients?: LinearClientConfig[];
  /** Default page size of connections; default 10 (Linear: 50, §2.4) so clients must page. */
  pageSize?: number;
  /** Rate limits; default Linear's published numbers (graphql/rate-limit.ts). */
  rateLimits?: RateLimitConfig;
  /** Disable a webhook after this many deliveries in a row were dropped; default 3, null = never. */
  disableWebhookAfterDrops?: number | null;
  /** AUTHENTICATION_ERROR status; default 400. */
  authErrorStatus?: 400 | 401;
  /** false (default) = silent; or a pino logger. */
  logger?: false | FastifyBaseLogger;
}

export interface LinearSandbox extends SandboxServer {
  state: LinearState;
  clock: SandboxClock;
  store: OAuthStore;
  clients: ClientRegistry;
  dispatcher: WebhookDispatcher;
  faults: FaultPlan;
  requests: RequestLog;
  /** Routes and services, for tests that drive the domain directly. */
  context: LinearSandboxContext;
}

/** Builds the Linear stand-in (OAuth + GraphQL + webhooks + page + control API), not listening. */
export async function createLinearSandbox(options: LinearSandboxOptions): Promise<LinearSandbox> {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const clock = options.clock ?? new SandboxClock();
  const state = new LinearState(buildSeed);
  const clients = new ClientRegistry(options.clients ?? DEFAULT_CLIENTS);
  const store = new OAuthStore({
    clock,
    codeTtlMs: options.codeTtlMs ?? 10 * 60_000,
    accessTtlMs: options.accessTokenTtlMs ?? 24 * HOUR,
    refreshTtlMs: options.refreshTokenTtlMs ?? null,
    tokenPrefix: 'lin_oauth_',
  });
  const faults = new FaultPlan();
  const requests = new RequestLog();
  const urls = new LinearUrls(baseUrl, state);
  const sender = new LinearWebhookSender({
    state,
    clock,
    faults,
    retryScheduleMs: options.retryScheduleMs ?? LINEAR_RETRY_SCHEDULE_MS,
    timeoutMs: options.deliveryTimeoutMs ?? 5000,
    disableAfterDrops: options.disableWebhookAfterDrops === undefined ? 3 : options.disableWebhookAfterDrops,
  });
  const initialSettings = (): LinearSettings => defaultLinearSettings(options.authErrorStatus ?? 400);
  const limiter = new RateLimiter(clock, options.rateLimits ?? LINEAR_RATE_LIMITS);
  const services: LinearServices = {
    state,
    clock,
    urls,
    specs: filterSpecs(state),
    pageSize: options.pageSize ?? 10,
    archivedLookups: 'returned',
    limiter,
    deps: { state, clock, urls, emit: (event) => sender.emit(event), forgetDeliveries: (id) => sender.forget(id), settings: () => ctx.settings },
  };
  const ctx: LinearSandboxContext = { baseUrl, clock, state, store, clients, faults, requests, sender, limiter, urls, services, settings: initialSettings() };

  const app = await createSandboxFastify(options.logger ? { logger: options.logger } : {});
  registerLinearErrorHandling(app);
  // Only API calls are logged: the page's own GETs would drown them.
  registerRequestLog(app, requests, clock, { skip: (path) => path !== '/graphql' && !path.startsWith('/oauth/') });
  registerLinearFaults(app, ctx);
  registerAuthorize(app, ctx);
  registerToken(app, ctx);
  registerRevoke(app, ctx);
  registerGraphql(app, ctx, buildLinearSchema());
  registerStyle(app);
  registerPages(app, ctx);
  registerPageActions(app, ctx);

  /** Back to the seed: data, tokens, deliveries, faults, requests, clock, settings. Clients stay registered. */
  const reset = async () => {
    sender.reset();
    state.reset();
    store.reset();
    limiter.config = options.rateLimits ?? LINEAR_RATE_LIMITS;
    limiter.reset();
    faults.reset();
    requests.reset();
    clock.reset();
    ctx.settings = initialSettings();
    services.pageSize = options.pageSize ?? 10;
    services.archivedLookups = 'returned';
  };
  registerCommonControl(app, { clock, faults, requests, dispatcher: sender.dispatcher, reset });
  registerLinearControl(app, ctx);

  return {
    app,
    state,
    clock,
    store,
    clients,
    dispatcher: sender.dispatcher,
    faults,
    requests,
    context: ctx,
    reset,
    close: async () => {
      await sender.dispatcher.close();
      await app.close();
    },
  };
}

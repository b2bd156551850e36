import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { SandboxClock } from '../common/clock.js';
import { registerCommonControl } from '../common/control.js';
import { FaultPlan } from '../common/faults.js';
import { OAuthStore } from '../common/oauth-store.js';
import { registerRequestLog, RequestLog } from '../common/request-log.js';
import { createSandboxFastify, type SandboxServer } from '../common/server.js';
import { WebhookDispatcher } from '../common/webhook-dispatcher.js';
import type { PdContext } from './context.js';
import { registerPagerDutyControl } from './control.js';
import { registerPdErrorHandling } from './errors.js';
import { registerHooks } from './hooks.js';
import { registerAuthorize } from './oauth/authorize.js';
import { DEFAULT_CLIENTS, type PagerDutyClientConfig } from './oauth/clients.js';
import { registerDiscovery } from './oauth/discovery.js';
import { IdTokenSigner } from './oauth/id-token.js';
import { registerToken } from './oauth/token.js';
import { registerResponderPage } from './pages/responder.js';
import { RateLimiter } from './rate-limit.js';
import { registerRest } from './rest/index.js';
import { Wire } from './serializers.js';
import { PagerDutyState } from './state.js';
import { Urls } from './urls.js';
import { Webhooks } from './webhooks.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Default delays before retries 1…11: about 44 h in all, inside PagerDuty's 48 h retry window
 * (API-NOTES §3.5; the real schedule is not published). Tests pass small values.
 */
export const DEFAULT_RETRY_SCHEDULE_MS = [10 * SECOND, MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 4 * HOUR, 8 * HOUR, 12 * HOUR, 16 * HOUR];

export interface PagerDutySandboxOptions {
  /** Where this server is reachable, e.g. http://localhost:4010 (used in `self`, `html_url`, `aud`). */
  baseUrl: string;
  /** Default: a new SandboxClock (real time). Share one with the Linear stand-in to move both. */
  clock?: SandboxClock;
  /** Delays before each webhook retry; default DEFAULT_RETRY_SCHEDULE_MS. */
  retryScheduleMs?: number[];
  /** Per-attempt delivery timeout; default 5000 ms (§3.5). */
  deliveryTimeoutMs?: number;
  /** Scoped access tokens: default 1 day (§1.6). */
  accessTokenTtlMs?: number;
  /** Scoped refresh tokens: default 30 days (§1.6); null = never expire. */
  refreshTokenTtlMs?: number | null;
  /** Authorization codes: default 30 s (§1.3). */
  codeTtlMs?: number;
  /** OAuth apps; default the `integration-hub-sandbox` client (oauth/clients.ts). */
  clients?: PagerDutyClientConfig[];
  /** false (default) = silent; or a pino logger. */
  logger?: false | FastifyBaseLogger;
}

export interface PagerDutySandbox extends SandboxServer {
  state: PagerDutyState;
  clock: SandboxClock;
  store: OAuthStore;
  dispatcher: WebhookDispatcher;
  faults: FaultPlan;
  requests: RequestLog;
}

/** Token values look like PagerDuty's: `pdus+_0…` access, `pdus+_1…` refresh (§5.3). */
function mintToken(kind: 'access' | 'refresh'): string {
  const id = randomUUID().replaceAll('-', '').slice(0, 6).toUpperCase();
  return `pdus+_${kind === 'access' ? '0' : '1'}${id}_${randomUUID()}`;
}

/** Builds the PagerDuty stand-in (identity + REST v2 + webhooks v3 + pages + control API), not listening. */
export async function createPagerDutySandbox(options: PagerDutySandboxOptions): Promise<PagerDutySandbox> {
  const clock = options.clock ?? new SandboxClock();
  const state = new PagerDutyState(options.clients ?? DEFAULT_CLIENTS);
  const store = new OAuthStore({
    clock,
    codeTtlMs: options.codeTtlMs ?? 30 * SECOND,
    accessTtlMs: options.accessTokenTtlMs ?? DAY,
    refreshTtlMs: options.refreshTokenTtlMs === undefined ? 30 * DAY : options.refreshTokenTtlMs,
    tokenPrefix: 'pdus+_',
    mintToken,
  });
  const faults = new FaultPlan();
  const requests = new RequestLog();
  const urls = new Urls(options.baseUrl);
  const wire = new Wire(state, urls);
  // The dispatcher and Webhooks need each other; Webhooks reads the dispatcher only when it sends.
  const webhooks = new Webhooks(state, wire, urls, clock, () => dispatcher);
  const dispatcher = new WebhookDispatcher({
    clock,
    faults,
    timeoutMs: options.deliveryTimeoutMs ?? 5000,
    retryScheduleMs: options.retryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS,
    onFinalFailure: (d) => webhooks.onFinalFailure(d),
    onSuccess: (d) => webhooks.onSuccess(d),
    // Retried: timeouts, connection errors, 5xx and 429; any other 4xx is dropped at once (§3.5).
    shouldRetry: ({ status }) => status === undefined || status >= 500 || status === 429,
  });
  const ctx: PdContext = { clock, state, store, limiter: new RateLimiter(clock), faults, requests, dispatcher, webhooks, wire, urls, idTokens: new IdTokenSigner() };

  const app = await createSandboxFastify(options.logger ? { logger: options.logger } : {});
  registerPdErrorHandling(app);
  registerRequestLog(app, requests, clock, { skip: (path) => path === '/' });
  registerHooks(app, ctx);
  registerAuthorize(app, ctx);
  registerToken(app, ctx);
  registerDiscovery(app, ctx);
  registerRest(app, ctx);
  registerResponderPage(app, ctx);

  const reset = async () => {
    dispatcher.reset();
    state.reset();
    store.reset();
    ctx.limiter.reset();
    faults.reset();
    requests.reset();
    clock.reset();
  };
  registerCommonControl(app, { clock, faults, requests, dispatcher, reset });
  registerPagerDutyControl(app, ctx);

  return {
    app,
    state,
    clock,
    store,
    dispatcher,
    faults,
    requests,
    reset,
    close: async () => {
      await dispatcher.close();
      await app.close();
    },
  };
}

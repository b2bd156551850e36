import type { SandboxClock } from '../common/clock.js';
import type { FaultPlan } from '../common/faults.js';
import type { OAuthStore } from '../common/oauth-store.js';
import type { RequestLog } from '../common/request-log.js';
import type { LinearServices } from './graphql/context.js';
import type { RateLimiter } from './graphql/rate-limit.js';
import type { ClientRegistry } from './oauth/clients.js';
import type { LinearState } from './state.js';
import type { LinearUrls } from './urls.js';
import type { LinearWebhookSender } from './webhooks.js';

/** Settings a test may change at run time (`POST /_sandbox/settings`). */
export interface LinearSettings {
  /** HTTP status of AUTHENTICATION_ERROR responses: Linear is seen answering 400 or 401 (API-NOTES §2.5). */
  authErrorStatus: 400 | 401;
  /** HTTP status of RATELIMITED responses: 400 as reported (API-NOTES §2.5), optionally 429. */
  ratelimitedStatus: 400 | 429;
}

/** Everything the Linear stand-in's routes share. */
export interface LinearSandboxContext {
  baseUrl: string;
  clock: SandboxClock;
  state: LinearState;
  store: OAuthStore;
  clients: ClientRegistry;
  faults: FaultPlan;
  requests: RequestLog;
  sender: LinearWebhookSender;
  limiter: RateLimiter;
  urls: LinearUrls;
  services: LinearServices;
  settings: LinearSettings;
}

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

import type { LinearSettings } from './settings.js';

export type { LinearSettings } from './settings.js';

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

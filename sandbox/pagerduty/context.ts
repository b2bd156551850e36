import type { SandboxClock } from '../common/clock.js';
import type { FaultPlan } from '../common/faults.js';
import type { OAuthStore } from '../common/oauth-store.js';
import type { RequestLog } from '../common/request-log.js';
import type { WebhookDispatcher } from '../common/webhook-dispatcher.js';
import type { IdTokenSigner } from './oauth/id-token.js';
import type { RateLimiter } from './rate-limit.js';
import type { Wire } from './serializers.js';
import type { PagerDutyState } from './state.js';
import type { Urls } from './urls.js';
import type { Webhooks } from './webhooks.js';

/** Everything a PagerDuty route or domain function needs, built once in index.ts. */
export interface PdContext {
  clock: SandboxClock;
  state: PagerDutyState;
  store: OAuthStore;
  limiter: RateLimiter;
  faults: FaultPlan;
  requests: RequestLog;
  dispatcher: WebhookDispatcher;
  webhooks: Webhooks;
  wire: Wire;
  urls: Urls;
  idTokens: IdTokenSigner;
}

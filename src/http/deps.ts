import type { Config } from '../config/index.js';
import type { ConnectionsService } from '../connections/connections-service.js';
import type { Clock } from '../core/clock.js';
import type { HubDatabase } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { JobQueue } from '../queue/queue.js';
import type { RulesService } from '../rules/rules-service.js';
import type { SyncMetrics } from '../sync/metrics.js';
import type { Vault } from '../vault/vault.js';
import type { WebhooksService } from '../webhooks/webhooks-service.js';

/** What route handlers may use. Built once in main.ts (or by a test) and passed down. */
export interface AppDeps {
  config: Config;
  database: HubDatabase;
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  /** Stores and reads secrets (OAuth tokens, webhook signing secrets): see src/vault/. */
  vault: Vault;
  /** PagerDuty and Linear connections: connect, disconnect, tokens, provider calls. */
  connections: ConnectionsService;
  /** Enqueue jobs (inside a transaction) and wake the workers. */
  queue: JobQueue;
  /** Linear team webhooks and PagerDuty service subscriptions. */
  webhooks: WebhooksService;
  /** Rules: which Linear issues page which PagerDuty service. */
  rules: RulesService;
  /** Two-way sync's counters (src/sync/metrics.ts). */
  syncMetrics: SyncMetrics;
  /**
   * Set when the hub talks to the built-in stand-ins instead of the real vendors (sandbox
   * mode): where a person finds them. Shown by GET /api/meta and the web app's banner.
   */
  sandbox: { pagerdutyUrl: string; linearUrl: string } | undefined;
}

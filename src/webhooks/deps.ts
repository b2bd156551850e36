import type { Config } from '../config/index.js';
import type { ConnectionsService } from '../connections/connections-service.js';
import type { Clock } from '../core/clock.js';
import type { HubDatabase } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import type { Vault } from '../vault/vault.js';

/** What the webhooks module is built from (main.ts passes it to WebhooksService). */
import type { WebhookMetrics } from './metrics.js';

export interface WebhooksDeps {
  config: Config;
  database: HubDatabase;
  vault: Vault;
  clock: Clock;
  logger: Logger;
  /** Provider calls with the organisation's connection (fresh token, pacing). */
  connections: Pick<ConnectionsService, 'withProvider' | 'listScopes'>;
  /** Counted when given (main.ts); tests may leave it out. */
  webhookMetrics?: WebhookMetrics | undefined;
}

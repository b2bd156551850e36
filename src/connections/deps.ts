import type { Config } from '../config/index.js';
import type { Clock } from '../core/clock.js';
import type { HubDatabase } from '../db/database.js';
import type { ProviderName } from '../providers/names.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Vault } from '../vault/vault.js';
import type { OAuthProvider } from './oauth-client.js';

/** What the connections module is built from (main.ts passes it to ConnectionsService). */
export interface ConnectionsDeps {
  config: Config;
  database: HubDatabase;
  vault: Vault;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
}

/** The OAuth client of each provider, made once from the configuration. */
export type OAuthProviders = Record<ProviderName, OAuthProvider>;

/** What the connect flow uses: the module's deps and the OAuth clients. */
export type ConnectDeps = ConnectionsDeps & { oauth: OAuthProviders };

/** What the token lifecycle (tokens.ts, token-refresh.ts) uses. */
export type ConnectionTokensDeps = Omit<ConnectionsDeps, 'config'> & {
  oauth: OAuthProviders;
  /** Provider call timeout; the lease outlives one token request comfortably. */
  timeoutMs: number;
};

import type { LoginThrottlesTable, OrganisationsTable, SessionsTable, UsersTable } from './tables/accounts.js';
import type { ConnectionsTable, OAuthAttemptsTable } from './tables/connections.js';
import type { JobsTable } from './tables/queue.js';
import type { RuleHistoryTable, RulePagesTable, RuleSkipsTable, RulesTable } from './tables/rules.js';
import type { ReconcileSweepsTable, SyncLedgerTable, SyncLinksTable, SyncWritesTable } from './tables/sync.js';
import type { VaultRetiredKeysTable, VaultSecretsTable, VaultStateTable } from './tables/vault.js';
import type { WebhookDeliveriesTable, WebhookEndpointsTable } from './tables/webhooks.js';

/**
 * Row types of every table, as Kysely sees them: one file per area in tables/, gathered here
 * into the `Database` the Kysely instance is typed by. Conventions (both dialects):
 * - ids are text with a prefix (see core/ids.ts);
 * - times are integer milliseconds since the epoch (`bigint` on PostgreSQL, parsed to number);
 * - booleans are integers 0/1; JSON is text;
 * - every table that holds organisation data carries `organisation_id`, and every query on
 *   it filters by that column.
 * Row ⇄ domain mapping lives beside each repository.
 */

export type * from './tables/accounts.js';
export type * from './tables/connections.js';
export type * from './tables/queue.js';
export type * from './tables/rules.js';
export type * from './tables/sync.js';
export type * from './tables/vault.js';
export type * from './tables/webhooks.js';

/** The registry's keys (providers/names.ts); the CHECK constraints of the provider columns list them too. */
export type { ProviderName } from '../providers/names.js';

export interface Database {
  organisations: OrganisationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_throttles: LoginThrottlesTable;
  vault_secrets: VaultSecretsTable;
  vault_state: VaultStateTable;
  vault_retired_keys: VaultRetiredKeysTable;
  connections: ConnectionsTable;
  oauth_attempts: OAuthAttemptsTable;
  jobs: JobsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  rules: RulesTable;
  rule_history: RuleHistoryTable;
  rule_pages: RulePagesTable;
  rule_skips: RuleSkipsTable;
  sync_links: SyncLinksTable;
  sync_writes: SyncWritesTable;
  sync_ledger: SyncLedgerTable;
  reconcile_sweeps: ReconcileSweepsTable;
}

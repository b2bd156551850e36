import type { Migration } from 'kysely';
import * as foundation from './2026_11_28_0001_foundation.js';
import * as vaultRetiredKeys from './2026_11_28_0002_vault_retired_keys.js';
import * as connections from './2026_11_28_0003_connections.js';
import * as jobs from './2026_11_28_0004_jobs.js';
import * as webhooks from './2026_11_28_0005_webhooks.js';
import * as userLifecycle from './2026_12_04_0006_user_lifecycle.js';
import * as intakeHardening from './2026_12_04_0007_intake_hardening.js';
import * as tokenLifetime from './2026_12_04_0008_token_lifetime.js';
import * as deliveryEvents from './2026_12_04_0009_delivery_events.js';
import * as rules from './2026_12_04_0010_rules.js';
import * as sync from './2026_12_04_0011_sync.js';
import * as scheduledJobs from './2026_12_05_0012_scheduled_jobs.js';
import * as webhookRepair from './2026_12_05_0013_webhook_repair.js';
import * as reconciliation from './2026_12_06_0014_reconciliation.js';
import * as throttledJobs from './2026_12_06_0015_throttled_jobs.js';
import * as ledgerDeliveryIndex from './2026_12_06_0016_ledger_delivery_index.js';

/**
 * Every migration, in order. Forward-only: a migration is never edited once released;
 * change the schema with a new one. Names are timestamps so they sort.
 * Pending migrations run together in one transaction on both dialects (see db/migrate.ts).
 */
export const migrations: Record<string, Migration> = {
  '2026_11_28_0001_foundation': foundation,
  '2026_11_28_0002_vault_retired_keys': vaultRetiredKeys,
  '2026_11_28_0003_connections': connections,
  '2026_11_28_0004_jobs': jobs,
  '2026_11_28_0005_webhooks': webhooks,
  '2026_12_04_0006_user_lifecycle': userLifecycle,
  '2026_12_04_0007_intake_hardening': intakeHardening,
  '2026_12_04_0008_token_lifetime': tokenLifetime,
  '2026_12_04_0009_delivery_events': deliveryEvents,
  '2026_12_04_0010_rules': rules,
  '2026_12_04_0011_sync': sync,
  '2026_12_05_0012_scheduled_jobs': scheduledJobs,
  '2026_12_05_0013_webhook_repair': webhookRepair,
  '2026_12_06_0014_reconciliation': reconciliation,
  '2026_12_06_0015_throttled_jobs': throttledJobs,
  '2026_12_06_0016_ledger_delivery_index': ledgerDeliveryIndex,
};

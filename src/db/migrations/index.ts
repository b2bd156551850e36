import type { Migration } from 'kysely';
import * as foundation from './2026_11_28_0001_foundation.js';
import * as vaultRetiredKeys from './2026_11_28_0002_vault_retired_keys.js';

/**
 * Every migration, in order. Forward-only: a migration is never edited once released;
 * change the schema with a new one. Names are timestamps so they sort.
 * Each runs in a transaction on both dialects (both have transactional DDL).
 */
export const migrations: Record<string, Migration> = {
  '2026_11_28_0001_foundation': foundation,
  '2026_11_28_0002_vault_retired_keys': vaultRetiredKeys,
};

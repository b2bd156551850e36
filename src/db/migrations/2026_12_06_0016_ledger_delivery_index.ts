import type { Kysely } from 'kysely';

/**
 * The ledger's lines by delivery: an action looks up whether it is its delivery's first (the
 * hub_sync_first_action_seconds metric, sync/ledger.ts), which scanned the whole ledger without
 * it — about a quarter of a millisecond per action at a thousand links, growing with the ledger.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('sync_ledger_delivery_idx').on('sync_ledger').columns(['delivery_id', 'entry']).execute();
}

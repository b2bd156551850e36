import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Database, DeliveryOutcome, WebhookDeliveriesTable } from '../db/tables.js';

type Db = Kysely<Database>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

/** What became of a delivery the intake tried to store. */
export type StoreOutcome = 'stored' | 'duplicate' | 'replay';

/**
 * Stores a delivery unless one with the same provider delivery id (`external_id`) or the same
 * key from signed content (`replay_key`) arrived at the same endpoint before; then only counts
 * the copy on the earlier row. `duplicate` when the delivery id matched (a vendor's retry),
 * `replay` when only the signed content did (the same delivery under another delivery id).
 * One statement when stored, two when not; safe under concurrency (the unique indexes decide).
 */
export async function insertDeliveryOnce(db: Db, row: DeliveryRow): Promise<StoreOutcome> {
  const inserted = await db
    .insertInto('webhook_deliveries')
    .values(row)
    // No conflict target: either unique key (external_id or replay_key, per endpoint) absorbs it.
    .onConflict((conflict) => conflict.doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted !== undefined) return 'stored';
  const earlier = await db
    .updateTable('webhook_deliveries')
    .set({ duplicates: sql<number>`duplicates + 1` })
    .where('endpoint_id', '=', row.endpoint_id)
    .where((eb) => {
      const sameId = eb('external_id', '=', row.external_id);
      return row.replay_key === null ? sameId : eb.or([sameId, eb('replay_key', '=', row.replay_key)]);
    })
    .returning('external_id')
    .execute();
  return earlier.some((match) => match.external_id === row.external_id) ? 'duplicate' : 'replay';
}

export async function findDelivery(db: Db, id: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setDeliveryOutcome(db: Db, id: string, outcome: DeliveryOutcome, detail: string | null, now: number): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ outcome, outcome_detail: detail, processed_at: outcome === 'received' ? null : now })
    .where('id', '=', id)
    .execute();
}

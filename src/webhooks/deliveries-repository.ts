import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Database, DeliveryOutcome, WebhookDeliveriesTable } from '../db/tables.js';

type Db = Kysely<Database>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

/**
 * Stores a delivery unless one with the same provider delivery id arrived at the same endpoint
 * before; then only counts the duplicate. True when this call stored it.
 */
export async function insertDeliveryOnce(db: Db, row: DeliveryRow): Promise<boolean> {
  const inserted = await db
    .insertInto('webhook_deliveries')
    .values(row)
    .onConflict((conflict) => conflict.columns(['endpoint_id', 'external_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted !== undefined) return true;
  await db
    .updateTable('webhook_deliveries')
    .set({ duplicates: sql<number>`duplicates + 1` })
    .where('endpoint_id', '=', row.endpoint_id)
    .where('external_id', '=', row.external_id)
    .execute();
  return false;
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

import type { Kysely } from 'kysely';

/**
 * Webhook repair (webhooks/repair-webhooks.ts): when the hub last repaired an endpoint and what
 * it did ("Re-created at Linear", "Re-enabled at PagerDuty", "Adopted …"). The last check time
 * is the existing `status_checked_at`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhook_endpoints').addColumn('last_repair_at', 'bigint').execute();
  await db.schema.alterTable('webhook_endpoints').addColumn('last_repair', 'text').execute();
}

import type { Kysely } from 'kysely';

/**
 * Replay detection at the webhook intake (src/webhooks/replay-key.ts). `replay_key` is derived
 * only from what the vendor signs — Linear: SHA-256 of the body, which carries the signed
 * `webhookTimestamp`; PagerDuty: the signed `event.id` — so a captured delivery resent with a
 * new, unsigned `Linear-Delivery` / `X-Webhook-Id` header is recognised. Unique per endpoint
 * beside the existing (endpoint_id, external_id) key; null on rows stored before this migration
 * (both databases let any number of nulls share a unique index).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhook_deliveries').addColumn('replay_key', 'text').execute();
  await db.schema
    .createIndex('webhook_deliveries_replay_key')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'replay_key'])
    .unique()
    .execute();
}

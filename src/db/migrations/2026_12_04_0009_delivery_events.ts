import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

/**
 * The provider-neutral event of each delivery (src/providers/events.ts), stored by the intake
 * beside the fields it already stored (event_type, entity_type, entity_id, entity_label), so
 * the delivery's job reads columns instead of parsing the body again. Nullable: rows stored
 * before this migration have none of it.
 *
 * The one field today's job needs — the Linear workspace a delivery comes from
 * (`organizationId`, compared with the connection's) — is filled in here for the rows a job may
 * still process (received, or failed and replayable), as the intake would have stored it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const column of ['event_kind', 'entity_kind', 'subject_kind', 'subject_id', 'actor_id', 'actor_name', 'account_id']) {
    await db.schema.alterTable('webhook_deliveries').addColumn(column, 'text').execute();
  }
  await db.schema.alterTable('webhook_deliveries').addColumn('occurred_at', 'bigint').execute();

  for (let after = ''; ; ) {
    const batch = await sql<{ id: string; body: string }>`
      select id, body from webhook_deliveries
      where provider = 'linear' and outcome in ('received', 'failed') and id > ${after}
      order by id limit 500`.execute(db);
    for (const row of batch.rows) {
      const accountId = organizationIdOf(row.body);
      if (accountId !== undefined) await sql`update webhook_deliveries set account_id = ${accountId} where id = ${row.id}`.execute(db);
    }
    const last = batch.rows.at(-1);
    if (last === undefined) break;
    after = last.id;
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** `organizationId` of a Linear payload, bounded as the intake bounds ids (core/stored-text.ts identityKey, 200). */
function organizationIdOf(body: string): string | undefined {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    return undefined;
  }
  const value = payload !== null && typeof payload === 'object' ? (payload as { organizationId?: unknown }).organizationId : undefined;
  if (typeof value !== 'string' || value === '') return undefined;
  if (value.length <= 200 && !value.includes('\u0000') && !LONE_SURROGATE.test(value)) return value;
  return `sha256:${createHash('sha256').update(Buffer.from(value, 'utf16le')).digest('hex')}`;
}

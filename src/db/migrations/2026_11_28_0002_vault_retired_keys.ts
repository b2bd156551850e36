import type { Kysely } from 'kysely';

/**
 * Master key ids retired by a rotation. A process configured with a retired key as its active
 * key refuses to start instead of switching the database back to it (see vault/open.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('vault_retired_keys')
    .addColumn('key_id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('retired_at', 'bigint', (c) => c.notNull())
    .execute();
}

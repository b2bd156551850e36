import type { Kysely } from 'kysely';

/**
 * What the hub needs to pace token refreshes (connections/refresh-policy.ts): the lifetime the
 * provider stated for the current access token (the refresh margin scales with it), when the
 * tokens were last refreshed (the per-connection rate limit), and how many access tokens in a
 * row proved too short-lived to use (the `token_lifetime_too_short` disconnect).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('connections').addColumn('access_token_lifetime_ms', 'bigint').execute();
  await db.schema.alterTable('connections').addColumn('last_refreshed_at', 'bigint').execute();
  await db.schema
    .alterTable('connections')
    .addColumn('short_lived_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

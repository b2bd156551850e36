import { sql, type Kysely } from 'kysely';

/**
 * Provider connections (one row per organisation and provider, kept across disconnects so the
 * card can say why and history keeps its subject) and OAuth connect attempts (the one-time
 * `state` of each Connect click and its outcome).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('connections')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('provider', 'text', (c) => c.notNull().check(sql`provider in ('pagerduty', 'linear')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('not_connected', 'connected', 'disconnected')`))
    .addColumn('status_reason', 'text')
    .addColumn('status_message', 'text')
    .addColumn('status_changed_at', 'bigint', (c) => c.notNull())
    .addColumn('external_account_id', 'text', (c) => c.notNull())
    .addColumn('account_name', 'text', (c) => c.notNull())
    .addColumn('account_subdomain', 'text')
    .addColumn('account_url', 'text')
    .addColumn('region', 'text')
    .addColumn('api_url', 'text', (c) => c.notNull())
    .addColumn('provider_user_id', 'text', (c) => c.notNull())
    .addColumn('provider_user_name', 'text', (c) => c.notNull())
    .addColumn('provider_user_email', 'text')
    .addColumn('provider_user_role', 'text')
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('connected_by_user_id', 'text')
    .addColumn('connected_by_email', 'text', (c) => c.notNull())
    .addColumn('connected_at', 'bigint', (c) => c.notNull())
    .addColumn('access_token_expires_at', 'bigint')
    .addColumn('token_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('refresh_lease_owner', 'text')
    .addColumn('refresh_lease_until', 'bigint')
    .addColumn('refresh_failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('refresh_retry_at', 'bigint')
    .addColumn('last_checked_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('connections_organisation_provider_key', ['organisation_id', 'provider'])
    .execute();

  await db.schema
    .createTable('oauth_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('session_id_hash', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull().check(sql`provider in ('pagerduty', 'linear')`))
    .addColumn('state_hash', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'exchanging', 'succeeded', 'failed')`))
    .addColumn('error_code', 'text')
    .addColumn('message', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('oauth_attempts_created_idx').on('oauth_attempts').column('created_at').execute();
}

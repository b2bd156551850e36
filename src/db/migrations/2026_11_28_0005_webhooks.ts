import { sql, type Kysely } from 'kysely';

/**
 * Webhooks the hub created at the providers (endpoints: a Linear team webhook or a PagerDuty
 * service subscription, each with its own URL and signing secret in the vault) and the
 * deliveries it accepted from them. Deliveries keep their scope's name so history reads well
 * after an endpoint is deleted (no foreign key on purpose).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('connection_id', 'text', (c) => c.notNull().references('connections.id'))
    .addColumn('provider', 'text', (c) => c.notNull().check(sql`provider in ('pagerduty', 'linear')`))
    .addColumn('scope_kind', 'text', (c) => c.notNull().check(sql`scope_kind in ('team', 'service')`))
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('scope_name', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('creating', 'active', 'disabled', 'temporarily_disabled', 'missing', 'unknown')`),
    )
    .addColumn('status_detail', 'text')
    .addColumn('status_checked_at', 'bigint')
    .addColumn('last_delivery_at', 'bigint')
    .addColumn('last_refused_at', 'bigint')
    .addColumn('last_refusal', 'text')
    .addColumn('created_by_email', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('webhook_endpoints_scope_key', ['organisation_id', 'provider', 'scope_id'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    .addColumn('provider', 'text', (c) => c.notNull().check(sql`provider in ('pagerduty', 'linear')`))
    .addColumn('scope_kind', 'text', (c) => c.notNull())
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('scope_name', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('entity_label', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('received', 'processed', 'ignored', 'failed')`))
    .addColumn('outcome_detail', 'text')
    .addColumn('duplicates', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('job_id', 'text')
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('processed_at', 'bigint')
    .addUniqueConstraint('webhook_deliveries_external_key', ['endpoint_id', 'external_id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_organisation_idx')
    .on('webhook_deliveries')
    .columns(['organisation_id', 'received_at'])
    .execute();
}

import { sql, type Kysely } from 'kysely';

/**
 * Rules (src/rules/, issue 10) and what they leave behind:
 * - `rules`: one row per rule. Columns for what queries select on (organisation, order, team,
 *   service, status); the rest of the form — filters, routing, sync switches and the last known
 *   names of everything referred to upstream — is one JSON document (`definition`), read and
 *   written whole. `name_key` is the lower-cased name: names are unique per organisation,
 *   case-insensitively. `version` grows by one on every change (optimistic concurrency).
 * - `rule_history`: who changed what and when (no foreign key: it outlives the rule).
 * - `rule_pages`: one row per incident a rule opened, the safety valve's window.
 * - `rule_skips`: issues a rule would have taken but did not (paused by the safety valve, or in
 *   need of attention), so nothing is lost: they can be paged from the record.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rules')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().check(sql`enabled in (0, 1)`))
    .addColumn('paused_at', 'bigint')
    .addColumn('paused_reason', 'text')
    .addColumn('missing_references', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('incidents_per_hour', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addUniqueConstraint('rules_name_key', ['organisation_id', 'name_key'])
    .execute();
  await db.schema.createIndex('rules_organisation_position_idx').on('rules').columns(['organisation_id', 'position']).execute();
  await db.schema.createIndex('rules_organisation_service_idx').on('rules').columns(['organisation_id', 'service_id']).execute();

  await db.schema
    .createTable('rule_history')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema.createIndex('rule_history_rule_idx').on('rule_history').columns(['rule_id', 'at']).execute();

  await db.schema
    .createTable('rule_pages')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('issue_id', 'text', (c) => c.notNull())
    .addColumn('paged_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rule_pages_rule_idx').on('rule_pages').columns(['rule_id', 'paged_at']).execute();

  await db.schema
    .createTable('rule_skips')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('rule_name', 'text', (c) => c.notNull())
    .addColumn('issue_id', 'text', (c) => c.notNull())
    .addColumn('issue_label', 'text')
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('paused', 'needs_attention')`))
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text')
    .addColumn('skipped_at', 'bigint', (c) => c.notNull())
    .addColumn('paged_at', 'bigint')
    .addColumn('paged_by', 'text')
    .execute();
  await db.schema.createIndex('rule_skips_organisation_idx').on('rule_skips').columns(['organisation_id', 'skipped_at']).execute();
}

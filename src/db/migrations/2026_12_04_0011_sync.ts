import { sql, type Kysely } from 'kysely';

/**
 * Two-way sync (src/sync/, issue 11):
 * - `sync_links`: one row per Linear issue the hub paged for, tying it to its current PagerDuty
 *   incident (re-pointed when the incident is merged into another, or when a later match opens a
 *   new one). The incident columns are null while the incident is being opened: the row is
 *   written (and the safety valve counted) before PagerDuty is called, so a retry finds it and
 *   neither pages twice nor counts twice. What each side was last seen as, the rule's sync
 *   settings when the link was made (used if the rule is deleted), the last event each way, the
 *   last error.
 * - `sync_writes`: every write the hub makes upstream, recorded before the call: the exactly-once
 *   key (`source_key`: what it mirrors, e.g. the comment a note copies) and what recognises its
 *   echo when the vendor's webhook comes back (`external_id`: the comment id the hub chose, the
 *   note id; `content_hash`; the expected state).
 * - `sync_ledger`: the two-way timeline of each link — event received, action taken, echo
 *   dropped, skipped, failed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sync_links')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('rule_name', 'text', (c) => c.notNull())
    .addColumn('issue_id', 'text', (c) => c.notNull())
    .addColumn('issue_identifier', 'text', (c) => c.notNull())
    .addColumn('issue_title', 'text', (c) => c.notNull())
    .addColumn('issue_url', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('issue_state', 'text')
    .addColumn('incident_id', 'text')
    .addColumn('incident_number', 'integer')
    .addColumn('incident_url', 'text')
    .addColumn('service_id', 'text', (c) => c.notNull())
    .addColumn('service_name', 'text', (c) => c.notNull())
    .addColumn('incident_key', 'text', (c) => c.notNull())
    .addColumn('incident_status', 'text', (c) => c.check(sql`incident_status in ('triggered', 'acknowledged', 'resolved')`))
    .addColumn('state_before_hub', 'text')
    .addColumn('sync_settings', 'text', (c) => c.notNull())
    .addColumn('opened_by_skip', 'text')
    .addColumn('last_in_at', 'bigint')
    .addColumn('last_out_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'bigint')
    .addColumn('closed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('sync_links_issue_key', ['organisation_id', 'issue_id'])
    .execute();
  await db.schema.createIndex('sync_links_incident_idx').on('sync_links').columns(['organisation_id', 'incident_id']).execute();
  await db.schema.createIndex('sync_links_updated_idx').on('sync_links').columns(['organisation_id', 'updated_at']).execute();

  await db.schema
    .createTable('sync_writes')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('link_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source_key', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('content_hash', 'text')
    .addColumn('expected', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('intended', 'done', 'echoed')`))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('done_at', 'bigint')
    .addUniqueConstraint('sync_writes_source_key', ['organisation_id', 'kind', 'source_key'])
    .execute();
  await db.schema.createIndex('sync_writes_external_idx').on('sync_writes').columns(['organisation_id', 'external_id']).execute();
  await db.schema.createIndex('sync_writes_link_idx').on('sync_writes').columns(['link_id', 'created_at']).execute();

  await db.schema
    .createTable('sync_ledger')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('link_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('issue_to_incident', 'incident_to_issue', 'none')`))
    .addColumn('entry', 'text', (c) => c.notNull().check(sql`entry in ('received', 'action', 'echo', 'skipped', 'failed')`))
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('delivery_id', 'text')
    .addColumn('job_id', 'text')
    .execute();
  await db.schema.createIndex('sync_ledger_link_idx').on('sync_ledger').columns(['link_id', 'at']).execute();
}

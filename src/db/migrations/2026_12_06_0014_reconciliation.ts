import type { Kysely } from 'kysely';

/**
 * Reconciliation (src/reconcile/): one row per organisation with where its sweep stands (the
 * cursor of a sweep in progress, carried across runs), what the last finished sweep did, and
 * the time from which the next one looks for issues updated without their webhook; and a mark
 * on timeline lines the reconciliation wrote ("found by reconciliation").
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('reconcile_sweeps')
    .addColumn('organisation_id', 'text', (col) => col.primaryKey().notNull().references('organisations.id').onDelete('cascade'))
    // The sweep in progress: when it began, the last link id checked (links are walked by id).
    .addColumn('started_at', 'bigint')
    .addColumn('cursor', 'text')
    // Issues updated after this time are looked at for missed creates (the previous sweep's start, less a grace).
    .addColumn('issues_since', 'bigint')
    // Progress of the sweep in progress, JSON {checked, drifts: {kind: n}, requests: {provider: n}}.
    .addColumn('progress', 'text', (col) => col.notNull().defaultTo('{}'))
    // The earliest time each provider's next sweep request may go out, JSON {provider: epoch ms}.
    .addColumn('pace', 'text', (col) => col.notNull().defaultTo('{}'))
    // The last finished sweep, JSON (what Activity shows), and when it finished.
    .addColumn('last_sweep', 'text')
    .addColumn('last_finished_at', 'bigint')
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.alterTable('sync_ledger').addColumn('found_by', 'text').execute();
}

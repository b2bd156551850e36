import { sql, SqliteAdapter, type Kysely } from 'kysely';

/**
 * The durable job queue (src/queue/). `seq` orders jobs (and a lane's jobs) by enqueue; `id` is
 * the public identifier. A job is `queued` (waiting for run_at), `running` (leased to a worker
 * until locked_until), `succeeded` or `dead` (out of attempts; kept with its error, replayable).
 * `waiting_for` names what a deferred job waits for (e.g. `connection:linear`), so that event
 * can bring it forward.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable('jobs')
    .addColumn('seq', sqlite ? 'integer' : 'bigserial', (c) => (sqlite ? c.primaryKey().autoIncrement().notNull() : c.primaryKey().notNull()))
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('organisation_id', 'text', (c) => c.references('organisations.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('lane', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'running', 'succeeded', 'dead')`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('waiting_for', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('jobs_runnable_idx').on('jobs').columns(['status', 'run_at']).execute();
  await db.schema.createIndex('jobs_lane_idx').on('jobs').columns(['lane', 'seq']).execute();
  await db.schema.createIndex('jobs_organisation_idx').on('jobs').columns(['organisation_id', 'seq']).execute();
}

import { sql, type Kysely } from 'kysely';

/**
 * Scheduled (recurring) jobs (src/queue/schedules.ts). `unique_key` names a job that must have at
 * most one pending instance per organisation: the partial unique index holds only while a job is
 * `queued` or `running`, so finished instances (succeeded, dead) keep their key as history. An
 * installation-wide job has no organisation; `coalesce` makes those share one scope (a plain
 * unique index lets any number of nulls through on both databases). Jobs without a key
 * (`unique_key` null) are never constrained.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('unique_key', 'text').execute();
  await sql`create unique index jobs_pending_unique_key on jobs (coalesce(organisation_id, ''), unique_key)
            where unique_key is not null and status in ('queued', 'running')`.execute(db);
}

import type { Kysely } from 'kysely';

/**
 * `throttled_since`: when a job's current unbroken run of rate-limit waits began (src/queue/
 * failed-run.ts). A job turned away by a rate limit waits without using an attempt while this
 * is recent enough; any other outcome clears it. Null for a job that is not being throttled.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('jobs').addColumn('throttled_since', 'bigint').execute();
}

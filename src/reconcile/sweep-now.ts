import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { Database } from '../db/tables.js';
import type { JobQueue } from '../queue/queue.js';
import { scheduleKey } from '../queue/schedules.js';
import { RECONCILE_SWEEP } from './sweep-job.js';

/**
 * **Reconcile now** (admin): brings the organisation's pending sweep forward to now, or queues one
 * when none is pending; a sweep already running is left to finish. The sweep keeps its rate
 * share: run early, it still waits for its next slot. Returns the instance's job id.
 */
export async function requestSweepNow(db: Kysely<Database>, queue: JobQueue, clock: Clock, organisationId: string): Promise<string> {
  const key = scheduleKey(RECONCILE_SWEEP.kind);
  const now = clock.now();
  const pending = await db
    .selectFrom('jobs')
    .select(['id', 'status'])
    .where('organisation_id', '=', organisationId)
    .where('unique_key', '=', key)
    .where('status', 'in', ['queued', 'running'])
    .executeTakeFirst();
  if (pending !== undefined) {
    if (pending.status === 'queued') await db.updateTable('jobs').set({ run_at: now, waiting_for: null, updated_at: now }).where('id', '=', pending.id).where('status', '=', 'queued').execute();
    queue.wake();
    return pending.id;
  }
  const id = await queue.enqueueUnique(db, RECONCILE_SWEEP, {}, { organisationId, uniqueKey: key, runAt: now });
  queue.wake();
  // Another process queued it meanwhile: that one is the instance.
  return id ?? (await requestSweepNow(db, queue, clock, organisationId));
}

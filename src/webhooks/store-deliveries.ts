import type { Kysely } from 'kysely';
import { newId } from '../core/ids.js';
import type { HubDatabase } from '../db/database.js';
import { GroupCommit } from '../db/group-commit.js';
import type { Database } from '../db/tables.js';
import type { LaneEntity } from '../queue/lanes.js';
import type { JobQueue } from '../queue/queue.js';
import { insertDeliveriesOnce, type NewDelivery, type StoreOutcome } from './deliveries-repository.js';
import { LAST_DELIVERY_PRECISION_MS, touchLastDelivery } from './endpoints-repository.js';
import { PROCESS_DELIVERY } from './process-delivery.js';

/** A verified, parsed delivery ready to store, and what its processing job is about (its lane). */
export interface DeliveryToStore {
  delivery: NewDelivery;
  laneOf: LaneEntity;
}

/**
 * The intake's writer: deliveries arriving together are stored in one transaction (group
 * commit, db/group-commit.ts), each answered only after that transaction commits. One writer
 * at a time on SQLite (it has one); a few at once on PostgreSQL.
 */
export function deliveryWriter(database: HubDatabase, queue: JobQueue): GroupCommit<DeliveryToStore, StoreOutcome> {
  const touched = new LastDeliveryTouches();
  return new GroupCommit(database.db, (trx, items) => storeDeliveries(trx, queue, touched, items), {
    concurrency: database.dialect === 'postgres' ? 4 : 1,
  });
}

/**
 * When this process last asked to record each endpoint's last delivery. The row keeps it to the
 * second (LAST_DELIVERY_PRECISION_MS); within that second the UPDATE would match nothing, so it
 * is not sent at all (on PostgreSQL a round trip per batch less). Another process's write, or a
 * rolled-back batch, can make the recorded time lag by at most that second plus the next batch.
 */
class LastDeliveryTouches {
  readonly #askedAt = new Map<string, number>();

  /** True when the endpoint's row should be written for a delivery received at `at`. */
  due(endpointId: string, at: number): boolean {
    const asked = this.#askedAt.get(endpointId);
    if (asked !== undefined && at - asked <= LAST_DELIVERY_PRECISION_MS && at >= asked) return false;
    if (this.#askedAt.size >= 10_000) this.#askedAt.clear();
    this.#askedAt.set(endpointId, at);
    return true;
  }
}

/**
 * Stores a batch of deliveries with their processing jobs, inside the caller's transaction: one
 * INSERT of the deliveries (each naming its job, whose id is chosen first: no write-back), one
 * INSERT of the jobs of those stored (copies get none; the lanes keep the batch's order), and
 * each endpoint's last delivery time at most once a second.
 */
async function storeDeliveries(
  trx: Kysely<Database>,
  queue: JobQueue,
  touched: LastDeliveryTouches,
  items: readonly DeliveryToStore[],
): Promise<StoreOutcome[]> {
  const withJobs = items.map((item) => ({ ...item.delivery, jobId: newId('job') }));
  const outcomes = await insertDeliveriesOnce(trx, withJobs);
  const jobs = withJobs.flatMap((delivery, index) => {
    const item = items[index];
    if (outcomes[index] !== 'stored' || item === undefined) return [];
    return [{ id: delivery.jobId, payload: { deliveryId: delivery.id }, options: { organisationId: delivery.organisationId, laneOf: item.laneOf } }];
  });
  await queue.enqueueMany(trx, PROCESS_DELIVERY, jobs);
  const latest = new Map<string, number>();
  for (const { delivery } of items) latest.set(delivery.endpointId, Math.max(latest.get(delivery.endpointId) ?? 0, delivery.receivedAt));
  // In a fixed order, so concurrent batches on PostgreSQL never lock two endpoints crosswise.
  for (const [endpointId, at] of [...latest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (touched.due(endpointId, at)) await touchLastDelivery(trx, endpointId, at);
  }
  return outcomes;
}

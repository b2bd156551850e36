import type { Kysely } from 'kysely';
import { newId } from '../core/ids.js';
import type { HubDatabase } from '../db/database.js';
import { GroupCommit } from '../db/group-commit.js';
import type { Database } from '../db/tables.js';
import type { LaneEntity } from '../queue/lanes.js';
import type { JobQueue } from '../queue/queue.js';
import { insertDeliveriesOnce, type NewDelivery, type StoreOutcome } from './deliveries-repository.js';
import { touchLastDelivery } from './endpoints-repository.js';
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
  return new GroupCommit(database.db, (trx, items) => storeDeliveries(trx, queue, items), {
    concurrency: database.dialect === 'postgres' ? 4 : 1,
  });
}

/**
 * Stores a batch of deliveries with their processing jobs, inside the caller's transaction: one
 * INSERT of the deliveries (each naming its job, whose id is chosen first: no write-back), one
 * INSERT of the jobs of those stored (copies get none; the lanes keep the batch's order), and
 * each endpoint's last delivery time once.
 */
export async function storeDeliveries(trx: Kysely<Database>, queue: JobQueue, items: readonly DeliveryToStore[]): Promise<StoreOutcome[]> {
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
  for (const endpointId of [...latest.keys()].sort()) await touchLastDelivery(trx, endpointId, latest.get(endpointId) ?? 0);
  return outcomes;
}

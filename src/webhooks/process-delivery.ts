import { z } from 'zod';
import { findConnection } from '../connections/connections-repository.js';
import { ConnectionUnavailableError } from '../connections/errors.js';
import { classifyProviderJobError } from '../connections/job-errors.js';
import type { Clock } from '../core/clock.js';
import type { HubDatabase } from '../db/database.js';
import { providers } from '../providers/registry.js';
import { DEFAULT_RETRY, defineJobKind, registerJob, type RegisteredJob } from '../queue/catalog.js';
import { findDelivery, setDeliveryOutcome, type Delivery } from './deliveries-repository.js';

/**
 * Processing one accepted delivery: attach it to its connection and scope (already known from
 * the endpoint) and its entity, check it belongs to the connected account or workspace, hand it
 * to the sync engine (`handleDelivery`), and record the outcome. It reads the event the intake stored with the delivery; it never parses the body.
 * While the connection is not usable the job waits (ConnectionUnavailableError defers it
 * without using an attempt) and runs after a reconnect.
 */
export const PROCESS_DELIVERY = defineJobKind({
  kind: 'webhook.process_delivery',
  payload: z.strictObject({ deliveryId: z.string().min(1) }),
  timeoutMs: 30_000,
  retry: DEFAULT_RETRY,
  classifyError: classifyProviderJobError,
});

/**
 * What a delivery means beyond being recorded (main.ts passes the sync engine's handler): the
 * outcome detail it returns is stored with the delivery; undefined when the event is not its
 * concern. It throws what its provider calls throw — the job retries, or waits for a reconnect.
 */
export type DeliveryHandler = (delivery: Delivery, jobId: string) => Promise<string | undefined>;

export function processDeliveryJob(deps: { database: HubDatabase; clock: Clock; handleDelivery?: DeliveryHandler }): RegisteredJob {
  const markFailed = async ({ deliveryId }: { deliveryId: string }, error: string) =>
    setDeliveryOutcome(deps.database.db, deliveryId, 'failed', `Processing gave up: ${error}`, deps.clock.now());
  return registerJob(PROCESS_DELIVERY, async ({ deliveryId }, context) => {
    const db = deps.database.db;
    const delivery = await findDelivery(db, deliveryId);
    if (delivery === undefined) return; // deleted with its organisation: nothing to do
    const connection = await findConnection(db, delivery.organisationId, delivery.provider);
    const { displayName: name, accountNoun } = providers.get(delivery.provider);
    if (connection?.status !== 'connected') {
      throw new ConnectionUnavailableError(
        delivery.provider,
        connection?.status === 'disconnected' ? 'disconnected' : 'not_connected',
        `${name} is not connected: the delivery waits until it is reconnected.`,
      );
    }
    // Where the delivery names its account (Linear: organizationId), it must be the connected one.
    if (delivery.accountId !== null && delivery.accountId !== connection.externalAccountId) {
      const detail = `From another ${name} ${accountNoun} than the connected ${connection.accountName}.`;
      await setDeliveryOutcome(db, delivery.id, 'ignored', detail, deps.clock.now());
      return;
    }
    const handled = deps.handleDelivery === undefined ? undefined : await deps.handleDelivery(delivery, context.jobId);
    const scope = `${delivery.scopeKind} ${delivery.scopeName}`;
    const recorded = `Recorded for ${scope} of ${connection.accountName}.`;
    await setDeliveryOutcome(db, delivery.id, 'processed', handled === undefined ? recorded : `${recorded} ${handled}`, deps.clock.now());
  }, markFailed);
}

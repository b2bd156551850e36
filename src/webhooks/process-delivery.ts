import { z } from 'zod';
import { findConnection } from '../connections/connections-repository.js';
import { ConnectionUnavailableError } from '../connections/errors.js';
import type { Clock } from '../core/clock.js';
import type { HubDatabase } from '../db/database.js';
import { PROVIDER_NAMES } from '../providers/errors.js';
import { DEFAULT_RETRY, defineJobKind, registerJob, type RegisteredJob } from '../queue/catalog.js';
import { findDelivery, setDeliveryOutcome } from './deliveries-repository.js';
import { parseLinearDelivery } from './parse-delivery.js';

/**
 * Processing one accepted delivery. In this release that means: attach it to its connection
 * and scope (already known from the endpoint) and its entity, check it belongs to the connected
 * workspace, and record the outcome. Rules and two-way sync handlers build on this job.
 * While the connection is not usable the job waits (ConnectionUnavailableError defers it
 * without using an attempt) and runs after a reconnect.
 */
export const PROCESS_DELIVERY = defineJobKind({
  kind: 'webhook.process_delivery',
  payload: z.strictObject({ deliveryId: z.string().min(1) }),
  timeoutMs: 30_000,
  retry: DEFAULT_RETRY,
});

export function processDeliveryJob(deps: { database: HubDatabase; clock: Clock }): RegisteredJob {
  const markFailed = async ({ deliveryId }: { deliveryId: string }, error: string) =>
    setDeliveryOutcome(deps.database.db, deliveryId, 'failed', `Processing gave up: ${error}`, deps.clock.now());
  return registerJob(PROCESS_DELIVERY, async ({ deliveryId }) => {
    const db = deps.database.db;
    const delivery = await findDelivery(db, deliveryId);
    if (delivery === undefined) return; // deleted with its organisation: nothing to do
    const connection = await findConnection(db, delivery.organisation_id, delivery.provider);
    const name = PROVIDER_NAMES[delivery.provider];
    if (connection === undefined || connection.status !== 'connected') {
      throw new ConnectionUnavailableError(
        delivery.provider,
        connection?.status === 'disconnected' ? 'disconnected' : 'not_connected',
        `${name} is not connected: the delivery waits until it is reconnected.`,
      );
    }
    if (delivery.provider === 'linear') {
      const { organizationId } = parseLinearDelivery(delivery.body);
      if (organizationId !== undefined && organizationId !== connection.external_account_id) {
        await setDeliveryOutcome(db, delivery.id, 'ignored', `From another Linear workspace than the connected ${connection.account_name}.`, deps.clock.now());
        return;
      }
    }
    const scope = delivery.scope_kind === 'team' ? `team ${delivery.scope_name}` : `service ${delivery.scope_name}`;
    await setDeliveryOutcome(db, delivery.id, 'processed', `Recorded for ${scope} of ${connection.account_name}.`, deps.clock.now());
  }, markFailed);
}

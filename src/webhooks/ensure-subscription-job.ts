import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../db/tables.js';
import { DEFAULT_RETRY, defineJobKind, registerJob, type RegisteredJob } from '../queue/catalog.js';
import { PermanentJobError } from '../queue/errors.js';
import type { JobQueue } from '../queue/queue.js';
import type { WebhooksService } from './webhooks-service.js';

/**
 * "Make sure service S has its PagerDuty subscription", as a job: rules enqueue it in the
 * transaction that saves them, so a rule never exists without its subscription being on the
 * way. One lane per service, so two rules on a service cannot race. Rate limits and outages
 * retry (after PagerDuty's reset); a Disconnected connection defers it until reconnected.
 */
export const ENSURE_SUBSCRIPTION = defineJobKind({
  kind: 'webhooks.ensure_subscription',
  payload: z.strictObject({ serviceId: z.string().min(1).max(100), serviceName: z.string().min(1).max(300) }),
  timeoutMs: 30_000,
  retry: DEFAULT_RETRY,
});

export function requestServiceSubscription(
  queue: JobQueue,
  db: Kysely<Database>,
  organisationId: string,
  service: { id: string; name: string },
): Promise<string> {
  return queue.enqueue(db, ENSURE_SUBSCRIPTION, { serviceId: service.id, serviceName: service.name }, {
    organisationId,
    lane: `pagerduty:service:${service.id}`,
  });
}

export function ensureSubscriptionJob(webhooks: WebhooksService): RegisteredJob {
  return registerJob(ENSURE_SUBSCRIPTION, async ({ serviceId, serviceName }, context) => {
    if (context.organisationId === null) throw new PermanentJobError('The job names no organisation.');
    await webhooks.ensureServiceSubscription(context.organisationId, { id: serviceId, name: serviceName });
  });
}

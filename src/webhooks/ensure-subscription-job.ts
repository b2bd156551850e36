import type { Kysely } from 'kysely';
import { z } from 'zod';
import { ConnectionUnavailableError } from '../connections/errors.js';
import { classifyProviderJobError } from '../connections/job-errors.js';
import type { Database } from '../db/tables.js';
import { PROVIDER_KEYS, type ProviderName } from '../providers/names.js';
import { providers } from '../providers/registry.js';
import { DEFAULT_RETRY, defineJobKind, registerJob, type RegisteredJob } from '../queue/catalog.js';
import { PermanentJobError } from '../queue/errors.js';
import type { JobQueue } from '../queue/queue.js';
import type { WebhooksService } from './webhooks-service.js';

/**
 * "Make sure service S has its webhook (a PagerDuty subscription)", as a job: rules enqueue
 * it in the transaction that saves them, so a rule never exists without its subscription being
 * on the way. One lane per scope, so two rules on a service cannot race. A rate limit makes
 * it wait for the reset without using an attempt, an outage retries; a Disconnected connection
 * defers it until reconnected.
 */
export const ENSURE_SUBSCRIPTION = defineJobKind({
  kind: 'webhooks.ensure_subscription',
  payload: z.strictObject({
    provider: z.enum(PROVIDER_KEYS),
    scopeId: z.string().min(1).max(100),
    scopeName: z.string().min(1).max(300),
  }),
  timeoutMs: 30_000,
  retry: DEFAULT_RETRY,
  classifyError: classifyProviderJobError,
});

export function requestSubscription(
  queue: JobQueue,
  db: Kysely<Database>,
  organisationId: string,
  provider: ProviderName,
  scope: { id: string; name: string },
): Promise<string> {
  return queue.enqueue(db, ENSURE_SUBSCRIPTION, { provider, scopeId: scope.id, scopeName: scope.name }, {
    organisationId,
    laneOf: { provider, kind: providers.get(provider).webhooks.scopeKind, id: scope.id },
  });
}

export function ensureSubscriptionJob(webhooks: WebhooksService): RegisteredJob {
  return registerJob(ENSURE_SUBSCRIPTION, async ({ provider, scopeId, scopeName }, context) => {
    if (context.organisationId === null) throw new PermanentJobError('The job names no organisation.');
    const ensured = await webhooks.ensureEndpoint(context.organisationId, provider, { id: scopeId, name: scopeName });
    if (ensured.ok) return;
    // Not usable now: wait for a reconnect (deferred, no attempt used). Anything else is retried.
    if (ensured.code === 'webhook_exists') throw new Error(ensured.message);
    throw new ConnectionUnavailableError(provider, ensured.code === 'connection_disconnected' ? 'disconnected' : 'not_connected', ensured.message);
  });
}

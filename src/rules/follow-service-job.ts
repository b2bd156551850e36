import type { Kysely } from 'kysely';
import { z } from 'zod';
import { ConnectionUnavailableError } from '../connections/errors.js';
import { classifyProviderJobError } from '../connections/job-errors.js';
import type { Database } from '../db/tables.js';
import { providers } from '../providers/registry.js';
import { DEFAULT_RETRY, defineJobKind, registerJob, type RegisteredJob } from '../queue/catalog.js';
import { PermanentJobError } from '../queue/errors.js';
import type { JobQueue } from '../queue/queue.js';
import type { WebhooksService } from '../webhooks/webhooks-service.js';
import { rulesForService } from './rules-repository.js';

/**
 * PagerDuty subscriptions follow rules (issue 10 item 6): "service S's subscription should match
 * its rules now", as a job enqueued in the transaction of every rule change that may alter
 * which services have an enabled rule (create, update, delete, enable, disable). At run time it
 * reads the rules: while any enabled rule routes to the service it ensures the service's
 * subscription (one per service, shared by its rules), otherwise it releases it. Because it
 * reads the state rather than carrying a decision, saves that commit or run out of order still
 * converge. A service with an open link (an incident of a linked pair moved there) stays
 * watched too. It runs in the service's own lane — the lane webhooks.ensure_subscription uses — so
 * the two never race on one service. A paused or needs-attention rule keeps its subscription
 * (it resumes); only a person's switch or deleting lets it go. A Disconnected connection defers
 * the job until reconnected; rate limits and outages retry.
 */
export const FOLLOW_SERVICE = defineJobKind({
  kind: 'rules.follow_service',
  payload: z.strictObject({
    serviceId: z.string().min(1).max(100),
    /** The name a rule last saw, for a subscription created now. */
    serviceName: z.string().min(1).max(300),
  }),
  timeoutMs: 30_000,
  retry: DEFAULT_RETRY,
  classifyError: classifyProviderJobError,
});

/** Enqueues the job in `db` (the caller's transaction); call `queue.wake()` after the commit. */
export function followService(queue: JobQueue, db: Kysely<Database>, organisationId: string, service: { id: string; name: string }): Promise<string> {
  const pager = providers.incidentPager();
  return queue.enqueue(db, FOLLOW_SERVICE, { serviceId: service.id, serviceName: service.name }, {
    organisationId,
    laneOf: { provider: pager.name, kind: pager.webhooks.scopeKind, id: service.id },
  });
}

/** What the job needs of the webhooks module (main.ts passes the WebhooksService). */
export type ServiceWebhooks = Pick<WebhooksService, 'ensureEndpoint' | 'releaseEndpoint'>;

export function followServiceJob(db: Kysely<Database>, webhooks: ServiceWebhooks): RegisteredJob {
  return registerJob(FOLLOW_SERVICE, async ({ serviceId, serviceName }, context) => {
    const organisationId = context.organisationId;
    if (organisationId === null) throw new PermanentJobError('The job names no organisation.');
    const pager = providers.incidentPager().name;
    const rules = await rulesForService(db, organisationId, serviceId);
    // A linked incident moved to a service no rule names keeps that service watched while open.
    const openLink = await db
      .selectFrom('sync_links')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .where('service_id', '=', serviceId)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
    if (!rules.some((rule) => rule.enabled) && openLink === undefined) {
      await webhooks.releaseEndpoint(organisationId, pager, serviceId);
      return;
    }
    const ensured = await webhooks.ensureEndpoint(organisationId, pager, { id: serviceId, name: serviceName });
    if (ensured.ok) return;
    // Not usable now: wait for a reconnect (deferred, no attempt used). Anything else is retried.
    if (ensured.code === 'webhook_exists') throw new Error(ensured.message);
    throw new ConnectionUnavailableError(pager, ensured.code === 'connection_disconnected' ? 'disconnected' : 'not_connected', ensured.message);
  });
}

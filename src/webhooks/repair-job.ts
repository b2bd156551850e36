import { z } from 'zod';
import type { Logger } from '../observability/logger.js';
import { defineJobKind, registerJob, type RegisteredJob } from '../queue/catalog.js';
import { defineSchedule, type Schedule } from '../queue/schedules.js';
import type { WebhooksService } from './webhooks-service.js';

/**
 * Webhook repair as a scheduled job (issue 12 item 3): one instance per organisation that has a
 * webhook the hub made, every RECONCILE_INTERVAL_SECONDS; each run is one repair pass
 * (repair-webhooks.ts). A provider that cannot be reached is skipped by the pass and tried at the
 * next interval, so the run itself succeeds and the next one is scheduled as usual.
 */
export const REPAIR_WEBHOOKS = defineJobKind({
  kind: 'webhooks.repair',
  payload: z.strictObject({}),
  timeoutMs: 45_000,
  retry: { maxAttempts: 3, baseDelayMs: 5_000, maxDelayMs: 60_000 },
});

export function repairWebhooksSchedule(intervalMs: number): Schedule<unknown> {
  return defineSchedule({
    kind: REPAIR_WEBHOOKS,
    payload: {},
    everyMs: intervalMs,
    scope: {
      kind: 'organisation',
      organisations: async (db) => (await db.selectFrom('webhook_endpoints').select('organisation_id').distinct().execute()).map((row) => row.organisation_id),
    },
  });
}

export function repairWebhooksJob(webhooks: Pick<WebhooksService, 'repair'>, logger: Logger): RegisteredJob {
  const log = logger.child({ component: 'webhook-repair' });
  return registerJob(REPAIR_WEBHOOKS, async (_payload, context) => {
    const organisationId = context.organisationId;
    if (organisationId === null) return;
    const report = await webhooks.repair(organisationId);
    const repaired = report.flatMap((provider) => provider.repaired);
    const problems = report.flatMap((provider) => provider.problems);
    if (repaired.length > 0 || problems.length > 0) log.info({ organisationId, repaired, problems }, 'webhook repair pass');
  });
}

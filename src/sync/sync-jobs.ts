import { z } from 'zod';
import { classifyProviderJobError } from '../connections/job-errors.js';
import { fail, ok, type Result } from '../core/result.js';
import { providers } from '../providers/registry.js';
import { DEFAULT_RETRY, defineJobKind, registerJob, type RegisteredJob } from '../queue/catalog.js';
import { PermanentJobError } from '../queue/errors.js';
import type { JobQueue } from '../queue/queue.js';
import { urgencyFor } from '../rules/evaluate.js';
import { findRule } from '../rules/rules-repository.js';
import { onTracker, type SyncDeps } from './deps.js';
import { syncIncident } from './incident-changed.js';
import { syncIssue } from './issue-changed.js';
import { appendLedger } from './ledger.js';
import { findLink } from './links-repository.js';
import { notesToComments } from './notes-to-comments.js';
import { pageIssue } from './open-incident.js';

/**
 * Sync work asked for by people rather than by a delivery, each in the issue's lane (so it never
 * runs beside the pair's other work):
 * - `sync.resync` (**Re-sync now** on a link): reads both sides and brings them in line — the
 *   issue's state to PagerDuty, the incident's status to Linear, notes not yet mirrored;
 * - `sync.page_skipped`: pages an issue a rule skipped (paused, or in need of attention), as a
 *   person decided, without asking the safety valve again.
 */

export const RESYNC = defineJobKind({
  kind: 'sync.resync',
  payload: z.strictObject({ linkId: z.string().min(1).max(64), requestedBy: z.string().max(64).nullable() }),
  timeoutMs: 40_000,
  retry: DEFAULT_RETRY,
  classifyError: classifyProviderJobError,
});

export const PAGE_SKIPPED = defineJobKind({
  kind: 'sync.page_skipped',
  payload: z.strictObject({ skipId: z.string().min(1).max(64) }),
  timeoutMs: 40_000,
  retry: DEFAULT_RETRY,
  classifyError: classifyProviderJobError,
});

const issueLaneOf = (issueId: string) => ({ provider: providers.issueTracker().name, kind: 'issue', id: issueId });

/** Queues Re-sync now for the link; not_found for another organisation's or an unknown link. */
export async function requestResync(
  deps: SyncDeps & { queue: JobQueue },
  organisationId: string,
  linkId: string,
  requestedBy: string | null,
): Promise<Result<{ jobId: string }, 'link_not_found'>> {
  const link = await findLink(deps.database.db, organisationId, linkId);
  if (link === undefined) return fail('link_not_found', 'No such link.');
  const jobId = await deps.queue.enqueueNow(RESYNC, { linkId, requestedBy }, { organisationId, laneOf: issueLaneOf(link.issue.id) });
  return ok({ jobId });
}

/**
 * Queues the page of a skipped issue and marks the record paged (by whom, when). Refused when
 * it was paged already.
 */
export async function requestPageSkipped(
  deps: SyncDeps & { queue: JobQueue },
  organisationId: string,
  skipId: string,
  userId: string,
): Promise<Result<{ jobId: string }, 'skip_not_found' | 'skip_paged_already'>> {
  return deps.database.db.transaction().execute(async (trx) => {
    const skip = await trx.selectFrom('rule_skips').selectAll().where('organisation_id', '=', organisationId).where('id', '=', skipId).executeTakeFirst();
    if (skip === undefined) return fail('skip_not_found', 'No such skipped issue.');
    if (skip.paged_at !== null) return fail('skip_paged_already', 'This skipped issue was paged already.');
    await trx.updateTable('rule_skips').set({ paged_at: deps.clock.now(), paged_by: userId }).where('id', '=', skipId).where('paged_at', 'is', null).execute();
    const jobId = await deps.queue.enqueue(trx, PAGE_SKIPPED, { skipId }, { organisationId, laneOf: issueLaneOf(skip.issue_id) });
    return ok({ jobId });
  }).then((result) => {
    if (result.ok) deps.queue.wake();
    return result;
  });
}

export function resyncJob(deps: SyncDeps): RegisteredJob {
  return registerJob(RESYNC, async ({ linkId }, context) => {
    const organisationId = context.organisationId;
    if (organisationId === null) throw new PermanentJobError('The job names no organisation.');
    const link = await findLink(deps.database.db, organisationId, linkId);
    if (link === undefined) return; // deleted with its organisation
    const base = { organisationId, deliveryId: null, jobId: context.jobId, actorName: null };
    await appendLedger(deps.database.db, { organisationId, linkId, at: deps.clock.now(), direction: 'none', entry: 'received', summary: 'Re-sync now: reading both sides.', jobId: context.jobId }, deps.syncMetrics);
    await syncIssue(deps, { ...base, issueId: link.issue.id, removed: false });
    const current = await findLink(deps.database.db, organisationId, linkId);
    if (current?.incident == null) return;
    await syncIncident(deps, { ...base, incidentId: current.incident.id, eventType: 'resync' });
    await notesToComments(deps, { ...base, incidentId: current.incident.id });
  });
}

export function pageSkippedJob(deps: SyncDeps): RegisteredJob {
  return registerJob(PAGE_SKIPPED, async ({ skipId }, context) => {
    const organisationId = context.organisationId;
    if (organisationId === null) throw new PermanentJobError('The job names no organisation.');
    const skip = await deps.database.db.selectFrom('rule_skips').selectAll().where('organisation_id', '=', organisationId).where('id', '=', skipId).executeTakeFirst();
    if (skip === undefined) return;
    const rule = await findRule(deps.database.db, organisationId, skip.rule_id);
    if (rule === undefined) throw new PermanentJobError(`The rule "${skip.rule_name}" was deleted: its skipped issue cannot be paged with it.`);
    const issue = await onTracker(deps, organisationId, (tracker, call) => tracker.issue(call, skip.issue_id));
    if (issue?.archivedAt !== null) throw new PermanentJobError(`${skip.issue_label ?? skip.issue_id} no longer exists in Linear.`);
    await pageIssue(deps, { organisationId, rule, issue, urgency: urgencyFor(rule, issue.priority), deliveryId: skip.delivery_id, jobId: context.jobId, fromSkip: { skipId } });
  });
}

import { ConnectionUnavailableError } from '../connections/errors.js';
import { providers } from '../providers/registry.js';
import { entityLane } from '../queue/lanes.js';
import type { Delivery } from '../webhooks/deliveries-repository.js';
import { commentToNote } from './comments-to-notes.js';
import type { SyncDeps } from './deps.js';
import { isKnownTrigger, syncIncident } from './incident-changed.js';
import { syncIssue } from './issue-changed.js';
import { appendLedger } from './ledger.js';
import { findLinkByIncident, findLinkByIssue, updateLink } from './links-repository.js';
import { notesToComments } from './notes-to-comments.js';
import { requestResync } from './sync-jobs.js';

/**
 * What a processed delivery means for sync: the issue tracker's issue and comment events and
 * the incident pager's incident events, each handled from the current state upstream. Anything
 * else is recorded and left. Returns the delivery's outcome detail; provider failures throw (the
 * delivery's job retries, or waits while a connection is Disconnected).
 */
export async function syncDelivery(deps: SyncDeps, delivery: Delivery, jobId: string): Promise<string | undefined> {
  try {
    return await dispatch(deps, delivery, jobId);
  } catch (error) {
    await recordFailure(deps, delivery, jobId, error);
    throw error;
  }
}

/**
 * A failed try is written on the pair's link (its last error, shown on the link page until a
 * later action succeeds) and its timeline; the job retries as its kind says. Waiting for a
 * Disconnected connection is not a failure: the link page says it waits.
 */
async function recordFailure(deps: SyncDeps, delivery: Delivery, jobId: string, error: unknown): Promise<void> {
  if (error instanceof ConnectionUnavailableError) return;
  const db = deps.database.db;
  const org = delivery.organisationId;
  const subject = delivery.subjectId ?? delivery.entityId;
  const link =
    delivery.provider === providers.incidentPager().name ? await findLinkByIncident(db, org, subject) : await findLinkByIssue(db, org, subject);
  if (link === undefined) return;
  const message = error instanceof Error ? error.message : String(error);
  const at = deps.clock.now();
  const direction = delivery.provider === providers.incidentPager().name ? 'incident_to_issue' : 'issue_to_incident';
  await updateLink(db, link, { lastError: { message, at } }, at);
  await appendLedger(db, { organisationId: org, linkId: link.id, at, direction, entry: 'failed', summary: `Failed (will retry): ${message}`, deliveryId: delivery.id, jobId }, deps.syncMetrics);
}

async function dispatch(deps: SyncDeps, delivery: Delivery, jobId: string): Promise<string | undefined> {
  const base = { organisationId: delivery.organisationId, deliveryId: delivery.id, jobId, actorName: delivery.actorName };
  if (delivery.provider === providers.issueTracker().name) {
    if (delivery.entityKind === 'issue') {
      return syncIssue(deps, { ...base, issueId: delivery.entityId, removed: delivery.eventKind === 'removed' });
    }
    if (delivery.entityKind === 'comment' && delivery.subjectId !== null) {
      const kind = delivery.eventKind === 'created' || delivery.eventKind === 'updated' || delivery.eventKind === 'removed' ? delivery.eventKind : undefined;
      if (kind === undefined) return undefined;
      return commentToNote(deps, { ...base, issueId: delivery.subjectId, commentId: delivery.entityId, kind });
    }
    return undefined;
  }
  if (delivery.provider === providers.incidentPager().name && delivery.entityKind === 'incident') {
    const handedOver = await handOverToPairLane(deps, delivery, jobId);
    if (handedOver !== undefined) return handedOver;
    if (delivery.eventKind === 'commented') return notesToComments(deps, { ...base, incidentId: delivery.entityId });
    return syncIncident(deps, { ...base, incidentId: delivery.entityId, eventType: delivery.eventType });
  }
  return undefined;
}

/**
 * An incident event queued before its incident was linked (e.g. `incident.triggered` arriving
 * while the hub was still recording the incident it had just opened) sits in the incident's own
 * lane, so it could run beside the pair's work. It does not act there: it asks for a Re-sync of
 * the pair, which runs in the pair's lane and reads both sides — the same outcome, in order.
 */
async function handOverToPairLane(deps: SyncDeps, delivery: Delivery, jobId: string): Promise<string | undefined> {
  const db = deps.database.db;
  const link = await findLinkByIncident(db, delivery.organisationId, delivery.entityId);
  if (link === undefined) return undefined;
  const job = await db.selectFrom('jobs').select('lane').where('id', '=', jobId).executeTakeFirst();
  if (job === undefined || job.lane === entityLane(providers.issueTracker().name, 'issue', link.issue.id)) return undefined;
  // Typically the hub's own new incident, its webhook faster than the link's write: nothing to
  // re-read (incident-changed.ts isKnownTrigger), and nothing written outside the pair's lane.
  if (link.incident !== null && isKnownTrigger(delivery, link.incident)) return 'Linked after it arrived; the pair shows it triggered already: nothing to change.';
  await requestResync(deps, delivery.organisationId, link.id, null);
  return 'Linked after it arrived: handed to the pair (Re-sync now), which runs in its order.';
}

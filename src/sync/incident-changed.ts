import type { PagedIncident } from '../providers/roles.js';
import { onPager, onTracker, type SyncDeps } from './deps.js';
import { appendLedger } from './ledger.js';
import { isResolvedStateType, type Link, type LinkedIncident } from './link.js';
import { findLinkByIncident, updateLink } from './links-repository.js';
import { followService } from '../rules/follow-service-job.js';
import { settingsOf } from './sync-settings.js';
import { uuidFrom } from './uuid.js';
import { intendWrite, markWriteDone, takeStateEcho } from './writes.js';

/**
 * PagerDuty → Linear for one incident's status (issue 11 item 3), from what PagerDuty says of
 * the incident **now**:
 * - acknowledged → the issue moves to the rule's Acknowledged Status, unless it is there already
 *   or in a Completed/Canceled state;
 * - resolved → the issue moves to the Resolved Status unless it is Completed/Canceled already —
 *   but an incident resolved by a **merge** does not close the issue: the link moves to the
 *   surviving incident and a comment says so;
 * - reopened (triggered after resolved) → the issue goes back to the state it had before the
 *   hub first moved it, if it is still where the hub put it (Completed/Canceled).
 * The hub's own status changes come back as incident events: recognised (the status the hub
 * set) and recorded as echoes.
 */

/** Incident events recorded on the link but not mirrored to Linear (issue 11 item 3). */
const RECORDED_ONLY: ReadonlyMap<string, string> = new Map([
  ['incident.priority_updated', 'priority changed'],
  ['incident.reassigned', 'reassigned'],
  ['incident.escalated', 'escalated'],
]);

export interface IncidentEventContext {
  organisationId: string;
  incidentId: string;
  eventType: string;
  deliveryId: string | null;
  jobId: string | null;
  actorName: string | null;
}

export async function syncIncident(deps: SyncDeps, event: IncidentEventContext): Promise<string> {
  const db = deps.database.db;
  const link = await findLinkByIncident(db, event.organisationId, event.incidentId);
  const linked = link?.incident ?? null;
  if (link === undefined || linked === null) return 'The incident is not linked to an issue.';
  if (isKnownTrigger(event, linked)) return knownTrigger(deps, event, link, linked);
  const incident = await onPager(deps, event.organisationId, (pager, call) => pager.incident(call, event.incidentId));
  if (incident === null) return 'The incident no longer exists at PagerDuty.';
  const now = deps.clock.now();
  const echo = await takeStateEcho(db, event.organisationId, { kind: 'incident_status', linkId: link.id, observed: incident.status });
  if (incident.mergedInto !== null) return followMerge(deps, event, link, incident, incident.mergedInto);
  const previous = linked.status;
  // The status as seen is recorded only once Linear is in line with it: a try that fails before
  // (Linear Disconnected, rate-limited) must find the same `previous` when it runs again, or a
  // reopen would be forgotten.
  const seen = async () => updateLink(db, link, { incident: { ...linked, status: incident.status }, lastInAt: now }, now);
  if (incident.service.id !== link.service.id) await followServiceMove(deps, event, link, incident);
  if (echo !== undefined) {
    await seen();
    await appendLedger(db, { organisationId: event.organisationId, linkId: link.id, at: now, direction: 'incident_to_issue', entry: 'echo', kind: 'incident_status', summary: `Incident #${incident.number} is ${incident.status}: the echo of the hub's own change, dropped.`, deliveryId: event.deliveryId, jobId: event.jobId }, deps.syncMetrics);
    return 'Echo of the hub\'s own change: dropped.';
  }
  const recordedOnly = RECORDED_ONLY.get(event.eventType);
  if (recordedOnly !== undefined) {
    await seen();
    const by = event.actorName === null ? '' : ` by ${event.actorName}`;
    await appendLedger(db, { organisationId: event.organisationId, linkId: link.id, at: now, direction: 'incident_to_issue', entry: 'received', summary: `Incident #${incident.number} ${recordedOnly}${by}: recorded, not mirrored.`, deliveryId: event.deliveryId, jobId: event.jobId }, deps.syncMetrics);
    return `Incident ${recordedOnly}: recorded, not mirrored.`;
  }
  if (previous !== incident.status) {
    const by = event.actorName === null ? '' : ` by ${event.actorName}`;
    await appendLedger(db, { organisationId: event.organisationId, linkId: link.id, at: now, direction: 'incident_to_issue', entry: 'received', summary: `Incident #${incident.number} ${incident.status}${by}.`, deliveryId: event.deliveryId, jobId: event.jobId }, deps.syncMetrics);
  }
  const outcome = await moveIssueFor(deps, event, { ...link, incident: { ...linked, status: incident.status } }, incident, previous);
  await seen();
  return outcome;
}

/**
 * `incident.triggered` for an incident the link already shows triggered — above all the one the
 * hub has just opened — changes nothing on either side: a trigger only ever moves Linear when it
 * reopens a resolved incident (the link would show resolved). So the incident is not read back
 * (it would cost a call in PagerDuty's rate-limit bucket per incident, and a Linear read), and a
 * later status change comes as its own event. The hub's own reopen is still recognised as its
 * echo.
 */
export function isKnownTrigger(event: Pick<IncidentEventContext, 'eventType'>, linked: LinkedIncident): boolean {
  return event.eventType === 'incident.triggered' && linked.status === 'triggered';
}

async function knownTrigger(deps: SyncDeps, event: IncidentEventContext, link: Link, linked: LinkedIncident): Promise<string> {
  const db = deps.database.db;
  const now = deps.clock.now();
  const echo = await takeStateEcho(db, event.organisationId, { kind: 'incident_status', linkId: link.id, observed: 'triggered' });
  await updateLink(db, link, { lastInAt: now }, now);
  if (echo === undefined) return `Incident #${linked.number} triggered: the pair shows it triggered already, nothing to change.`;
  await appendLedger(db, { organisationId: event.organisationId, linkId: link.id, at: now, direction: 'incident_to_issue', entry: 'echo', kind: 'incident_status', summary: `Incident #${linked.number} is triggered: the echo of the hub's own change, dropped.`, deliveryId: event.deliveryId, jobId: event.jobId }, deps.syncMetrics);
  return 'Echo of the hub\'s own change: dropped.';
}

async function moveIssueFor(deps: SyncDeps, event: IncidentEventContext, link: Link, incident: PagedIncident, previous: string): Promise<string> {
  const { rule, sync } = await settingsOf(deps.database.db, link);
  const issue = await onTracker(deps, event.organisationId, (tracker, call) => tracker.issue(call, link.issue.id));
  if (issue?.archivedAt !== null) return `${link.issue.identifier} no longer exists in Linear.`;
  const done = isResolvedStateType(issue.state.type);
  // The rule's statuses are its team's: an issue moved to another team cannot take them (Linear refuses).
  if (rule !== undefined && rule.filters.teamId !== issue.teamId && !done && (incident.status === 'acknowledged' || incident.status === 'resolved')) {
    const summary = `${issue.identifier} is now in ${issue.team.name}: the rule's ${incident.status === 'acknowledged' ? 'Acknowledged' : 'Resolved'} Status belongs to ${rule.names.team}, so the issue was not moved.`;
    await appendLedger(deps.database.db, { organisationId: event.organisationId, linkId: link.id, at: deps.clock.now(), direction: 'incident_to_issue', entry: 'skipped', summary, deliveryId: event.deliveryId, jobId: event.jobId }, deps.syncMetrics);
    return summary;
  }
  if (incident.status === 'acknowledged') {
    if (issue.state.id === sync.acknowledgedStateId) return `${issue.identifier} is in the Acknowledged Status already.`;
    if (done) return `${issue.identifier} is ${issue.state.name} (resolved): not moved back.`;
    return moveIssue(deps, event, link, issue.state, sync.acknowledgedStateId, `acknowledged`);
  }
  if (incident.status === 'resolved') {
    if (done) return `${issue.identifier} is ${issue.state.name} already.`;
    return moveIssue(deps, event, link, issue.state, sync.resolvedStateId, 'resolved');
  }
  // triggered: reopened after being resolved → back to where the issue was before the hub moved it.
  if (previous === 'resolved' && done && link.stateBeforeHub !== null) {
    return moveIssue(deps, event, link, issue.state, link.stateBeforeHub.id, 'reopened');
  }
  return 'Nothing to change in Linear.';
}

async function moveIssue(
  deps: SyncDeps,
  event: IncidentEventContext,
  link: Link,
  from: { id: string; name: string },
  toStateId: string,
  why: 'acknowledged' | 'resolved' | 'reopened',
): Promise<string> {
  const { organisationId } = event;
  const db = deps.database.db;
  const { write } = await intendWrite(db, { organisationId, linkId: link.id, kind: 'issue_state', sourceKey: `${link.id}:${toStateId}:${deps.clock.now()}:${event.jobId ?? ''}`, expected: toStateId, at: deps.clock.now() });
  await onTracker(deps, organisationId, (tracker, call) => tracker.moveIssue(call, link.issue.id, toStateId));
  const moved = await onTracker(deps, organisationId, (tracker, call) => tracker.issue(call, link.issue.id));
  const at = deps.clock.now();
  const to = moved?.state ?? { id: toStateId, name: toStateId, type: '' };
  await db.transaction().execute(async (trx) => {
    await markWriteDone(trx, write, at);
    await updateLink(
      trx,
      link,
      {
        issueState: to,
        lastOutAt: at,
        lastError: null,
        // Remember where the issue was before the hub first moved it (a reopen goes back there).
        ...(link.stateBeforeHub === null && why !== 'reopened' ? { stateBeforeHub: { id: from.id, name: from.name } } : {}),
        ...(why === 'reopened' ? { stateBeforeHub: null, closedAt: null } : {}),
        ...(why === 'resolved' ? { closedAt: at } : {}),
      },
      at,
    );
    await appendLedger(trx, { organisationId, linkId: link.id, at, direction: 'incident_to_issue', entry: 'action', kind: 'issue_state', summary: `Moved ${link.issue.identifier} from ${from.name} to ${to.name} (incident ${why}).`, deliveryId: event.deliveryId, jobId: event.jobId }, deps.syncMetrics);
  });
  return `Moved ${link.issue.identifier} to ${to.name}.`;
}

async function followMerge(deps: SyncDeps, event: IncidentEventContext, link: Link, merged: PagedIncident, survivorId: string): Promise<string> {
  const { organisationId } = event;
  const survivor = await onPager(deps, organisationId, (pager, call) => pager.incident(call, survivorId));
  if (survivor === null) return `Incident #${merged.number} was merged into an incident that no longer exists.`;
  const at = deps.clock.now();
  const body = `PagerDuty incident #${merged.number} was merged into [#${survivor.number}](${survivor.url}); this issue now follows #${survivor.number}.`;
  const commentId = mergeCommentId(link.id, merged.id);
  const { write, fresh } = await intendWrite(deps.database.db, { organisationId, linkId: link.id, kind: 'comment', sourceKey: `merge:${merged.id}`, externalId: commentId, at });
  if (fresh || write.status === 'intended') {
    await onTracker(deps, organisationId, (tracker, call) => tracker.createComment(call, { id: commentId, issueId: link.issue.id, body }));
    await markWriteDone(deps.database.db, write, deps.clock.now());
  }
  await deps.database.db.transaction().execute(async (trx) => {
    await updateLink(trx, link, { incident: { id: survivor.id, number: survivor.number, url: survivor.url, status: survivor.status }, service: survivor.service, lastInAt: at, lastOutAt: at }, at);
    await appendLedger(trx, { organisationId, linkId: link.id, at, direction: 'incident_to_issue', entry: 'action', kind: 'comment', summary: `Incident #${merged.number} was merged into #${survivor.number}: the link follows #${survivor.number}; commented on ${link.issue.identifier}.`, deliveryId: event.deliveryId, jobId: event.jobId }, deps.syncMetrics);
  });
  return `Merged into #${survivor.number}: the link follows it.`;
}

/** A UUID the hub chooses for its merge comment: the same on every retry (exactly once). */
export function mergeCommentId(linkId: string, incidentId: string): string {
  return uuidFrom(`merge\u0000${linkId}\u0000${incidentId}`);
}

/**
 * The incident moved to another service (`incident.service_updated`): the link keeps it and the
 * hub makes sure the new service is watched (its subscription stays while the link is open) —
 * and lets the old one go if nothing needs it any more.
 */
async function followServiceMove(deps: SyncDeps, event: IncidentEventContext, link: Link, incident: PagedIncident): Promise<void> {
  const { organisationId } = event;
  const at = deps.clock.now();
  await deps.database.db.transaction().execute(async (trx) => {
    await updateLink(trx, link, { service: incident.service }, at);
    await followService(deps.queue, trx, organisationId, incident.service);
    await followService(deps.queue, trx, organisationId, link.service);
    await appendLedger(trx, { organisationId, linkId: link.id, at, direction: 'incident_to_issue', entry: 'received', summary: `Incident #${incident.number} moved from ${link.service.name} to ${incident.service.name}: the link follows it, and the hub watches ${incident.service.name}.`, deliveryId: event.deliveryId, jobId: event.jobId }, deps.syncMetrics);
  });
  deps.queue.wake();
}

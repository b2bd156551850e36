import { evaluateIssue } from '../rules/evaluate.js';
import type { TrackedIssue } from '../providers/roles.js';
import { listRules } from '../rules/rules-repository.js';
import { onPager, onTracker, type SyncDeps } from './deps.js';
import { appendLedger } from './ledger.js';
import { isResolvedStateType, type Link, type LinkedIncident, type LinkState } from './link.js';
import { findLinkByIssue, updateLink } from './links-repository.js';
import { pageIssue } from './open-incident.js';
import { settingsOf } from './sync-settings.js';
import { contentHash, intendWrite, markWriteDone, takeStateEcho } from './writes.js';

/**
 * Linear → PagerDuty for one issue (issue 11 item 2), from what Linear says of it **now** — so
 * duplicate, late and reordered deliveries all lead to the same place:
 * - no link (or a link whose incident is resolved and stays so) and a rule takes the issue →
 *   page it (open-incident.ts);
 * - linked, and the issue moved to a Completed/Canceled state → resolve the incident (rule switch);
 * - linked, the issue left Completed/Canceled and the incident is resolved → reopen it (switch);
 * - the issue deleted → resolve the incident with a note.
 * Moves the hub made itself come back as Issue updates: they are recognised (the state the
 * hub set) and recorded as echoes; they lead to nothing, because the incident is already where
 * the move came from.
 */

export interface IssueEventContext {
  organisationId: string;
  issueId: string;
  deliveryId: string | null;
  jobId: string | null;
  /** Who acted in Linear, for the notes the hub writes ("Ada moved ENG-1 to Done in Linear"). */
  actorName: string | null;
  removed: boolean;
}

/** What happened, for the delivery's outcome detail. */
export async function syncIssue(deps: SyncDeps, event: IssueEventContext): Promise<string> {
  const { organisationId, issueId } = event;
  const db = deps.database.db;
  const link = await findLinkByIssue(db, organisationId, issueId);
  const found = event.removed ? null : await onTracker(deps, organisationId, (tracker, call) => tracker.issue(call, issueId));
  const issue = found?.archivedAt === null ? found : null;
  if (issue === null) return link === undefined ? 'The issue is gone; it was not linked.' : issueDeleted(deps, event, link);
  if (link === undefined) return pageIfMatching(deps, event, issue, false);
  const incident = link.incident;
  if (incident === null) return pageIfMatching(deps, event, issue, true); // an earlier try began paging it
  const reopened = incident.status === 'resolved' && link.issueState !== null && isResolvedStateType(link.issueState.type) && !isResolvedStateType(issue.state.type);
  if (incident.status !== 'resolved' || reopened) return followLinkedIssue(deps, event, link, incident, issue);
  // Linked to a resolved incident that stays resolved: a new match pages anew — but not the echo
  // of the hub's own move to the Resolved Status (which a rule may set to a state it matches).
  const now = deps.clock.now();
  await updateLink(db, link, { issueState: issue.state, issue: { title: issue.title, identifier: issue.identifier, url: issue.url, teamId: issue.teamId }, lastInAt: now }, now);
  if ((await takeStateEcho(db, organisationId, { kind: 'issue_state', linkId: link.id, observed: issue.state.id })) !== undefined) {
    await appendLedger(db, { organisationId, linkId: link.id, at: now, direction: 'issue_to_incident', entry: 'echo', kind: 'issue_state', summary: `${issue.identifier} moved to ${issue.state.name}: the echo of the hub's own change, dropped.`, deliveryId: event.deliveryId, jobId: event.jobId }, deps.syncMetrics);
    return 'Echo of the hub\'s own change: dropped.';
  }
  return pageIfMatching(deps, event, issue, false);
}

async function pageIfMatching(deps: SyncDeps, event: IssueEventContext, issue: TrackedIssue, resuming: boolean): Promise<string> {
  const rules = await listRules(deps.database.db, event.organisationId);
  const stored = (id: string) => rules.find((rule) => rule.id === id);
  const facts = { id: issue.id, teamId: issue.teamId, priority: issue.priority, stateType: issue.state.type, projectId: issue.projectId, labelIds: issue.labelIds, hasOpenLink: false };
  const { decision, verdicts } = evaluateIssue(rules, facts);
  // A page an earlier try began (the link is written, the incident not yet) goes on with its rule.
  const taker = decision.kind === 'pages' ? stored(decision.rule.id) : undefined;
  if (taker === undefined || decision.kind !== 'pages') {
    // The first rule that would have taken it but is paused or needs attention records it as skipped.
    const blocked = verdicts.find((verdict) => verdict.excludedBy === 'paused' || verdict.excludedBy === 'needs_attention');
    const blockedRule = blocked === undefined ? undefined : stored(blocked.rule.id);
    if (blockedRule !== undefined && !resuming) {
      const outcome = await pageIssue(deps, { organisationId: event.organisationId, rule: blockedRule, issue, urgency: 'low', deliveryId: event.deliveryId, jobId: event.jobId });
      if (outcome.kind === 'skipped') return `Skipped: the rule "${blockedRule.name}" ${outcome.reason === 'paused' ? 'is paused' : 'needs attention'}.`;
    }
    return 'No rule takes this issue.';
  }
  const outcome = await pageIssue(deps, { organisationId: event.organisationId, rule: taker, issue, urgency: decision.urgency, deliveryId: event.deliveryId, jobId: event.jobId });
  if (outcome.kind === 'skipped') {
    return `Skipped: the rule "${taker.name}" ${outcome.pausedNow ? 'reached its incidents-per-hour limit and paused' : outcome.reason === 'paused' ? 'is paused' : 'needs attention'}.`;
  }
  const incident = outcome.link.incident;
  return incident === null ? 'Opening the incident.' : `Paged: incident #${incident.number} (rule "${taker.name}").`;
}

async function followLinkedIssue(deps: SyncDeps, event: IssueEventContext, link: Link, linked: LinkedIncident, issue: TrackedIssue): Promise<string> {
  const { organisationId } = event;
  const db = deps.database.db;
  const now = deps.clock.now();
  const { sync } = await settingsOf(db, link);
  const echo = await takeStateEcho(db, organisationId, { kind: 'issue_state', linkId: link.id, observed: issue.state.id });
  const wasResolved = link.issueState !== null && isResolvedStateType(link.issueState.type);
  const nowResolved = isResolvedStateType(issue.state.type);
  // The state is recorded as seen only once what it asks of PagerDuty is done: a retry after a
  // failed call (429, outage) must still see the move it acts on — else a reopen would page anew.
  await updateLink(db, link, { issue: { title: issue.title, identifier: issue.identifier, url: issue.url, teamId: issue.teamId }, lastInAt: now }, now);
  if (echo !== undefined) {
    await updateLink(db, link, { issueState: issue.state }, now);
    await appendLedger(db, { organisationId, linkId: link.id, at: now, direction: 'issue_to_incident', entry: 'echo', kind: 'issue_state', summary: `${issue.identifier} moved to ${issue.state.name}: the echo of the hub's own change, dropped.`, deliveryId: event.deliveryId, jobId: event.jobId }, deps.syncMetrics);
    return 'Echo of the hub\'s own change: dropped.';
  }
  if (link.issueState?.id !== issue.state.id) {
    await appendLedger(db, { organisationId, linkId: link.id, at: now, direction: 'issue_to_incident', entry: 'received', summary: `${issue.identifier} moved to ${issue.state.name}${event.actorName === null ? '' : ` by ${event.actorName}`}.`, deliveryId: event.deliveryId, jobId: event.jobId }, deps.syncMetrics);
  }
  const incident = await onPager(deps, organisationId, (pager, call) => pager.incident(call, linked.id));
  if (incident === null) return `Incident #${linked.number} no longer exists at PagerDuty.`;
  const who = event.actorName ?? 'Someone';
  if (nowResolved && incident.status !== 'resolved' && sync.resolveOnComplete) {
    return setStatus(deps, event, link, linked, 'resolved', `${who} moved ${issue.identifier} to ${issue.state.name} in Linear.`, issue.state);
  }
  if (!nowResolved && wasResolved && incident.status === 'resolved' && sync.reopenOnReopen) {
    return setStatus(deps, event, link, linked, 'triggered', `${who} reopened ${issue.identifier} (${issue.state.name}) in Linear.`, issue.state);
  }
  await updateLink(db, link, { issueState: issue.state, ...(incident.status !== linked.status ? { incident: { ...linked, status: incident.status } } : {}) }, now);
  if (nowResolved && incident.status !== 'resolved') return 'The issue is done; the rule does not resolve incidents.';
  if (!nowResolved && wasResolved && incident.status === 'resolved') return 'The issue reopened; the rule does not reopen incidents.';
  return 'Nothing to change at PagerDuty.';
}

async function setStatus(deps: SyncDeps, event: IssueEventContext, link: Link, incident: LinkedIncident, status: 'resolved' | 'triggered', why: string, issueState?: LinkState): Promise<string> {
  const { organisationId } = event;
  const db = deps.database.db;
  const { write } = await intendWrite(db, { organisationId, linkId: link.id, kind: 'incident_status', sourceKey: `${link.id}:${status}:${deps.clock.now()}:${event.jobId ?? ''}`, expected: status, at: deps.clock.now() });
  // A reopen says why in a note: recorded as the hub's own, so it is not mirrored back.
  const note = status === 'triggered' ? await intendWrite(db, { organisationId, linkId: link.id, kind: 'note', sourceKey: `${write.sourceKey}:note`, contentHash: contentHash(why), at: deps.clock.now() }) : undefined;
  const noteId = await onPager(deps, organisationId, async (pager, call) => {
    await pager.setIncidentStatus(call, incident.id, status, status === 'resolved' ? why : undefined);
    return note === undefined ? undefined : (await pager.addNote(call, incident.id, why)).id;
  });
  const at = deps.clock.now();
  await db.transaction().execute(async (trx) => {
    await markWriteDone(trx, write, at);
    if (note !== undefined) await markWriteDone(trx, note.write, at, noteId);
    await updateLink(trx, link, { incident: { ...incident, status }, ...(issueState === undefined ? {} : { issueState }), lastOutAt: at, lastError: null, closedAt: status === 'resolved' ? at : null }, at);
    await appendLedger(trx, { organisationId, linkId: link.id, at, direction: 'issue_to_incident', entry: 'action', kind: 'incident_status', summary: `${status === 'resolved' ? 'Resolved' : 'Reopened'} incident #${incident.number}: ${why}`, deliveryId: event.deliveryId, jobId: event.jobId }, deps.syncMetrics);
  });
  return `${status === 'resolved' ? 'Resolved' : 'Reopened'} incident #${incident.number}.`;
}

async function issueDeleted(deps: SyncDeps, event: IssueEventContext, link: Link): Promise<string> {
  const incident = link.incident;
  if (incident === null || incident.status === 'resolved') {
    await updateLink(deps.database.db, link, { closedAt: deps.clock.now() }, deps.clock.now());
    return 'The issue was deleted; its incident is already resolved.';
  }
  const who = event.actorName ?? 'Someone';
  return setStatus(deps, event, link, incident, 'resolved', `${who} deleted ${link.issue.identifier} in Linear.`);
}

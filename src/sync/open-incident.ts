import type { PagedIncident, TrackedIssue } from '../providers/roles.js';
import type { IncidentUrgency } from '../rules/evaluate.js';
import type { StoredRule } from '../rules/rule.js';
import { admitPage } from '../rules/safety-valve.js';
import { onPager, onTracker, type SyncDeps } from './deps.js';
import { incidentDetailsFor, incidentKeyFor, incidentTitleFor } from './incident-text.js';
import { appendLedger } from './ledger.js';
import type { Link } from './link.js';
import { findLinkByIssue, openLink, updateLink } from './links-repository.js';
import { uuidFrom } from './uuid.js';
import { intendWrite, markWriteDone } from './writes.js';

/**
 * Opening the incident for an issue a rule takes (issue 11 item 2), exactly once:
 * 1. one transaction writes the link (incident still null) and counts the page against the
 *    rule's safety valve — or records the issue as skipped when the valve is shut;
 * 2. PagerDuty is asked to create the incident with the link's `incident_key`; a duplicate-key
 *    refusal means an earlier try created it: it is found by the key;
 * 3. the incident is written on the link, and (rule switch) its URL attached to the issue.
 * A retry after a crash anywhere finds the link with no incident and goes on from step 2
 * without counting again.
 */

export interface PageRequest {
  organisationId: string;
  rule: StoredRule;
  issue: TrackedIssue;
  urgency: IncidentUrgency;
  deliveryId: string | null;
  jobId: string | null;
  /** A person paged it from a skipped record: the valve is not asked again. */
  fromSkip?: { skipId: string } | undefined;
}

export type PageOutcome = { kind: 'paged'; link: Link } | { kind: 'skipped'; reason: 'paused' | 'needs_attention'; pausedNow: boolean };

export async function pageIssue(deps: SyncDeps, page: PageRequest): Promise<PageOutcome> {
  const { organisationId, rule, issue } = page;
  const db = deps.database.db;
  const now = deps.clock.now();
  const opened = await db.transaction().execute(async (trx): Promise<PageOutcome | Link> => {
    const existing = await findLinkByIssue(trx, organisationId, issue.id);
    if (existing?.incident === null) return existing; // an earlier try got this far
    if (page.fromSkip === undefined) {
      const admission = await admitPage({ db: trx, dialect: deps.database.dialect, clock: deps.clock }, rule, {
        issueId: issue.id,
        issueLabel: `${issue.identifier} ${issue.title}`,
        deliveryId: page.deliveryId,
      });
      if (!admission.admitted) return { kind: 'skipped', reason: admission.reason, pausedNow: admission.pausedNow };
    }
    const link = await openLink(trx, {
      organisationId,
      rule: { id: rule.id, name: rule.name },
      issue: { id: issue.id, identifier: issue.identifier, title: issue.title, url: issue.url, teamId: issue.teamId },
      issueState: issue.state,
      service: { id: rule.routing.serviceId, name: rule.names.service },
      incidentKey: incidentKeyFor(organisationId, issue.id),
      syncSettings: rule.sync,
      openedBySkip: page.fromSkip?.skipId ?? null,
      at: now,
    });
    const how = page.fromSkip === undefined ? `matches the rule "${rule.name}"` : `paged by hand from a skipped record of the rule "${rule.name}"`;
    await appendLedger(trx, {
      organisationId,
      linkId: link.id,
      at: now,
      direction: 'issue_to_incident',
      entry: 'received',
      summary: `${issue.identifier} ${how} (priority ${issue.priority}, ${issue.state.name}).`,
      deliveryId: page.deliveryId,
      jobId: page.jobId,
    }, deps.syncMetrics);
    return link;
  });
  if ('kind' in opened) return opened;
  return { kind: 'paged', link: await createIncident(deps, page, opened) };
}

async function createIncident(deps: SyncDeps, page: PageRequest, link: Link): Promise<Link> {
  const { organisationId, rule, issue } = page;
  const db = deps.database.db;
  const request = {
    serviceId: link.service.id,
    title: incidentTitleFor(issue),
    details: incidentDetailsFor(issue, rule.name),
    urgency: page.urgency,
    priorityId: rule.routing.pagerdutyPriorityId,
    incidentKey: link.incidentKey,
  };
  const { write } = await intendWrite(db, { organisationId, linkId: link.id, kind: 'incident', sourceKey: `${link.incidentKey}@${link.updatedAt}`, at: deps.clock.now() });
  const created = await onPager(deps, organisationId, async (pager, call) => {
    const answer = await pager.createIncident(call, request);
    if (answer !== 'duplicate_key') return { incident: answer, found: false };
    const found = await pager.incidentByKey(call, link.incidentKey);
    if (found === null) throw new Error(`PagerDuty refused the incident as a duplicate of ${link.incidentKey}, but no incident has that key.`);
    return { incident: found, found: true };
  });
  const { incident } = created;
  const at = deps.clock.now();
  await db.transaction().execute(async (trx) => {
    await updateLink(
      trx,
      link,
      { incident: { id: incident.id, number: incident.number, url: incident.url, status: incident.status }, service: incident.service, lastOutAt: at, lastError: null },
      at,
    );
    await markWriteDone(trx, write, at, incident.id);
    await appendLedger(trx, {
      organisationId,
      linkId: link.id,
      at,
      direction: 'issue_to_incident',
      entry: 'action',
      kind: 'incident',
      summary: created.found
        ? `Found incident #${incident.number} an earlier try had opened (same incident key), and linked it.`
        : `Opened incident #${incident.number} on ${incident.service.name} (urgency ${page.urgency}).`,
      deliveryId: page.deliveryId,
      jobId: page.jobId,
    }, deps.syncMetrics);
  });
  if (rule.sync.postIncidentLink) await postIncidentLink(deps, page, link, incident);
  const updated = await findLinkByIssue(db, organisationId, issue.id);
  if (updated === undefined) throw new Error('the link is gone');
  return updated;
}

/**
 * The incident's link on the issue (rule switch), as the rule says: an attachment (Linear upserts
 * it by URL, so a retry changes nothing) or a comment (its id derived from the link and the
 * incident, so a retry is refused as a duplicate; recorded as the hub's own, so its echo is not
 * mirrored back as a note).
 */
async function postIncidentLink(deps: SyncDeps, page: PageRequest, link: Link, incident: PagedIncident): Promise<void> {
  const { organisationId, issue, rule } = page;
  const db = deps.database.db;
  const title = `PagerDuty incident #${incident.number}`;
  if (rule.sync.incidentLinkAs === 'comment') {
    const commentId = uuidFrom(`incident-link\u0000${link.id}\u0000${incident.id}`);
    const { write } = await intendWrite(db, { organisationId, linkId: link.id, kind: 'comment', sourceKey: `incident-link:${incident.id}`, externalId: commentId, at: deps.clock.now() });
    if (write.status === 'intended') {
      const body = `Paged in PagerDuty: [${title}](${incident.url}) on ${incident.service.name}.`;
      await onTracker(deps, organisationId, (tracker, call) => tracker.createComment(call, { id: commentId, issueId: issue.id, body }));
      await markWriteDone(db, write, deps.clock.now());
    }
  } else {
    await onTracker(deps, organisationId, (tracker, call) => tracker.attachLink(call, { issueId: issue.id, url: incident.url, title, subtitle: incident.service.name }));
  }
  await appendLedger(db, {
    organisationId,
    linkId: link.id,
    at: deps.clock.now(),
    direction: 'incident_to_issue',
    entry: 'action',
    kind: rule.sync.incidentLinkAs === 'comment' ? 'comment' : 'attachment',
    summary: `Posted the incident's link on ${issue.identifier} as ${rule.sync.incidentLinkAs === 'comment' ? 'a comment' : 'an attachment'}.`,
    deliveryId: page.deliveryId,
    jobId: page.jobId,
  }, deps.syncMetrics);
}

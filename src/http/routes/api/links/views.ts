import type { LinkView, TimelineEntryView } from '../../../../api/links.js';
import type { LedgerEntry } from '../../../../sync/ledger.js';
import { lastActivityAt } from '../../../../sync/link-status.js';
import type { LinkWithHealth } from '../../../../sync/links-listing.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function linkView({ link, health }: LinkWithHealth): LinkView {
  return {
    id: link.id,
    rule: link.rule,
    issue: {
      id: link.issue.id,
      identifier: link.issue.identifier,
      title: link.issue.title,
      url: link.issue.url,
      state: link.issueState === null ? null : { name: link.issueState.name, type: link.issueState.type },
    },
    incident: link.incident,
    service: link.service,
    status: health.status,
    waitingFor: health.waitingFor.map(({ provider, status }) => ({ provider, status })),
    lastActivityAt: iso(lastActivityAt(link)),
    lastError: health.lastError === null ? null : { message: health.lastError.message, at: iso(health.lastError.at) },
    nextRetryAt: health.nextRetryAt === null ? null : iso(health.nextRetryAt),
    createdAt: iso(link.createdAt),
  };
}

export function timelineEntryView(entry: LedgerEntry): TimelineEntryView {
  return {
    id: entry.id,
    at: iso(entry.at),
    direction: entry.direction,
    kind: entry.entry,
    summary: entry.summary,
    deliveryId: entry.deliveryId,
    jobId: entry.jobId,
    foundByReconciliation: entry.foundBy === 'reconciliation',
  };
}

import type { ConnectionStatus } from '../connections/connection.js';
import type { ProviderName } from '../providers/names.js';
import type { Link } from './link.js';

/**
 * How a link stands, for the Links tab (issue 11 items 6 and 7), derived — never stored — from
 * the link, the jobs of its lane and the two connections the pair needs. First that applies:
 *
 * 1. `closed` — the link was closed (both sides done, or the issue deleted);
 * 2. `waiting` — a connection the pair needs is not Connected (or a job of the lane waits for
 *    one): sync waits, nothing is lost, and it resumes when reconnected;
 * 3. `retrying` — a queued job of the lane has failed before (attempts > 0): it runs again at
 *    `nextRetryAt`, `lastError` says why the last run failed;
 * 4. `failed` — the lane's latest job is dead, or the link records an error no later job of
 *    the lane succeeded after;
 * 5. `opening` — the incident is still being opened (none yet, nothing failed);
 * 6. `in_sync`.
 */
export type LinkStatus = 'opening' | 'in_sync' | 'retrying' | 'failed' | 'waiting' | 'closed';

export const LINK_STATUSES: readonly LinkStatus[] = ['opening', 'in_sync', 'retrying', 'failed', 'waiting', 'closed'];

/** What the lane's jobs say, read by links-listing.ts. */
export interface LaneFacts {
  /** The lane's latest job (by enqueue order). */
  latest: { status: 'queued' | 'running' | 'succeeded' | 'dead'; lastError: string | null; updatedAt: number } | null;
  /** The earliest queued job of the lane that failed before and runs again. */
  retry: { runAt: number; lastError: string | null; updatedAt: number } | null;
  /** Providers a queued job of the lane is deferred for (their connection is not usable). */
  waitingFor: ProviderName[];
  /** When a job of the lane last succeeded. */
  lastSuccessAt: number | null;
}

export const NO_LANE_FACTS: LaneFacts = { latest: null, retry: null, waitingFor: [], lastSuccessAt: null };

/** A connection the pair needs that is not usable. */
export interface UnusableConnection {
  provider: ProviderName;
  status: Exclude<ConnectionStatus, 'connected'>;
}

export interface LinkHealth {
  status: LinkStatus;
  /** Why it is retrying or failed (or the error the link recorded); null otherwise. */
  lastError: { message: string; at: number } | null;
  nextRetryAt: number | null;
  /** While `waiting`: the connections sync waits for. */
  waitingFor: UnusableConnection[];
}

export function linkHealth(
  link: Pick<Link, 'closedAt' | 'incident' | 'lastError' | 'lastErrorAt'>,
  lane: LaneFacts,
  unusable: readonly UnusableConnection[],
): LinkHealth {
  const recorded = link.lastError !== null ? { message: link.lastError, at: link.lastErrorAt ?? 0 } : null;
  const quiet = { lastError: recorded, nextRetryAt: null, waitingFor: [] };
  if (link.closedAt !== null) return { status: 'closed', ...quiet };

  const waitingFor = [
    ...unusable,
    ...lane.waitingFor.filter((provider) => !unusable.some((connection) => connection.provider === provider)).map((provider) => ({ provider, status: 'disconnected' as const })),
  ];
  if (waitingFor.length > 0) return { status: 'waiting', lastError: recorded, nextRetryAt: null, waitingFor };

  if (lane.retry !== null) {
    const lastError = lane.retry.lastError === null ? recorded : { message: lane.retry.lastError, at: lane.retry.updatedAt };
    return { status: 'retrying', lastError, nextRetryAt: lane.retry.runAt, waitingFor: [] };
  }
  if (lane.latest?.status === 'dead') {
    const message = lane.latest.lastError ?? 'The last job of this link failed.';
    return { status: 'failed', lastError: { message, at: lane.latest.updatedAt }, nextRetryAt: null, waitingFor: [] };
  }
  if (recorded !== null && (lane.lastSuccessAt === null || lane.lastSuccessAt <= recorded.at)) {
    return { status: 'failed', ...quiet };
  }
  return { status: link.incident === null ? 'opening' : 'in_sync', lastError: null, nextRetryAt: null, waitingFor: [] };
}

/** The link's last activity: its latest event either way, or change. */
export const lastActivityAt = (link: Pick<Link, 'lastInAt' | 'lastOutAt' | 'updatedAt'>): number =>
  Math.max(link.updatedAt, link.lastInAt ?? 0, link.lastOutAt ?? 0);

import type { Kysely } from 'kysely';
import { waitingForConnection } from '../connections/job-errors.js';
import type { Database } from '../db/tables.js';
import { PROVIDER_KEYS } from '../providers/names.js';
import { providers } from '../providers/registry.js';
import { entityLane } from '../queue/lanes.js';
import type { Link } from './link.js';
import type { LaneFacts } from './link-status.js';

/** The lane a link's jobs run in: its issue's (lane-resolver.ts). */
export const linkLaneOf = (link: Pick<Link, 'issue'>): string => entityLane(providers.issueTracker().name, 'issue', link.issue.id);

/**
 * What the jobs of these lanes say about their links (link-status.ts), in three queries
 * whatever the number of lanes: each lane's latest job, its queued jobs that failed before or
 * wait for a connection or a rate limit, and its last success.
 */
export async function laneFacts(db: Kysely<Database>, organisationId: string, lanes: readonly string[]): Promise<Map<string, LaneFacts>> {
  const facts = new Map<string, LaneFacts>();
  if (lanes.length === 0) return facts;
  const ofLane = (lane: string): LaneFacts => {
    let found = facts.get(lane);
    if (found === undefined) {
      found = { latest: null, retry: null, waitingFor: [], lastSuccessAt: null };
      facts.set(lane, found);
    }
    return found;
  };
  const inLanes = db.selectFrom('jobs').where('organisation_id', '=', organisationId).where('lane', 'in', [...lanes]);

  const latest = await db
    .selectFrom('jobs')
    .select(['lane', 'status', 'last_error', 'updated_at'])
    .where('organisation_id', '=', organisationId)
    .where('seq', 'in', inLanes.select((eb) => eb.fn.max('seq').as('seq')).groupBy('lane'))
    .execute();
  for (const row of latest) {
    if (row.lane !== null) ofLane(row.lane).latest = { status: row.status, lastError: row.last_error, updatedAt: row.updated_at };
  }

  const pending = await inLanes
    .select(['lane', 'attempts', 'run_at', 'last_error', 'updated_at', 'waiting_for', 'throttled_since'])
    .where('status', '=', 'queued')
    // Failed before, waiting for a connection, or waiting for a rate limit (which uses no attempt).
    .where((eb) => eb.or([eb('attempts', '>', 0), eb('waiting_for', 'is not', null), eb('throttled_since', 'is not', null)]))
    .orderBy('seq')
    .execute();
  for (const row of pending) {
    if (row.lane === null) continue;
    const lane = ofLane(row.lane);
    const provider = PROVIDER_KEYS.find((key) => waitingForConnection(key) === row.waiting_for);
    if (provider !== undefined) {
      if (!lane.waitingFor.includes(provider)) lane.waitingFor.push(provider);
    } else if (lane.retry === null && (row.attempts > 0 || row.throttled_since !== null)) {
      lane.retry = { runAt: row.run_at, lastError: row.last_error, updatedAt: row.updated_at };
    }
  }

  const succeeded = await inLanes
    .select((eb) => ['lane', eb.fn.max('finished_at').as('finished')])
    .where('status', '=', 'succeeded')
    .groupBy('lane')
    .execute();
  for (const row of succeeded) {
    if (row.lane !== null && row.finished !== null) ofLane(row.lane).lastSuccessAt = row.finished;
  }
  return facts;
}

import type { Kysely } from 'kysely';
import { identityKey } from '../core/stored-text.js';
import type { Database } from '../db/tables.js';

/**
 * Lanes: jobs sharing a lane run one at a time, in enqueue order (jobs-repository.ts claimJobs);
 * jobs of different lanes run side by side. A job's lane is decided once, when it is enqueued.
 *
 * - `<provider>:<kind>:<id>` — one vendor entity, e.g. `linear:issue:<id>`, `pagerduty:incident:<id>`
 *   (a Linear comment's work joins its issue's lane);
 * - `link:<id>` — a linked Linear issue and PagerDuty incident: the work of both directions of
 *   the pair, so it never runs concurrently or out of order.
 *
 * Parts are bounded like every stored id (core/stored-text.ts): a kind over 100 or an id over 200
 * characters, or one with a NUL, is replaced by its SHA-256 — never cut, so lanes stay distinct.
 * Already-bounded ids are left as they are, so bounding twice changes nothing.
 */

/** What a job is about, as far as its lane is concerned. */
export interface LaneEntity {
  provider: string;
  /** e.g. `issue`, `incident`. */
  kind: string;
  id: string;
}

export function entityLane(provider: string, kind: string, id: string): string {
  return `${provider}:${identityKey(kind, 100)}:${identityKey(id, 200)}`;
}

export function linkLane(linkId: string): string {
  return `link:${identityKey(linkId, 200)}`;
}

/**
 * Picks the lane of a job about `entity`, when it is enqueued. Called inside the enqueueing
 * transaction (`db`), so what it reads (e.g. whether the entity is linked) is what the job
 * commits with. The default gives each entity its own lane; sync gives a linked entity its
 * link's lane. Jobs already queued keep the lane they were given.
 */
export type LaneResolver = (db: Kysely<Database>, organisationId: string, entity: LaneEntity) => Promise<string>;

export const entityLaneResolver: LaneResolver = (_db, _organisationId, entity) =>
  Promise.resolve(entityLane(entity.provider, entity.kind, entity.id));

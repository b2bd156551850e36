import type { Kysely } from 'kysely';
import { findConnection } from '../connections/connections-repository.js';
import type { Database } from '../db/tables.js';
import { providers } from '../providers/registry.js';
import { laneFacts, linkLaneOf } from './lane-facts.js';
import type { Link } from './link.js';
import { linkHealth, NO_LANE_FACTS, type LinkHealth, type LinkStatus, type UnusableConnection } from './link-status.js';
import { linkFromRow } from './links-repository.js';

/**
 * The Links tab's list (issue 11 item 6): the organisation's links, the latest activity first
 * (by `updated_at`, which every change — each event in or action out — sets), each with how it
 * stands (link-status.ts). Search by issue identifier ("ENG-12", or a team key "ENG" for all of
 * its issues) or incident number ("#7", "7"); filter by rule and status.
 *
 * The status is derived from the jobs, not stored, so a status filter reads links in chunks and
 * keeps those that match; a page stops after {@link SCAN_LIMIT} links read, short, with a
 * cursor to go on from.
 */

export interface LinkWithHealth {
  link: Link;
  health: LinkHealth;
}

export interface LinkFilter {
  q?: string | undefined;
  ruleId?: string | undefined;
  status?: LinkStatus | undefined;
  /** Only links after this one in the order (activity before, or the same with a smaller id). */
  after?: { updatedAt: number; id: string } | undefined;
  limit: number;
}

export const SCAN_LIMIT = 1000;

type Db = Kysely<Database>;

/** The connections a pair needs that are not Connected. */
export async function unusableConnections(db: Db, organisationId: string): Promise<UnusableConnection[]> {
  const unusable: UnusableConnection[] = [];
  for (const provider of [providers.issueTracker().name, providers.incidentPager().name]) {
    const connection = await findConnection(db, organisationId, provider);
    const status = connection?.status ?? 'not_connected';
    if (status !== 'connected') unusable.push({ provider, status });
  }
  return unusable;
}

/** Each link with its health, reading the lanes of all of them at once. */
export async function withHealth(db: Db, organisationId: string, links: Link[], unusable: readonly UnusableConnection[]): Promise<LinkWithHealth[]> {
  const facts = await laneFacts(db, organisationId, [...new Set(links.map(linkLaneOf))]);
  return links.map((link) => ({ link, health: linkHealth(link, facts.get(linkLaneOf(link)) ?? NO_LANE_FACTS, unusable) }));
}

/** How the search box reads: an incident number, or an issue identifier (or team key). */
function searchOf(q: string | undefined): { incidentNumber: number } | { identifier: string; teamKey: boolean } | undefined {
  const text = q?.trim() ?? '';
  if (text === '') return undefined;
  const number = /^#?(\d{1,9})$/.exec(text);
  if (number?.[1] !== undefined) return { incidentNumber: Number(number[1]) };
  return { identifier: text.toUpperCase(), teamKey: /^[A-Z0-9]+$/i.test(text) };
}

async function readChunk(db: Db, organisationId: string, filter: LinkFilter, after: LinkFilter['after'], size: number): Promise<Link[]> {
  let select = db.selectFrom('sync_links').selectAll().where('organisation_id', '=', organisationId);
  const search = searchOf(filter.q);
  if (search !== undefined && 'incidentNumber' in search) select = select.where('incident_number', '=', search.incidentNumber);
  if (search !== undefined && 'identifier' in search) {
    const { identifier, teamKey } = search;
    select = select.where((eb) => {
      const upper = eb.fn<string>('upper', ['issue_identifier']);
      // A team key has only letters and digits: no LIKE wildcard can be in it.
      return teamKey ? eb.or([eb(upper, '=', identifier), eb(upper, 'like', `${identifier}-%`)]) : eb(upper, '=', identifier);
    });
  }
  if (filter.ruleId !== undefined) select = select.where('rule_id', '=', filter.ruleId);
  if (filter.status === 'closed') select = select.where('closed_at', 'is not', null);
  else if (filter.status !== undefined) select = select.where('closed_at', 'is', null);
  if (after !== undefined) {
    select = select.where((eb) => eb.or([eb('updated_at', '<', after.updatedAt), eb.and([eb('updated_at', '=', after.updatedAt), eb('id', '<', after.id)])]));
  }
  const rows = await select.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(size).execute();
  return rows.map(linkFromRow);
}

/**
 * One page of links. `next` is where the next page starts (null at the end): after the last
 * link shown, or — when the scan limit stopped a status-filtered page short — after the last
 * link read.
 */
export async function listLinks(db: Db, organisationId: string, filter: LinkFilter): Promise<{ links: LinkWithHealth[]; next: { updatedAt: number; id: string } | null }> {
  const unusable = await unusableConnections(db, organisationId);
  const found: LinkWithHealth[] = [];
  const chunk = filter.status === undefined ? filter.limit + 1 : Math.max(filter.limit + 1, 100);
  let after = filter.after;
  let scanned = 0;
  for (;;) {
    const links = await readChunk(db, organisationId, filter, after, chunk);
    scanned += links.length;
    for (const item of await withHealth(db, organisationId, links, unusable)) {
      if (filter.status === undefined || item.health.status === filter.status) found.push(item);
      if (found.length > filter.limit) {
        const page = found.slice(0, filter.limit);
        const last = page.at(-1)?.link;
        return { links: page, next: last === undefined ? null : { updatedAt: last.updatedAt, id: last.id } };
      }
    }
    const last = links.at(-1);
    if (links.length < chunk || last === undefined) return { links: found, next: null };
    after = { updatedAt: last.updatedAt, id: last.id };
    if (scanned >= SCAN_LIMIT) return { links: found, next: after };
  }
}

/** One link with its health; undefined for an unknown link or another organisation's. */
export async function linkWithHealth(db: Db, organisationId: string, link: Link | undefined): Promise<LinkWithHealth | undefined> {
  if (link === undefined) return undefined;
  const [item] = await withHealth(db, organisationId, [link], await unusableConnections(db, organisationId));
  return item;
}

import type { Kysely } from 'kysely';
import { newId } from '../core/ids.js';
import { displayText } from '../core/stored-text.js';
import type { Database, LedgerDirection, LedgerEntryKind } from '../db/tables.js';

/**
 * The sync ledger: each link's two-way timeline, as the link page shows it (issue 11 item 6) —
 * every event received, every action taken upstream, every echo of the hub's own change
 * dropped, every skip and failure, in words.
 */

export interface LedgerEntry {
  id: string;
  linkId: string;
  at: number;
  direction: LedgerDirection;
  entry: LedgerEntryKind;
  summary: string;
  deliveryId: string | null;
  jobId: string | null;
}

export async function appendLedger(
  db: Kysely<Database>,
  line: { organisationId: string; linkId: string; at: number; direction: LedgerDirection; entry: LedgerEntryKind; summary: string; deliveryId?: string | null; jobId?: string | null },
): Promise<void> {
  await db
    .insertInto('sync_ledger')
    .values({
      id: newId('led'),
      organisation_id: line.organisationId,
      link_id: line.linkId,
      at: line.at,
      direction: line.direction,
      entry: line.entry,
      summary: displayText(line.summary, 1000),
      delivery_id: line.deliveryId ?? null,
      job_id: line.jobId ?? null,
    })
    .execute();
}

/** The link's timeline, oldest first (the latest `limit` entries). */
export async function linkLedger(db: Kysely<Database>, organisationId: string, linkId: string, limit = 500): Promise<LedgerEntry[]> {
  const rows = await db
    .selectFrom('sync_ledger')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('link_id', '=', linkId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse().map((row) => ({
    id: row.id,
    linkId: row.link_id,
    at: row.at,
    direction: row.direction,
    entry: row.entry,
    summary: row.summary,
    deliveryId: row.delivery_id,
    jobId: row.job_id,
  }));
}

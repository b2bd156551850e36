import type { Kysely } from 'kysely';
import { newId } from '../core/ids.js';
import { displayText } from '../core/stored-text.js';
import type { Database, LedgerDirection, LedgerEntryKind } from '../db/tables.js';
import type { SyncMetrics } from './metrics.js';
import type { WriteKind } from './writes.js';

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
  /** Set when the reconciliation found what this line records. */
  foundBy: 'reconciliation' | null;
}

export interface LedgerLine {
  organisationId: string;
  linkId: string;
  at: number;
  direction: LedgerDirection;
  entry: LedgerEntryKind;
  /** What an action or echo wrote (counted in the metrics). */
  kind?: WriteKind;
  summary: string;
  deliveryId?: string | null;
  jobId?: string | null;
  /** 'reconciliation' when the reconciliation found what this line records (docs/reconciliation.md). */
  foundBy?: 'reconciliation' | null;
}

let sequence = 0;

/**
 * Ledger ids sort in the order the lines were written — the time, then a counter of this process
 * — so a timeline read by (at, id) keeps two lines of one millisecond in order. A pair's lines are
 * written by one job at a time (its lane), so one process's counter is enough.
 */
function ledgerId(at: number): string {
  sequence = (sequence + 1) % 36 ** 4;
  return `led_${at.toString(36).padStart(9, '0')}${sequence.toString(36).padStart(4, '0')}_${newId('x').slice(2, 12)}`;
}

/** Appends the line; actions, skips, failures and echoes are also counted in `metrics`. */
export async function appendLedger(db: Kysely<Database>, line: LedgerLine, metrics?: SyncMetrics): Promise<void> {
  await db
    .insertInto('sync_ledger')
    .values({
      id: ledgerId(line.at),
      organisation_id: line.organisationId,
      link_id: line.linkId,
      at: line.at,
      direction: line.direction,
      entry: line.entry,
      summary: displayText(line.summary, 1000),
      delivery_id: line.deliveryId ?? null,
      job_id: line.jobId ?? null,
      found_by: line.foundBy ?? null,
    })
    .execute();
  if (metrics === undefined || line.direction === 'none') return;
  const kind = line.kind ?? 'link';
  if (line.entry === 'echo') metrics.echoes.inc({ direction: line.direction, kind });
  if (line.entry === 'action' || line.entry === 'skipped' || line.entry === 'failed') {
    const outcome = line.entry === 'action' ? 'done' : line.entry;
    metrics.actions.inc({ direction: line.direction, kind, outcome });
  }
  if (line.entry === 'action' && line.deliveryId != null) await observeFirstAction(db, line.deliveryId, line.direction, line.at, metrics);
}

/** The delivery's first action: time from its arrival (later actions of the same delivery are not). */
async function observeFirstAction(db: Kysely<Database>, deliveryId: string, direction: LedgerDirection, at: number, metrics: SyncMetrics): Promise<void> {
  const actions = await db.selectFrom('sync_ledger').select('id').where('delivery_id', '=', deliveryId).where('entry', '=', 'action').limit(2).execute();
  if (actions.length !== 1) return;
  const delivery = await db.selectFrom('webhook_deliveries').select('received_at').where('id', '=', deliveryId).executeTakeFirst();
  if (delivery !== undefined) metrics.firstAction.observe({ direction }, Math.max(0, at - delivery.received_at) / 1000);
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
    foundBy: row.found_by === 'reconciliation' ? 'reconciliation' : null,
  }));
}

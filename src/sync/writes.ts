import { createHash } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { newId } from '../core/ids.js';
import type { Database, SyncWritesTable, SyncWriteStatus } from '../db/tables.js';

/**
 * Every write the hub makes upstream, recorded **before** the call (issue 11 items 4 and 5):
 * - exactly once: a write is keyed by what it mirrors (`sourceKey`, unique per organisation and
 *   kind — e.g. the Linear comment a PagerDuty note copies). A retry finds the record: `done`
 *   means skip; `intended` means the call may or may not have happened — the caller checks
 *   upstream (by the id it chose, or by the content's hash) before calling again;
 * - loop-proof: when the vendor's webhook for the write comes back, `echoOf` recognises it by
 *   the upstream id or the expected state — not by who acted, since the connected users also
 *   act by hand and those actions must sync — and marks it `echoed` so it is dropped once.
 */

export type WriteKind = 'incident' | 'note' | 'comment' | 'attachment' | 'issue_state' | 'incident_status';

export interface SyncWrite {
  id: string;
  linkId: string;
  kind: WriteKind;
  sourceKey: string;
  externalId: string | null;
  contentHash: string | null;
  expected: string | null;
  status: SyncWriteStatus;
  createdAt: number;
}

const fromRow = (row: Selectable<SyncWritesTable>): SyncWrite => ({
  id: row.id,
  linkId: row.link_id,
  kind: row.kind as WriteKind,
  sourceKey: row.source_key,
  externalId: row.external_id,
  contentHash: row.content_hash,
  expected: row.expected,
  status: row.status,
  createdAt: row.created_at,
});

/** SHA-256 of text as written upstream (trailing whitespace aside: vendors trim). */
export const contentHash = (content: string): string => createHash('sha256').update(content.trimEnd()).digest('hex');

export interface IntendedWrite {
  organisationId: string;
  linkId: string;
  kind: WriteKind;
  sourceKey: string;
  externalId?: string | null;
  contentHash?: string | null;
  expected?: string | null;
  at: number;
}

/**
 * Records the write before the call; when one with this key exists already (a retry, or a
 * duplicate delivery), returns that one instead. `fresh` says which.
 */
export async function intendWrite(db: Kysely<Database>, write: IntendedWrite): Promise<{ write: SyncWrite; fresh: boolean }> {
  const existing = await db
    .selectFrom('sync_writes')
    .selectAll()
    .where('organisation_id', '=', write.organisationId)
    .where('kind', '=', write.kind)
    .where('source_key', '=', write.sourceKey)
    .executeTakeFirst();
  if (existing !== undefined) return { write: fromRow(existing), fresh: false };
  const row = {
    id: newId('wrt'),
    organisation_id: write.organisationId,
    link_id: write.linkId,
    kind: write.kind,
    source_key: write.sourceKey,
    external_id: write.externalId ?? null,
    content_hash: write.contentHash ?? null,
    expected: write.expected ?? null,
    status: 'intended' as const,
    created_at: write.at,
    done_at: null,
  };
  await db.insertInto('sync_writes').values(row).execute();
  return { write: fromRow(row), fresh: true };
}

/** The call succeeded (and returned this upstream id, if the hub did not choose it). */
export async function markWriteDone(db: Kysely<Database>, write: Pick<SyncWrite, 'id'>, at: number, externalId?: string): Promise<void> {
  await db
    .updateTable('sync_writes')
    .set({ status: 'done', done_at: at, ...(externalId !== undefined ? { external_id: externalId } : {}) })
    .where('id', '=', write.id)
    .where('status', '=', 'intended')
    .execute();
}

/**
 * The hub's own write of this kind that the event shows coming back, marked `echoed` (so a
 * second, real change to the same value is not mistaken for it); undefined when the event is
 * someone's real action. By upstream id (comments, notes) or by the value a state write expected.
 */
export async function takeEcho(
  db: Kysely<Database>,
  organisationId: string,
  match: { kind: WriteKind; linkId?: string; externalId?: string; expected?: string; contentHash?: string },
): Promise<SyncWrite | undefined> {
  let query = db
    .selectFrom('sync_writes')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', match.kind)
    .where('status', 'in', ['intended', 'done']);
  if (match.linkId !== undefined) query = query.where('link_id', '=', match.linkId);
  if (match.externalId !== undefined) query = query.where('external_id', '=', match.externalId);
  if (match.expected !== undefined) query = query.where('expected', '=', match.expected);
  if (match.contentHash !== undefined) query = query.where('content_hash', '=', match.contentHash);
  const row = await query.orderBy('created_at').orderBy('id').executeTakeFirst();
  if (row === undefined) return undefined;
  await db.updateTable('sync_writes').set({ status: 'echoed' }).where('id', '=', row.id).execute();
  return fromRow(row);
}

/** Whether the hub wrote this upstream entity (by its id), whatever the record's status. */
export async function isOwnWrite(db: Kysely<Database>, organisationId: string, kind: WriteKind, externalId: string): Promise<boolean> {
  const row = await db
    .selectFrom('sync_writes')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', kind)
    .where('external_id', '=', externalId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * For state writes (an issue's state, an incident's status) the hub reads what the vendor shows
 * **now**: an echo is a write of the link that expected exactly that. Whatever the outcome, every
 * other outstanding state write of the link is settled (superseded): the pair has moved past it
 * — a person acted before its echo arrived — so it can never be mistaken later for the echo of a
 * real change to the same value. The pair's jobs run one at a time (its lane), so no write of
 * the link is in flight meanwhile.
 */
export async function takeStateEcho(
  db: Kysely<Database>,
  organisationId: string,
  match: { kind: 'issue_state' | 'incident_status'; linkId: string; observed: string },
): Promise<SyncWrite | undefined> {
  const outstanding = await db
    .selectFrom('sync_writes')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('link_id', '=', match.linkId)
    .where('kind', '=', match.kind)
    .where('status', 'in', ['intended', 'done'])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  if (outstanding.length === 0) return undefined;
  await db
    .updateTable('sync_writes')
    .set({ status: 'echoed' })
    .where('id', 'in', outstanding.map((row) => row.id))
    .execute();
  const echo = outstanding.find((row) => row.expected === match.observed);
  return echo === undefined ? undefined : fromRow(echo);
}

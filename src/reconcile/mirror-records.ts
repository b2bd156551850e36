import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { MirrorRecord } from './drift.js';

/**
 * What the hub wrote and mirrored for each of these links, from its write records (sync/writes.ts):
 * notes it wrote (a `note` write's upstream id) and comments it wrote (a `comment` write's id),
 * and what each mirrors (`note:<id>` / `comment:<id>` source keys). A write still `intended` (its
 * call failed or the hub stopped before it finished) does not count as mirrored: the heal finishes it.
 */
export async function mirrorRecords(db: Kysely<Database>, organisationId: string, linkIds: readonly string[]): Promise<Map<string, MirrorRecord>> {
  const records = new Map<string, { hubNoteIds: Set<string>; mirroredNoteIds: Set<string>; hubCommentIds: Set<string>; mirroredCommentIds: Set<string> }>();
  for (const id of linkIds) records.set(id, { hubNoteIds: new Set(), mirroredNoteIds: new Set(), hubCommentIds: new Set(), mirroredCommentIds: new Set() });
  if (linkIds.length === 0) return records;
  const rows = await db
    .selectFrom('sync_writes')
    .select(['link_id', 'kind', 'source_key', 'external_id', 'status'])
    .where('organisation_id', '=', organisationId)
    .where('link_id', 'in', [...linkIds])
    .where('kind', 'in', ['note', 'comment'])
    .execute();
  for (const row of rows) {
    const record = records.get(row.link_id);
    if (record === undefined) continue;
    const finished = row.status !== 'intended';
    if (row.kind === 'note') {
      if (row.external_id !== null) record.hubNoteIds.add(row.external_id);
      if (finished && row.source_key.startsWith('comment:')) record.mirroredCommentIds.add(row.source_key.slice('comment:'.length));
    } else {
      if (row.external_id !== null) record.hubCommentIds.add(row.external_id);
      if (finished && row.source_key.startsWith('note:')) record.mirroredNoteIds.add(row.source_key.slice('note:'.length));
    }
  }
  return records;
}

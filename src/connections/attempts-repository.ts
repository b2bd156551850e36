import type { Kysely, Selectable } from 'kysely';
import type { Database, OAuthAttemptsTable } from '../db/tables.js';

type Db = Kysely<Database>;
export type AttemptRow = Selectable<OAuthAttemptsTable>;

/** Row access for `oauth_attempts` (one per Connect click; see connections/connect.ts). */

export async function insertAttempt(db: Db, row: AttemptRow): Promise<void> {
  await db.insertInto('oauth_attempts').values(row).execute();
}

export async function findAttemptByStateHash(db: Db, stateHash: string): Promise<AttemptRow | undefined> {
  return db.selectFrom('oauth_attempts').selectAll().where('state_hash', '=', stateHash).executeTakeFirst();
}

export async function findAttempt(db: Db, organisationId: string, userId: string, id: string): Promise<AttemptRow | undefined> {
  return db
    .selectFrom('oauth_attempts')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** pending → exchanging, once: the callback that wins this owns the attempt. */
export async function claimAttempt(db: Db, id: string): Promise<boolean> {
  const result = await db
    .updateTable('oauth_attempts')
    .set({ status: 'exchanging' })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function finishAttempt(
  db: Db,
  id: string,
  outcome: { status: 'succeeded' | 'failed'; code: string | null; message: string },
  now: number,
): Promise<void> {
  await db
    .updateTable('oauth_attempts')
    .set({ status: outcome.status, error_code: outcome.code, message: outcome.message, finished_at: now })
    .where('id', '=', id)
    .execute();
}

/** Attempts created before `before` (at most `limit`), for purging. */
export async function findAttemptsBefore(db: Db, before: number, limit: number): Promise<Pick<AttemptRow, 'id' | 'organisation_id'>[]> {
  return db.selectFrom('oauth_attempts').select(['id', 'organisation_id']).where('created_at', '<', before).limit(limit).execute();
}

export async function deleteAttempt(db: Db, id: string): Promise<void> {
  await db.deleteFrom('oauth_attempts').where('id', '=', id).execute();
}

import type { Kysely, Selectable } from 'kysely';
import type { Database, OAuthAttemptsTable, ProviderName } from '../db/tables.js';
import type { ConnectFailureCode } from './outcome-codes.js';

type Db = Kysely<Database>;

/** One Connect click (see connect-start.ts and connect.ts); the PKCE verifier is in the vault. */
export interface ConnectAttempt {
  id: string;
  organisationId: string;
  userId: string;
  /** The session that clicked Connect: the callback must arrive in the same session. */
  sessionIdHash: string;
  provider: ProviderName;
  /** SHA-256 (hex) of the one-time `state`. */
  stateHash: string;
  /** pending → exchanging (the callback claimed it) → succeeded | failed. */
  status: 'pending' | 'exchanging' | 'succeeded' | 'failed';
  errorCode: ConnectFailureCode | null;
  message: string | null;
  createdAt: number;
  expiresAt: number;
  finishedAt: number | null;
}

const fromRow = (row: Selectable<OAuthAttemptsTable>): ConnectAttempt => ({
  id: row.id,
  organisationId: row.organisation_id,
  userId: row.user_id,
  sessionIdHash: row.session_id_hash,
  provider: row.provider,
  stateHash: row.state_hash,
  status: row.status,
  // Written only from ConnectFailureCode (finishAttempt, connect.ts).
  errorCode: row.error_code as ConnectFailureCode | null,
  message: row.message,
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  finishedAt: row.finished_at,
});

/** Row access for `oauth_attempts`: attempts in and out as {@link ConnectAttempt}s. */

export async function insertAttempt(db: Db, attempt: ConnectAttempt): Promise<void> {
  await db
    .insertInto('oauth_attempts')
    .values({
      id: attempt.id,
      organisation_id: attempt.organisationId,
      user_id: attempt.userId,
      session_id_hash: attempt.sessionIdHash,
      provider: attempt.provider,
      state_hash: attempt.stateHash,
      status: attempt.status,
      error_code: attempt.errorCode,
      message: attempt.message,
      created_at: attempt.createdAt,
      expires_at: attempt.expiresAt,
      finished_at: attempt.finishedAt,
    })
    .execute();
}

export async function findAttemptByStateHash(db: Db, stateHash: string): Promise<ConnectAttempt | undefined> {
  const row = await db.selectFrom('oauth_attempts').selectAll().where('state_hash', '=', stateHash).executeTakeFirst();
  return row && fromRow(row);
}

export async function findAttempt(db: Db, organisationId: string, userId: string, id: string): Promise<ConnectAttempt | undefined> {
  const row = await db
    .selectFrom('oauth_attempts')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && fromRow(row);
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
  outcome: { status: 'succeeded' | 'failed'; code: ConnectFailureCode | null; message: string },
  now: number,
): Promise<void> {
  await db
    .updateTable('oauth_attempts')
    .set({ status: outcome.status, error_code: outcome.code, message: outcome.message, finished_at: now })
    .where('id', '=', id)
    .execute();
}

/** Attempts created before `before` (at most `limit`), for purging. */
export async function findAttemptsBefore(db: Db, before: number, limit: number): Promise<Array<Pick<ConnectAttempt, 'id' | 'organisationId'>>> {
  const rows = await db.selectFrom('oauth_attempts').select(['id', 'organisation_id']).where('created_at', '<', before).limit(limit).execute();
  return rows.map((row) => ({ id: row.id, organisationId: row.organisation_id }));
}

export async function deleteAttempt(db: Db, id: string): Promise<void> {
  await db.deleteFrom('oauth_attempts').where('id', '=', id).execute();
}

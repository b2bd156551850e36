import type { Kysely, Selectable } from 'kysely';
import type { Database, SessionsTable } from '../db/tables.js';

/** A stored session. Only the SHA-256 of the cookie value is kept, never the value. */
export interface Session {
  idHash: string;
  organisationId: string;
  userId: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

type Db = Kysely<Database>;

function sessionFromRow(row: Selectable<SessionsTable>): Session {
  return {
    idHash: row.id_hash,
    organisationId: row.organisation_id,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
  };
}

export async function insertSession(db: Db, session: Session): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id_hash: session.idHash,
      organisation_id: session.organisationId,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      created_at: session.createdAt,
      last_seen_at: session.lastSeenAt,
      expires_at: session.expiresAt,
    })
    .execute();
}

/**
 * Looks a session up by the hash of its cookie. Not filtered by organisation: the cookie is
 * what tells us the organisation (the hash is a 256-bit secret, unguessable across tenants).
 */
export async function findSessionByHash(db: Db, idHash: string): Promise<Session | undefined> {
  const row = await db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  return row === undefined ? undefined : sessionFromRow(row);
}

/** Sliding expiry: records activity and pushes the expiry out. */
export async function touchSession(db: Db, session: Session, lastSeenAt: number, expiresAt: number): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: lastSeenAt, expires_at: expiresAt })
    .where('organisation_id', '=', session.organisationId)
    .where('id_hash', '=', session.idHash)
    .execute();
}

export async function deleteSession(db: Db, organisationId: string, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('organisation_id', '=', organisationId).where('id_hash', '=', idHash).execute();
}

/**
 * Ends every session of one user at once (deactivation, password reset or change, "End
 * sessions"), except `keepIdHash` when given (the caller's own, after changing their password).
 * Answers how many ended.
 */
export async function deleteUserSessions(db: Db, organisationId: string, userId: string, keepIdHash?: string): Promise<number> {
  let query = db.deleteFrom('sessions').where('organisation_id', '=', organisationId).where('user_id', '=', userId);
  if (keepIdHash !== undefined) query = query.where('id_hash', '!=', keepIdHash);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Housekeeping across the installation: drops sessions past their expiry. */
export async function deleteExpiredSessions(db: Db, now: number): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

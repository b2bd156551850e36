import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';

/**
 * Writes of the user lifecycle: deactivation, removal and passwords. Like every query on
 * users (but log-in's), each is filtered by organisation_id; each answers whether a row of
 * that organisation was there.
 */

type Db = Kysely<Database>;

/** Deactivates (`at` = a time) or reactivates (`at` = null) a user. */
export async function setDeactivatedAt(db: Db, organisationId: string, userId: string, at: number | null, now: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ deactivated_at: at, updated_at: now })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', userId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Deletes the user; their sessions and connect attempts go with them (ON DELETE CASCADE). */
export async function deleteUser(db: Db, organisationId: string, userId: string): Promise<boolean> {
  const result = await db.deleteFrom('users').where('organisation_id', '=', organisationId).where('id', '=', userId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Sets a new password hash, and whether the user must change it before doing anything else. */
export async function setPassword(
  db: Db,
  organisationId: string,
  userId: string,
  change: { passwordHash: string; mustChangePassword: boolean },
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ password_hash: change.passwordHash, must_change_password: change.mustChangePassword ? 1 : 0, updated_at: now })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', userId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The stored hash of a user's password (to check the current one before changing it). */
export async function findPasswordHash(db: Db, organisationId: string, userId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('users')
    .select('password_hash')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', userId)
    .executeTakeFirst();
  return row?.password_hash;
}

import { sql } from 'kysely';
import { newId } from '../core/ids.js';
import type { HubDatabase } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { hashPassword } from './passwords.js';
import { countAdmins, findUser, insertUser, updateUser, type Role, type User } from './users-repository.js';

export interface NewUser {
  /** Already normalised. */
  email: string;
  name: string;
  password: string;
  role: Role;
}

/** Adds a user to `organisationId`; `email_taken` when the address is used anywhere in the installation. */
export async function addUser(
  database: HubDatabase,
  organisationId: string,
  input: NewUser,
  now: number,
): Promise<{ ok: true; user: User } | { ok: false; reason: 'email_taken' }> {
  const user: User = {
    id: newId('usr'),
    organisationId,
    email: input.email,
    name: input.name,
    role: input.role,
    createdAt: now,
    updatedAt: now,
  };
  const passwordHash = await hashPassword(input.password);
  try {
    await insertUser(database.db, user, passwordHash);
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'email_taken' };
    throw error;
  }
  return { ok: true, user };
}

class LastAdmin extends Error {}

/**
 * Changes a user's name and/or role within `organisationId`. Refuses to demote the
 * organisation's last admin. Race-safe: on PostgreSQL the organisation's admin rows are
 * locked (FOR UPDATE) before counting; SQLite runs one writer at a time.
 */
export async function changeUser(
  database: HubDatabase,
  organisationId: string,
  userId: string,
  changes: { name?: string | undefined; role?: Role | undefined },
  now: number,
): Promise<{ ok: true; user: User } | { ok: false; reason: 'not_found' | 'last_admin' }> {
  try {
    const user = await database.db.transaction().execute(async (trx) => {
      if (database.dialect === 'postgres' && changes.role === 'viewer') {
        await sql`select id from users where organisation_id = ${organisationId} and role = 'admin' for update`.execute(trx);
      }
      const current = await findUser(trx, organisationId, userId);
      if (current === undefined) return undefined;
      if (current.role === 'admin' && changes.role === 'viewer' && (await countAdmins(trx, organisationId)) <= 1) {
        throw new LastAdmin();
      }
      await updateUser(trx, organisationId, userId, changes, now);
      return findUser(trx, organisationId, userId);
    });
    return user === undefined ? { ok: false, reason: 'not_found' } : { ok: true, user };
  } catch (error) {
    if (error instanceof LastAdmin) return { ok: false, reason: 'last_admin' };
    throw error;
  }
}

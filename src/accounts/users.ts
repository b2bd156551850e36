import { newId } from '../core/ids.js';
import { fail, ok, type Result } from '../core/result.js';
import type { HubDatabase } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { hashPassword } from './passwords.js';
import { changeUnlessLastAdmin, type GuardedResult } from './last-admin.js';
import { noSuchUser } from './user-outcomes.js';
import { findUser, insertUser, updateUser, type Role, type User } from './users-repository.js';

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
): Promise<Result<User, 'email_taken'>> {
  const user: User = {
    id: newId('usr'),
    organisationId,
    email: input.email,
    name: input.name,
    role: input.role,
    createdAt: now,
    updatedAt: now,
    deactivatedAt: null,
    mustChangePassword: false,
  };
  const passwordHash = await hashPassword(input.password);
  try {
    await insertUser(database.db, user, passwordHash);
  } catch (error) {
    if (isUniqueViolation(error)) return fail('email_taken', 'A user with this e-mail address already exists.');
    throw error;
  }
  return ok(user);
}

/**
 * Changes a user's name and/or role within `organisationId`. Refuses to demote the
 * organisation's last active admin (see last-admin.ts: race-safe on both databases).
 */
export async function changeUser(
  database: HubDatabase,
  organisationId: string,
  userId: string,
  changes: { name?: string | undefined; role?: Role | undefined },
  now: number,
): Promise<GuardedResult<User>> {
  const guard = { takesAdminAway: changes.role === 'viewer', action: 'make them a viewer' };
  const result = await changeUnlessLastAdmin(database, organisationId, userId, guard, async (trx) => {
    await updateUser(trx, organisationId, userId, changes, now);
    return findUser(trx, organisationId, userId);
  });
  if (!result.ok) return result;
  return result.value === undefined ? noSuchUser() : ok(result.value);
}

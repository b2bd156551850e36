import { ok, type Result } from '../core/result.js';
import type { HubDatabase } from '../db/database.js';
import { changeUnlessLastAdmin, type GuardedResult } from './last-admin.js';
import { deleteUserSessions } from './sessions-repository.js';
import { noSuchUser } from './user-outcomes.js';
import { deleteUser, setDeactivatedAt } from './user-state-repository.js';
import { findUser, type User } from './users-repository.js';

/**
 * What an admin does to another user of their organisation: deactivate and reactivate,
 * remove, end their sessions. Every change that ends a user's access deletes their session
 * rows in the same transaction, so their next request is already refused (and resolveSession
 * refuses a deactivated user's session besides). Deactivating or removing the last active
 * admin is refused (`last_admin`, see last-admin.ts).
 */

/** Deactivates a user and ends all their sessions. Deactivating a deactivated user changes nothing but ends sessions again. */
export async function deactivateUser(database: HubDatabase, organisationId: string, userId: string, now: number): Promise<GuardedResult<User>> {
  const guard = { takesAdminAway: true, action: 'deactivate them' };
  return changeUnlessLastAdmin(database, organisationId, userId, guard, async (trx, user) => {
    const deactivatedAt = user.deactivatedAt ?? now;
    if (user.deactivatedAt === null) await setDeactivatedAt(trx, organisationId, userId, deactivatedAt, now);
    await deleteUserSessions(trx, organisationId, userId);
    return user.deactivatedAt === null ? { ...user, deactivatedAt, updatedAt: now } : user;
  });
}

/** Lets a deactivated user log in again (with the password they had). */
export async function reactivateUser(database: HubDatabase, organisationId: string, userId: string, now: number): Promise<Result<User, 'not_found'>> {
  return database.db.transaction().execute(async (trx) => {
    const user = await findUser(trx, organisationId, userId);
    if (user === undefined) return noSuchUser();
    if (user.deactivatedAt === null) return ok(user);
    await setDeactivatedAt(trx, organisationId, userId, null, now);
    return ok({ ...user, deactivatedAt: null, updatedAt: now });
  });
}

/**
 * Deletes a user for good; their sessions and connect attempts go with them. What they did
 * stays attributed by e-mail address (connections keep `connected_by_email`).
 */
export async function removeUser(database: HubDatabase, organisationId: string, userId: string): Promise<GuardedResult<User>> {
  const guard = { takesAdminAway: true, action: 'remove them' };
  return changeUnlessLastAdmin(database, organisationId, userId, guard, async (trx, user) => {
    await deleteUserSessions(trx, organisationId, userId);
    await deleteUser(trx, organisationId, userId);
    return user;
  });
}

/** Ends every session of a user (they stay able to log in); answers how many ended. */
export async function endUserSessions(database: HubDatabase, organisationId: string, userId: string): Promise<Result<number, 'not_found'>> {
  return database.db.transaction().execute(async (trx) => {
    if ((await findUser(trx, organisationId, userId)) === undefined) return noSuchUser();
    return ok(await deleteUserSessions(trx, organisationId, userId));
  });
}

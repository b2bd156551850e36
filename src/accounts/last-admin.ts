import { sql, type Kysely } from 'kysely';
import { ok, type Result } from '../core/result.js';
import type { HubDatabase } from '../db/database.js';
import type { Database } from '../db/tables.js';
import { lastAdmin, noSuchUser } from './user-outcomes.js';
import { countActiveAdmins, findUser, type User } from './users-repository.js';

/** The outcome of a change to one user that the last-admin guard watches over. */
export type GuardedResult<T> = Result<T, 'not_found' | 'last_admin'>;

/** Whether a change ends the user's being an admin, and its words for the `last_admin` message. */
export interface AdminGuard {
  takesAdminAway: boolean;
  /** Completes "make someone else an admin before you …", e.g. "deactivate them". */
  action: string;
}

/**
 * Runs `change` on one user of `organisationId` in a transaction, unless it would leave the
 * organisation without an active admin. When the change takes the admin role away (demotion,
 * deactivation, removal) and the user is the only active admin, it is refused (`last_admin`).
 *
 * Race-safe: on PostgreSQL the organisation's admin rows are locked (FOR UPDATE) before the
 * user is read and the admins counted, so two admins deactivating each other at once cannot
 * both succeed; SQLite runs one writer at a time.
 */
export async function changeUnlessLastAdmin<T>(
  database: HubDatabase,
  organisationId: string,
  userId: string,
  guard: AdminGuard,
  change: (trx: Kysely<Database>, user: User) => Promise<T>,
): Promise<GuardedResult<T>> {
  return database.db.transaction().execute(async (trx): Promise<GuardedResult<T>> => {
    if (database.dialect === 'postgres' && guard.takesAdminAway) {
      await sql`select id from users where organisation_id = ${organisationId} and role = 'admin' for update`.execute(trx);
    }
    const current = await findUser(trx, organisationId, userId);
    if (current === undefined) return noSuchUser();
    const activeAdmin = current.role === 'admin' && current.deactivatedAt === null;
    // Nothing is written before this check, so ending the transaction here changes nothing.
    if (guard.takesAdminAway && activeAdmin && (await countActiveAdmins(trx, organisationId)) <= 1) return lastAdmin(guard.action);
    return ok(await change(trx, current));
  });
}

import { sql, type Kysely } from 'kysely';
import type { HubDatabase } from '../db/database.js';
import type { Database } from '../db/tables.js';
import { countActiveAdmins, findUser, type User } from './users-repository.js';

/** The outcome of a change to one user that the last-admin guard watches over. */
export type GuardedResult<T> = { ok: true; value: T } | { ok: false; reason: 'not_found' | 'last_admin' };

class LastAdmin extends Error {}

/**
 * Runs `change` on one user of `organisationId` in a transaction, unless it would leave the
 * organisation without an active admin. `takesAdminAway` says whether the change ends the
 * user's being an admin (demotion, deactivation, removal); when it does and the user is an
 * active admin, the change is refused if they are the only one (`last_admin`).
 *
 * Race-safe: on PostgreSQL the organisation's admin rows are locked (FOR UPDATE) before the
 * user is read and the admins counted, so two admins deactivating each other at once cannot
 * both succeed; SQLite runs one writer at a time.
 */
export async function changeUnlessLastAdmin<T>(
  database: HubDatabase,
  organisationId: string,
  userId: string,
  takesAdminAway: boolean,
  change: (trx: Kysely<Database>, user: User) => Promise<T>,
): Promise<GuardedResult<T>> {
  try {
    const outcome = await database.db.transaction().execute(async (trx) => {
      if (database.dialect === 'postgres' && takesAdminAway) {
        await sql`select id from users where organisation_id = ${organisationId} and role = 'admin' for update`.execute(trx);
      }
      const current = await findUser(trx, organisationId, userId);
      if (current === undefined) return undefined;
      const activeAdmin = current.role === 'admin' && current.deactivatedAt === null;
      if (takesAdminAway && activeAdmin && (await countActiveAdmins(trx, organisationId)) <= 1) throw new LastAdmin();
      return { value: await change(trx, current) };
    });
    return outcome === undefined ? { ok: false, reason: 'not_found' } : { ok: true, value: outcome.value };
  } catch (error) {
    if (error instanceof LastAdmin) return { ok: false, reason: 'last_admin' };
    throw error;
  }
}

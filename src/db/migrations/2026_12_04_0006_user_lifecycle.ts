import type { Kysely } from 'kysely';

/**
 * The user lifecycle (accounts/user-lifecycle.ts, accounts/password-change.ts):
 * - `deactivated_at`: set while an admin has deactivated the user (null: active). A deactivated
 *   user cannot log in and no session of theirs is honoured; reactivating clears it.
 * - `must_change_password`: 1 after an admin reset the password to a temporary one; the user's
 *   sessions can then only change the password (0 again once they have).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('deactivated_at', 'bigint').execute();
  await db.schema
    .alterTable('users')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

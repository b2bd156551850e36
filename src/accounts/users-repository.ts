import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, UsersTable } from '../db/tables.js';

export type Role = 'admin' | 'viewer';

/** A user as the rest of the hub sees it. The password hash deliberately is not part of it. */
export interface User {
  id: string;
  organisationId: string;
  /** Lower-cased; unique across the installation. */
  email: string;
  name: string;
  role: Role;
  createdAt: number;
  updatedAt: number;
  /** When an admin deactivated the user; null while active. A deactivated user has no sessions. */
  deactivatedAt: number | null;
  /** After an admin reset the password: the user's sessions may only change it (guards.ts). */
  mustChangePassword: boolean;
}

type Db = Kysely<Database>;

const USER_COLUMNS = [
  'id',
  'organisation_id',
  'email',
  'name',
  'role',
  'created_at',
  'updated_at',
  'deactivated_at',
  'must_change_password',
] as const;

function userFromRow(row: Omit<Selectable<UsersTable>, 'password_hash'>): User {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    email: row.email,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deactivatedAt: row.deactivated_at,
    mustChangePassword: row.must_change_password === 1,
  };
}

export async function insertUser(db: Db, user: User, passwordHash: string): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: user.id,
      organisation_id: user.organisationId,
      email: user.email,
      name: user.name,
      password_hash: passwordHash,
      role: user.role,
      created_at: user.createdAt,
      updated_at: user.updatedAt,
      deactivated_at: user.deactivatedAt,
      must_change_password: user.mustChangePassword ? 1 : 0,
    })
    .execute();
}

export async function listUsers(db: Db, organisationId: string): Promise<User[]> {
  const rows = await db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(userFromRow);
}

export async function findUser(db: Db, organisationId: string, userId: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .select(USER_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', userId)
    .executeTakeFirst();
  return row === undefined ? undefined : userFromRow(row);
}

/**
 * INSTALLATION-WIDE on purpose: log-in starts from an e-mail address alone, and the address
 * decides the organisation (emails are unique across the installation). This is the only
 * query on users that is not filtered by organisation_id; use it for log-in and nothing else.
 * A deactivated user is not found: their log-in is refused exactly like an unknown address
 * (same answer, same scrypt work), so it reveals neither the account nor its state.
 */
export async function findUserForLogIn(db: Db, email: string): Promise<{ user: User; passwordHash: string } | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', email)
    .where('deactivated_at', 'is', null)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return { user: userFromRow(row), passwordHash: row.password_hash };
}

/**
 * INSTALLATION-WIDE on purpose: answers "has the first admin been created yet?" (setup,
 * bootstrap, GET /api/meta). Reveals nothing about any organisation.
 */
export async function anyUserExists(db: Db): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Admins of the organisation who are not deactivated (the last-admin guard counts these). */
export async function countActiveAdmins(db: Db, organisationId: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select(sql<number>`count(*)`.as('count'))
    .where('organisation_id', '=', organisationId)
    .where('role', '=', 'admin')
    .where('deactivated_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.count;
}

/** Changes name and/or role; false when no such user in that organisation. */
export async function updateUser(
  db: Db,
  organisationId: string,
  userId: string,
  changes: { name?: string | undefined; role?: Role | undefined },
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      updated_at: now,
    })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', userId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function updatePasswordHash(
  db: Db,
  organisationId: string,
  userId: string,
  passwordHash: string,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', userId)
    .execute();
}

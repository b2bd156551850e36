import { sql } from 'kysely';
import { newId } from '../core/ids.js';
import { fail, ok, type Failure, type Result } from '../core/result.js';
import type { HubDatabase } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import { insertOrganisation, type Organisation } from './organisations-repository.js';
import { hashPassword } from './passwords.js';
import { anyUserExists, insertUser, type User } from './users-repository.js';

export interface NewOrganisation {
  organisationName: string;
  /** The first admin's name, e-mail (already normalised) and password. */
  name: string;
  email: string;
  password: string;
  /** The admin must change the password at first log-in (a weak HUB_ADMIN_PASSWORD). Default false. */
  mustChangePassword?: boolean;
}

export type CreateOrganisationResult = Result<{ organisation: Organisation; user: User }, 'already_set_up' | 'email_taken'>;

/** The installation has its first admin: setup is over (POST /api/setup answers it early too). */
export const alreadySetUp = (): Failure<'already_set_up'> => fail('already_set_up', 'The hub is already set up. Log in instead.');

/** Any constant: the PostgreSQL advisory lock that serialises first-admin creation. */
const FIRST_ADMIN_LOCK = 7_310_001;

/** Thrown inside the transaction to roll back the organisation it inserted. */
class AlreadySetUp extends Error {}

/**
 * Creates an organisation and its first admin in one transaction.
 *
 * With `onlyIfNoUsers` (POST /api/setup, HUB_ADMIN_EMAIL bootstrap) it succeeds only while
 * the installation has no user at all, and is race-safe: PostgreSQL takes an advisory lock;
 * on SQLite the organisation insert is the transaction's first statement, so the write lock is
 * held before users are counted. Two concurrent setups therefore yield one success and one
 * `already_set_up`, never two organisations.
 */
export async function createOrganisationWithAdmin(
  database: HubDatabase,
  input: NewOrganisation,
  options: { now: number; onlyIfNoUsers: boolean },
): Promise<CreateOrganisationResult> {
  const passwordHash = await hashPassword(input.password); // slow: outside the transaction
  const organisation: Organisation = { id: newId('org'), name: input.organisationName, createdAt: options.now };
  const user: User = {
    id: newId('usr'),
    organisationId: organisation.id,
    email: input.email,
    name: input.name,
    role: 'admin',
    createdAt: options.now,
    updatedAt: options.now,
    deactivatedAt: null,
    mustChangePassword: input.mustChangePassword === true,
  };
  try {
    await database.db.transaction().execute(async (trx) => {
      if (options.onlyIfNoUsers && database.dialect === 'postgres') {
        await sql`select pg_advisory_xact_lock(${FIRST_ADMIN_LOCK})`.execute(trx);
      }
      await insertOrganisation(trx, organisation);
      if (options.onlyIfNoUsers && (await anyUserExists(trx))) throw new AlreadySetUp();
      await insertUser(trx, user, passwordHash);
    });
  } catch (error) {
    if (error instanceof AlreadySetUp) return alreadySetUp();
    if (isUniqueViolation(error)) return fail('email_taken', 'A user with this e-mail address already exists.');
    throw error;
  }
  return ok({ organisation, user });
}

import { randomInt } from 'node:crypto';
import { fail, ok, type Failure, type Ok, type Result } from '../core/result.js';
import type { HubDatabase } from '../db/database.js';
import { lockedOut, logInThrottleKeys, type TooManyAttempts } from './login-throttle.js';
import { reserveAttempt, settleSuccess } from './login-throttle-store.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { SessionContext } from './sessions.js';
import { deleteUserSessions } from './sessions-repository.js';
import { noSuchUser } from './user-outcomes.js';
import { findPasswordHash, setPassword } from './user-state-repository.js';
import { findUser, type User } from './users-repository.js';

/**
 * Passwords after the account exists: an admin's reset to a temporary password, and a user's
 * change of their own. Both end sessions in the same transaction as the new hash is stored.
 */

/** 31 characters nobody confuses (no 0/o, 1/l/i); 4 groups of 5 are ~99 bits of randomness. */
const TEMPORARY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A random password like "k7m2p-x9qrt-4hd8w-tc3ze", readable aloud and typed without doubt. */
export function temporaryPassword(): string {
  const group = () => Array.from({ length: 5 }, () => TEMPORARY_ALPHABET[randomInt(TEMPORARY_ALPHABET.length)]).join('');
  return [group(), group(), group(), group()].join('-');
}

/**
 * Admin: gives the user a new random password, to be shown once to the admin and never
 * stored in clear, and ends all the user's sessions. The user must change it at their next
 * log-in (`mustChangePassword`: their sessions can do nothing else until they have).
 */
export async function resetPassword(
  database: HubDatabase,
  organisationId: string,
  userId: string,
  now: number,
): Promise<Result<{ user: User; temporaryPassword: string }, 'not_found'>> {
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password); // slow: outside the transaction
  const user = await database.db.transaction().execute(async (trx) => {
    const found = await findUser(trx, organisationId, userId);
    if (found === undefined) return undefined;
    await setPassword(trx, organisationId, userId, { passwordHash, mustChangePassword: true }, now);
    await deleteUserSessions(trx, organisationId, userId);
    return { ...found, mustChangePassword: true, updatedAt: now };
  });
  return user === undefined ? noSuchUser() : ok({ user, temporaryPassword: password });
}

/** A refusal that is about one field of the input: `details` name it, like a validation problem. */
type FieldFailure = Failure<'wrong_password' | 'password_unchanged', Array<{ path: string; message: string }>>;

export type ChangeOwnPasswordResult = Ok<{ user: User; sessionsEnded: number }> | FieldFailure | TooManyAttempts;

/**
 * The caller changes their own password. The current password is checked like a log-in: the
 * attempt counts against the same throttle (account and address) before the check, so a
 * stolen session cannot be used to guess the password faster than the log-in form allows.
 * On success every OTHER session of the user ends; the caller's stays, and
 * `mustChangePassword` is cleared. The new password's strength is checked by the caller.
 */
export async function changeOwnPassword(
  database: HubDatabase,
  context: SessionContext,
  input: { currentPassword: string; newPassword: string; address: string },
  now: number,
): Promise<ChangeOwnPasswordResult> {
  const { user, session } = context;
  const keys = logInThrottleKeys(user.email, input.address);
  const reservation = await reserveAttempt(database, [keys.account, keys.address], now);
  if (!reservation.ok) return lockedOut(reservation.details.lockedMs, 'Too many wrong passwords.');

  const storedHash = await findPasswordHash(database.db, user.organisationId, user.id);
  if (storedHash === undefined || !(await verifyPassword(input.currentPassword, storedHash))) {
    return fail('wrong_password', 'The current password is wrong.', [{ path: 'currentPassword', message: 'is not your current password' }]);
  }
  await settleSuccess(database, reservation.value);
  if (input.newPassword.normalize('NFC') === input.currentPassword.normalize('NFC')) {
    return fail('password_unchanged', 'The new password is the current one: choose another.', [
      { path: 'newPassword', message: 'must differ from the current password' },
    ]);
  }

  const passwordHash = await hashPassword(input.newPassword);
  const sessionsEnded = await database.db.transaction().execute(async (trx) => {
    await setPassword(trx, user.organisationId, user.id, { passwordHash, mustChangePassword: false }, now);
    return deleteUserSessions(trx, user.organisationId, user.id, session.idHash);
  });
  return ok({ user: { ...user, mustChangePassword: false, updatedAt: now }, sessionsEnded });
}

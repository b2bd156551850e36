import { randomInt } from 'node:crypto';
import type { HubDatabase } from '../db/database.js';
import { logInThrottleKeys } from './login-throttle.js';
import { reserveAttempt, settleSuccess } from './login-throttle-store.js';
import { hashPassword, verifyPassword } from './passwords.js';
import type { SessionContext } from './sessions.js';
import { deleteUserSessions } from './sessions-repository.js';
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
 * undefined: no such user in this organisation.
 */
export async function resetPassword(
  database: HubDatabase,
  organisationId: string,
  userId: string,
  now: number,
): Promise<{ user: User; temporaryPassword: string } | undefined> {
  const password = temporaryPassword();
  const passwordHash = await hashPassword(password); // slow: outside the transaction
  const user = await database.db.transaction().execute(async (trx) => {
    const found = await findUser(trx, organisationId, userId);
    if (found === undefined) return undefined;
    await setPassword(trx, organisationId, userId, { passwordHash, mustChangePassword: true }, now);
    await deleteUserSessions(trx, organisationId, userId);
    return { ...found, mustChangePassword: true, updatedAt: now };
  });
  return user === undefined ? undefined : { user, temporaryPassword: password };
}

export type ChangeOwnPasswordResult =
  | { ok: true; user: User; sessionsEnded: number }
  | { ok: false; reason: 'wrong_password' | 'password_unchanged' }
  | { ok: false; reason: 'locked'; retryAfterSeconds: number };

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
  if (!reservation.ok) return { ok: false, reason: 'locked', retryAfterSeconds: Math.ceil(reservation.lockedMs / 1000) };

  const storedHash = await findPasswordHash(database.db, user.organisationId, user.id);
  if (storedHash === undefined || !(await verifyPassword(input.currentPassword, storedHash))) {
    return { ok: false, reason: 'wrong_password' };
  }
  await settleSuccess(database, reservation.counted);
  if (input.newPassword.normalize('NFC') === input.currentPassword.normalize('NFC')) return { ok: false, reason: 'password_unchanged' };

  const passwordHash = await hashPassword(input.newPassword);
  const sessionsEnded = await database.db.transaction().execute(async (trx) => {
    await setPassword(trx, user.organisationId, user.id, { passwordHash, mustChangePassword: false }, now);
    return deleteUserSessions(trx, user.organisationId, user.id, session.idHash);
  });
  return { ok: true, user: { ...user, mustChangePassword: false, updatedAt: now }, sessionsEnded };
}

import { fail, ok, type Failure, type Ok } from '../core/result.js';
import type { HubDatabase } from '../db/database.js';
import { lockedOut, logInThrottleKeys, type TooManyAttempts } from './login-throttle.js';
import { reserveAttempt, settleSuccess } from './login-throttle-store.js';
import { hashPassword, needsRehash, verifyAgainstDummy, verifyPassword } from './passwords.js';
import { findOrganisation } from './organisations-repository.js';
import { startSession, type SessionContext, type SessionTiming } from './sessions.js';
import { findUserForLogIn, updatePasswordHash } from './users-repository.js';

export interface LogInInput {
  /** Already trimmed and lower-cased. */
  email: string;
  password: string;
  /** The client's address (request.ip), for the per-address throttle. */
  address: string;
}

export type LogInResult = Ok<{ context: SessionContext; cookieValue: string }> | Failure<'invalid_credentials'> | TooManyAttempts;

/**
 * Checks an e-mail and password and opens a session. Expected failures are values:
 * - `too_many_attempts` while the account or the address is throttled — even when the password is
 *   right, so a lock cannot be used to test passwords;
 * - `invalid_credentials` for an unknown address and a wrong password alike, after the same
 *   amount of scrypt work, so neither the answer nor its timing reveals who has an account.
 */
export async function logIn(database: HubDatabase, input: LogInInput, timing: SessionTiming): Promise<LogInResult> {
  const { db } = database;
  const keys = logInThrottleKeys(input.email, input.address);
  // Counted as a failure before the password is checked, so parallel attempts cannot outrun
  // the lock; only a success (below) takes the count back.
  const reservation = await reserveAttempt(database, [keys.account, keys.address], timing.now);
  if (!reservation.ok) return lockedOut(reservation.details.lockedMs, 'Too many failed log-ins.');

  const candidate = await findUserForLogIn(db, input.email);
  const valid =
    candidate === undefined
      ? await verifyAgainstDummy(input.password)
      : await verifyPassword(input.password, candidate.passwordHash);
  if (candidate === undefined || !valid) return fail('invalid_credentials', 'The e-mail address or the password is wrong.');

  await settleSuccess(database, reservation.value);
  if (needsRehash(candidate.passwordHash)) {
    await updatePasswordHash(db, candidate.user.organisationId, candidate.user.id, await hashPassword(input.password));
  }
  const organisation = await findOrganisation(db, candidate.user.organisationId);
  if (organisation === undefined) throw new Error(`user ${candidate.user.id} has no organisation`);
  const { session, cookieValue } = await startSession(db, candidate.user, timing);
  return ok({ context: { session, user: candidate.user, organisation }, cookieValue });
}

import { fail, type Failure } from '../core/result.js';

/**
 * Log-in throttling, stored in the database so every hub process sees the same counters.
 *
 * Each key ("account:<email>", "address:<ip>") counts failures. Every attempt is counted as
 * a failure before its password is checked (`reserveAttempt`, login-throttle-store.ts); a
 * success takes its count back. Once `maxFailures` failures fall within `windowMs`, the key is
 * locked for `firstLockMs`, doubling with each further failure up to `maxLockMs`. A key is
 * forgotten after `windowMs` of quiet, counted from its first failure or from the end of its
 * last lock, whichever is later — so escalation is not reset by an attacker who simply waits
 * out each lock.
 */
export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  firstLockMs: number;
  maxLockMs: number;
  /** A successful log-in forgets the key's failures (true), or only takes back its own count. */
  successClears: boolean;
}

const MINUTE = 60_000;

export const ACCOUNT_POLICY: ThrottlePolicy = {
  maxFailures: 5,
  windowMs: 15 * MINUTE,
  firstLockMs: 30_000,
  maxLockMs: 15 * MINUTE,
  successClears: true,
};
export const ADDRESS_POLICY: ThrottlePolicy = {
  maxFailures: 20,
  windowMs: 15 * MINUTE,
  firstLockMs: 30_000,
  maxLockMs: 15 * MINUTE,
  successClears: false,
};

export interface ThrottleKey {
  key: string;
  policy: ThrottlePolicy;
}

/** The two keys a log-in attempt counts against. `email` must already be normalised. */
export function logInThrottleKeys(email: string, address: string): { account: ThrottleKey; address: ThrottleKey } {
  return {
    account: { key: `account:${email}`, policy: ACCOUNT_POLICY },
    address: { key: `address:${address}`, policy: ADDRESS_POLICY },
  };
}

/** A key's counters: failures in the window, when the window started, the lock's end (ms; 0: none). */
export interface ThrottleState {
  failures: number;
  firstFailureAt: number;
  lockedUntil: number;
}

/** An attempt refused because its account or address is locked (429 with Retry-After). */
export type TooManyAttempts = Failure<'too_many_attempts', { retryAfterSeconds: number }>;

/** The refusal of an attempt while locked for `lockedMs`; `what` opens the message ("Too many failed log-ins."). */
export function lockedOut(lockedMs: number, what: string): TooManyAttempts {
  const retryAfterSeconds = Math.ceil(lockedMs / 1000);
  return fail('too_many_attempts', `${what} Try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
}

/** Lock length after the given number of failures (0 below the threshold). */
export function lockDuration(policy: ThrottlePolicy, failures: number): number {
  if (failures < policy.maxFailures) return 0;
  const doublings = Math.min(failures - policy.maxFailures, 30);
  return Math.min(policy.firstLockMs * 2 ** doublings, policy.maxLockMs);
}

/** The state after one more failure at `now`. Pure: the rules above, in one place. */
export function stateAfterFailure(policy: ThrottlePolicy, previous: ThrottleState | undefined, now: number): ThrottleState {
  const stale = previous === undefined || now >= Math.max(previous.firstFailureAt, previous.lockedUntil) + policy.windowMs;
  const failures = stale ? 1 : previous.failures + 1;
  const lock = lockDuration(policy, failures);
  return {
    failures,
    firstFailureAt: stale ? now : previous.firstFailureAt,
    lockedUntil: lock > 0 ? now + lock : stale ? 0 : previous.lockedUntil,
  };
}

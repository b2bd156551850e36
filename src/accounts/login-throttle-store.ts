import type { Transaction } from 'kysely';
import { fail, ok, type Failure, type Ok } from '../core/result.js';
import type { Dialect, HubDatabase } from '../db/database.js';
import type { Database } from '../db/tables.js';
import { ACCOUNT_POLICY, ADDRESS_POLICY, stateAfterFailure, type ThrottleKey, type ThrottleState } from './login-throttle.js';

/**
 * The log-in throttle's storage (the rules are in login-throttle.ts): an attempt is reserved
 * — counted as a failure — before its password is checked, and settled on success.
 */

/** What one attempt counted against one key: the key's state before and after. */
export interface CountedAttempt {
  key: ThrottleKey;
  before: ThrottleState | undefined;
  after: ThrottleState;
}

/** A key is locked for `details.lockedMs` more: the attempt is refused and counts nothing. */
export interface Locked extends Failure<'locked', { lockedMs: number }> {
  readonly details: { lockedMs: number };
}

/** The attempt's counts (to settle on success), or the lock that refused it. */
export type Reservation = Ok<CountedAttempt[]> | Locked;

/** Thrown inside the reservation's transaction to roll back its placeholder rows. */
class LockedMarker extends Error {
  constructor(readonly lockedMs: number) {
    super('locked');
  }
}

/**
 * Checks the locks on `keys` and, when none is locked, counts the attempt as a failure against
 * every key — in ONE transaction, BEFORE any password is checked. An attempt in progress is
 * thus already a failure for every attempt that starts after it, so however many arrive at
 * once, at most `maxFailures` per key get past the lock (the rest see the lock the counting
 * set). Atomic across processes: SQLite's transactions begin IMMEDIATE (one writer at a
 * time), and PostgreSQL locks each key's row FOR UPDATE, always in key order (no deadlock).
 * A locked attempt counts nothing and writes nothing.
 */
export async function reserveAttempt(database: HubDatabase, keys: ThrottleKey[], now: number): Promise<Reservation> {
  const ordered = [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  let counted: CountedAttempt[];
  try {
    counted = await database.db.transaction().execute(async (trx) => {
      const rows: ThrottleState[] = [];
      for (const { key } of ordered) rows.push(await lockRow(trx, database.dialect, key, now));
      const until = Math.max(0, ...rows.map((row) => row.lockedUntil));
      if (until > now) throw new LockedMarker(until - now);
      const done: CountedAttempt[] = [];
      for (const [i, key] of ordered.entries()) {
        const row = rows[i];
        const before = row === undefined || row.failures === 0 ? undefined : row;
        const after = stateAfterFailure(key.policy, before, now);
        await trx.updateTable('login_throttles').set(toColumns(after)).where('key', '=', key.key).execute();
        done.push({ key, before, after });
      }
      return done;
    });
  } catch (error) {
    if (error instanceof LockedMarker) {
      const details = { lockedMs: error.lockedMs };
      return { ...fail('locked', 'The account or the address is locked.', details), details };
    }
    throw error;
  }
  await pruneThrottles(database, now);
  return ok(counted);
}

/**
 * The attempt succeeded: a key whose policy says `successClears` is forgotten; any other
 * key only loses the failure this attempt counted (and the lock that count set, if no
 * later failure has changed it). One transaction, keys locked in the reservation's order.
 */
export async function settleSuccess(database: HubDatabase, counted: CountedAttempt[]): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    for (const { key, before, after } of counted) {
      if (key.policy.successClears) {
        await trx.deleteFrom('login_throttles').where('key', '=', key.key).execute();
        continue;
      }
      const select = trx.selectFrom('login_throttles').select(['failures', 'first_failure_at', 'locked_until']).where('key', '=', key.key);
      const row = await (database.dialect === 'postgres' ? select.forUpdate() : select).executeTakeFirst();
      // Started over since (the window passed): nothing of this attempt is left to take back.
      if (row === undefined || row.failures === 0 || row.first_failure_at !== after.firstFailureAt) continue;
      const previousLock = before?.lockedUntil ?? 0;
      const lockedByThis = after.lockedUntil !== previousLock && row.locked_until === after.lockedUntil;
      const next = { failures: row.failures - 1, locked_until: lockedByThis ? previousLock : row.locked_until };
      if (next.failures === 0 && next.locked_until === 0) await trx.deleteFrom('login_throttles').where('key', '=', key.key).execute();
      else await trx.updateTable('login_throttles').set(next).where('key', '=', key.key).execute();
    }
  });
}

/** The key's row, created as an empty placeholder if missing, locked until the transaction ends. */
async function lockRow(trx: Transaction<Database>, dialect: Dialect, key: string, now: number): Promise<ThrottleState> {
  await trx
    .insertInto('login_throttles')
    .values({ key, failures: 0, first_failure_at: now, locked_until: 0 })
    .onConflict((conflict) => conflict.column('key').doNothing())
    .execute();
  const select = trx.selectFrom('login_throttles').select(['failures', 'first_failure_at', 'locked_until']).where('key', '=', key);
  const row = await (dialect === 'postgres' ? select.forUpdate() : select).executeTakeFirstOrThrow();
  return { failures: row.failures, firstFailureAt: row.first_failure_at, lockedUntil: row.locked_until };
}

function toColumns(state: ThrottleState): { failures: number; first_failure_at: number; locked_until: number } {
  return { failures: state.failures, first_failure_at: state.firstFailureAt, locked_until: state.lockedUntil };
}

const PRUNE_AFTER_MS = Math.max(ACCOUNT_POLICY.windowMs, ADDRESS_POLICY.windowMs);

/**
 * Drops keys that have been quiet for longer than any window (random e-mails must not pile up).
 * On PostgreSQL it skips rows an attempt holds locked: a reservation locks two rows, and a
 * prune waiting on one of them while holding the other would deadlock with it.
 */
async function pruneThrottles({ db, dialect }: HubDatabase, now: number): Promise<void> {
  const stale = db
    .selectFrom('login_throttles')
    .select('key')
    .where('first_failure_at', '<', now - PRUNE_AFTER_MS)
    .where('locked_until', '<', now - PRUNE_AFTER_MS);
  await db
    .deleteFrom('login_throttles')
    .where('key', 'in', dialect === 'postgres' ? stale.forUpdate().skipLocked() : stale)
    .execute();
}

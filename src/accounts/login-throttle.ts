import type { Kysely, Selectable } from 'kysely';
import type { HubDatabase } from '../db/database.js';
import type { Database, LoginThrottlesTable } from '../db/tables.js';

/**
 * Log-in throttling, stored in the database so every hub process sees the same counters.
 *
 * Each key ("account:<email>", "address:<ip>") counts failures. Once `maxFailures` failures
 * fall within `windowMs`, the key is locked for `firstLockMs`, doubling with each further
 * failure up to `maxLockMs`. A key is forgotten after `windowMs` of quiet, counted from its
 * first failure or from the end of its last lock, whichever is later — so escalation is not
 * reset by an attacker who simply waits out each lock.
 */
export interface ThrottlePolicy {
  maxFailures: number;
  windowMs: number;
  firstLockMs: number;
  maxLockMs: number;
}

const MINUTE = 60_000;

export const ACCOUNT_POLICY: ThrottlePolicy = { maxFailures: 5, windowMs: 15 * MINUTE, firstLockMs: 30_000, maxLockMs: 15 * MINUTE };
export const ADDRESS_POLICY: ThrottlePolicy = { maxFailures: 20, windowMs: 15 * MINUTE, firstLockMs: 30_000, maxLockMs: 15 * MINUTE };

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

type Row = Selectable<LoginThrottlesTable>;
type State = Omit<Row, 'key'>;

/** Lock length after the given number of failures (0 below the threshold). */
export function lockDuration(policy: ThrottlePolicy, failures: number): number {
  if (failures < policy.maxFailures) return 0;
  const doublings = Math.min(failures - policy.maxFailures, 30);
  return Math.min(policy.firstLockMs * 2 ** doublings, policy.maxLockMs);
}

/** The state after one more failure at `now`. Pure: the rules above, in one place. */
export function stateAfterFailure(policy: ThrottlePolicy, previous: State | undefined, now: number): State {
  const stale = previous === undefined || now >= Math.max(previous.first_failure_at, previous.locked_until) + policy.windowMs;
  const failures = stale ? 1 : previous.failures + 1;
  const lock = lockDuration(policy, failures);
  return {
    failures,
    first_failure_at: stale ? now : previous.first_failure_at,
    locked_until: lock > 0 ? now + lock : stale ? 0 : previous.locked_until,
  };
}

/** Milliseconds until every one of `keys` is unlocked; 0 when none is locked. */
export async function lockedFor(db: Kysely<Database>, keys: ThrottleKey[], now: number): Promise<number> {
  if (keys.length === 0) return 0;
  const rows = await db
    .selectFrom('login_throttles')
    .select('locked_until')
    .where(
      'key',
      'in',
      keys.map((k) => k.key),
    )
    .execute();
  const until = Math.max(0, ...rows.map((row) => row.locked_until));
  return Math.max(0, until - now);
}

/**
 * Counts one failure against `key`, atomically across processes: the placeholder insert takes
 * SQLite's write lock before the read, and PostgreSQL locks the row with FOR UPDATE.
 */
export async function recordFailure(database: HubDatabase, { key, policy }: ThrottleKey, now: number): Promise<State> {
  const state = await database.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('login_throttles')
      .values({ key, failures: 0, first_failure_at: now, locked_until: 0 })
      .onConflict((conflict) => conflict.column('key').doNothing())
      .execute();
    const select = trx.selectFrom('login_throttles').select(['failures', 'first_failure_at', 'locked_until']).where('key', '=', key);
    const previous = await (database.dialect === 'postgres' ? select.forUpdate() : select).executeTakeFirstOrThrow();
    const next = stateAfterFailure(policy, previous.failures === 0 ? undefined : previous, now);
    await trx.updateTable('login_throttles').set(next).where('key', '=', key).execute();
    return next;
  });
  await pruneThrottles(database.db, now);
  return state;
}

export async function clearThrottle(db: Kysely<Database>, { key }: ThrottleKey): Promise<void> {
  await db.deleteFrom('login_throttles').where('key', '=', key).execute();
}

const PRUNE_AFTER_MS = Math.max(ACCOUNT_POLICY.windowMs, ADDRESS_POLICY.windowMs);

/** Drops keys that have been quiet for longer than any window (random e-mails must not pile up). */
async function pruneThrottles(db: Kysely<Database>, now: number): Promise<void> {
  const windowMs = PRUNE_AFTER_MS;
  await db
    .deleteFrom('login_throttles')
    .where('first_failure_at', '<', now - windowMs)
    .where('locked_until', '<', now - windowMs)
    .execute();
}

import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/helpers/databases.js';
import { ACCOUNT_POLICY, ADDRESS_POLICY, lockDuration, logInThrottleKeys, stateAfterFailure } from './login-throttle.js';
import { reserveAttempt, settleSuccess } from './login-throttle-store.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

describe('throttle rules', () => {
  it('locks from the 5th account failure for 30 s, doubling up to 15 min', () => {
    expect([1, 4, 5, 6, 7, 10, 11, 50].map((n) => lockDuration(ACCOUNT_POLICY, n) / SECOND)).toEqual([
      0, 0, 30, 60, 120, 900, 900, 900,
    ]);
  });

  it('locks an address from its 20th failure', () => {
    expect(lockDuration(ADDRESS_POLICY, 19)).toBe(0);
    expect(lockDuration(ADDRESS_POLICY, 20)).toBe(30 * SECOND);
  });

  it('counts failures inside the window and starts over after 15 quiet minutes', () => {
    let state = stateAfterFailure(ACCOUNT_POLICY, undefined, 0);
    expect(state).toEqual({ failures: 1, firstFailureAt: 0, lockedUntil: 0 });
    for (let i = 2; i <= 5; i++) state = stateAfterFailure(ACCOUNT_POLICY, state, i * SECOND);
    expect(state).toEqual({ failures: 5, firstFailureAt: 0, lockedUntil: 5 * SECOND + 30 * SECOND });
    // Quiet for 15 minutes after the lock ended: forgotten.
    const fresh = stateAfterFailure(ACCOUNT_POLICY, state, state.lockedUntil + 15 * MINUTE);
    expect(fresh.failures).toBe(1);
  });

  it('keeps escalating for an attacker who waits out each lock (past 15 minutes since the first failure)', () => {
    let state = stateAfterFailure(ACCOUNT_POLICY, undefined, 0);
    for (let i = 0; i < 4; i++) state = stateAfterFailure(ACCOUNT_POLICY, state, 0);
    const locks = [state.lockedUntil / SECOND];
    for (let i = 0; i < 7; i++) {
      const at = state.lockedUntil; // the moment the lock ends
      state = stateAfterFailure(ACCOUNT_POLICY, state, at);
      locks.push((state.lockedUntil - at) / SECOND);
    }
    expect(locks).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
    expect(state.firstFailureAt).toBe(0);
  });

  it('keys accounts by e-mail and addresses by IP', () => {
    expect(logInThrottleKeys('ada@acme.test', '203.0.113.9')).toEqual({
      account: { key: 'account:ada@acme.test', policy: ACCOUNT_POLICY },
      address: { key: 'address:203.0.113.9', policy: ADDRESS_POLICY },
    });
  });
});

describe.each(testDialects())('throttle storage on %s', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
    database = undefined;
  });
  const now = Date.UTC(2026, 0, 1);
  const rows = async () => database!.db.selectFrom('login_throttles').selectAll().orderBy('key').execute();

  it('counts concurrent attempts before any password check: 5 of 8 get through, the rest see the lock', async () => {
    database = await createTestDatabase(dialect);
    const { account } = logInThrottleKeys('ada@acme.test', '127.0.0.1');
    const results = await Promise.all(Array.from({ length: 8 }, () => reserveAttempt(database!, [account], now)));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.filter((r) => !r.ok)).toMatchObject(Array(3).fill({ ok: false, code: 'locked', details: { lockedMs: 30 * SECOND } }));
    expect(await rows()).toEqual([{ key: 'account:ada@acme.test', failures: 5, first_failure_at: now, locked_until: now + 30 * SECOND }]);
    expect(await reserveAttempt(database, [account], now + 10 * SECOND)).toMatchObject({ ok: false, code: 'locked', details: { lockedMs: 20 * SECOND } });
    expect((await reserveAttempt(database, [account], now + 30 * SECOND)).ok).toBe(true);
  });

  it('writes nothing for a locked attempt, even for the key that is not locked', async () => {
    database = await createTestDatabase(dialect);
    const keys = logInThrottleKeys('ada@acme.test', '10.0.0.1');
    for (let i = 0; i < 5; i++) await reserveAttempt(database, [keys.account], now);
    const before = await rows();
    expect(await reserveAttempt(database, [keys.account, keys.address], now)).toMatchObject({ ok: false, code: 'locked', details: { lockedMs: 30 * SECOND } });
    expect(await rows()).toEqual(before);
  });

  it('a success forgets the account and takes back only its own count (and lock) from the address', async () => {
    database = await createTestDatabase(dialect);
    const keys = logInThrottleKeys('ada@acme.test', '10.0.0.1');
    for (let i = 0; i < 19; i++) await reserveAttempt(database, [logInThrottleKeys(`guess${i}@acme.test`, '10.0.0.1').address], now);
    const reservation = await reserveAttempt(database, [keys.account, keys.address], now);
    if (!reservation.ok) throw new Error('expected a reservation');
    // While the attempt is in progress it counts: the address is at its 20th failure, locked.
    expect(await reserveAttempt(database, [keys.address], now)).toMatchObject({ ok: false, code: 'locked', details: { lockedMs: 30 * SECOND } });
    await settleSuccess(database, reservation.value);
    expect(await rows()).toEqual([{ key: 'address:10.0.0.1', failures: 19, first_failure_at: now, locked_until: 0 }]);
    expect((await reserveAttempt(database, [keys.address], now)).ok).toBe(true);
  });

  it('a success leaves a lock it did not set', async () => {
    database = await createTestDatabase(dialect);
    const { address } = logInThrottleKeys('ada@acme.test', '10.0.0.1');
    for (let i = 0; i < 20; i++) await reserveAttempt(database, [address], now);
    const later = now + 30 * SECOND; // the first lock has ended
    const reservation = await reserveAttempt(database, [address], later);
    if (!reservation.ok) throw new Error('expected a reservation');
    await reserveAttempt(database, [address], later + 60 * SECOND); // a failure after the lock it set
    await settleSuccess(database, reservation.value);
    const [row] = await rows();
    expect(row).toEqual({ key: 'address:10.0.0.1', failures: 21, first_failure_at: now, locked_until: later + 60 * SECOND + 120 * SECOND });
  });

  it('prunes keys that have been quiet for longer than the window', async () => {
    database = await createTestDatabase(dialect);
    await reserveAttempt(database, [logInThrottleKeys('old@acme.test', '10.0.0.1').account], now);
    await reserveAttempt(database, [logInThrottleKeys('new@acme.test', '10.0.0.1').account], now + 16 * MINUTE);
    const keys = await database.db.selectFrom('login_throttles').select('key').execute();
    expect(keys).toEqual([{ key: 'account:new@acme.test' }]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/helpers/databases.js';
import {
  ACCOUNT_POLICY,
  ADDRESS_POLICY,
  clearThrottle,
  lockDuration,
  lockedFor,
  logInThrottleKeys,
  recordFailure,
  stateAfterFailure,
} from './login-throttle.js';

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
    expect(state).toEqual({ failures: 1, first_failure_at: 0, locked_until: 0 });
    for (let i = 2; i <= 5; i++) state = stateAfterFailure(ACCOUNT_POLICY, state, i * SECOND);
    expect(state).toEqual({ failures: 5, first_failure_at: 0, locked_until: 5 * SECOND + 30 * SECOND });
    // Quiet for 15 minutes after the lock ended: forgotten.
    const fresh = stateAfterFailure(ACCOUNT_POLICY, state, state.locked_until + 15 * MINUTE);
    expect(fresh.failures).toBe(1);
  });

  it('keeps escalating for an attacker who waits out each lock (past 15 minutes since the first failure)', () => {
    let state = stateAfterFailure(ACCOUNT_POLICY, undefined, 0);
    for (let i = 0; i < 4; i++) state = stateAfterFailure(ACCOUNT_POLICY, state, 0);
    const locks = [state.locked_until / SECOND];
    for (let i = 0; i < 7; i++) {
      const at = state.locked_until; // the moment the lock ends
      state = stateAfterFailure(ACCOUNT_POLICY, state, at);
      locks.push((state.locked_until - at) / SECOND);
    }
    expect(locks).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
    expect(state.first_failure_at).toBe(0);
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

  it('counts concurrent failures exactly and reports the lock', async () => {
    database = await createTestDatabase(dialect);
    const { account } = logInThrottleKeys('ada@acme.test', '127.0.0.1');
    const now = Date.UTC(2026, 0, 1);
    await Promise.all(Array.from({ length: 5 }, () => recordFailure(database!, account, now)));
    const row = await database.db.selectFrom('login_throttles').selectAll().executeTakeFirstOrThrow();
    expect(row).toEqual({ key: 'account:ada@acme.test', failures: 5, first_failure_at: now, locked_until: now + 30 * SECOND });
    expect(await lockedFor(database.db, [account], now + 10 * SECOND)).toBe(20 * SECOND);
    expect(await lockedFor(database.db, [account], now + 30 * SECOND)).toBe(0);
    await clearThrottle(database.db, account);
    expect(await lockedFor(database.db, [account], now)).toBe(0);
  });

  it('prunes keys that have been quiet for longer than the window', async () => {
    database = await createTestDatabase(dialect);
    const now = Date.UTC(2026, 0, 1);
    await recordFailure(database, logInThrottleKeys('old@acme.test', '10.0.0.1').account, now);
    await recordFailure(database, logInThrottleKeys('new@acme.test', '10.0.0.1').account, now + 16 * MINUTE);
    const keys = await database.db.selectFrom('login_throttles').select('key').execute();
    expect(keys).toEqual([{ key: 'account:new@acme.test' }]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.js';
import { client, createUser, DEFAULT_ADMIN, setupFirstAdmin } from './helpers/client.js';
import { testDialects } from './helpers/databases.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

/** Many real scrypt hashes (≈32 MiB, tens of ms each; far slower on a loaded CI box). */
const SCRYPT_HEAVY_TIMEOUT = 120_000;

const logIn = (hub: TestHub, email: string, password: string) => client(hub).post('/api/session', { email, password });

describe.each(testDialects())('log-in throttling on %s', (dialect) => {
  let hub: TestHub | undefined;
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });

  it('locks an account after 5 failures, even for the right password, then unlocks as time passes', { timeout: SCRYPT_HEAVY_TIMEOUT }, async () => {
    const clock = new ManualClock();
    hub = await startTestHub(dialect, {}, { clock });
    await setupFirstAdmin(client(hub));
    for (let i = 0; i < 5; i++) {
      expect((await logIn(hub, DEFAULT_ADMIN.email, `wrong password ${i}`)).status).toBe(401);
    }
    const locked = await logIn(hub, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password);
    expect(locked.status).toBe(429);
    expect(locked.body).toEqual({
      error: { code: 'too_many_attempts', message: 'Too many failed log-ins. Try again in 30 s.', details: { retryAfterSeconds: 30 } },
    });
    expect(locked.headers.get('retry-after')).toBe('30');
    expect(locked.headers.get('set-cookie')).toBeNull();

    clock.advance(10_000);
    const later = await logIn(hub, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password);
    expect(later.body.error.message).toBe('Too many failed log-ins. Try again in 20 s.');
    expect(later.headers.get('retry-after')).toBe('20');

    // The lock doubles with each further failure.
    clock.advance(20_000);
    expect((await logIn(hub, DEFAULT_ADMIN.email, 'wrong again')).status).toBe(401);
    const doubled = await logIn(hub, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password);
    expect(doubled.status).toBe(429);
    expect(doubled.body.error.details).toEqual({ retryAfterSeconds: 60 });

    // Another account from the same address is not affected.
    expect((await logIn(hub, DEFAULT_ADMIN.email, 'x')).status).toBe(429);
    expect((await logIn(hub, 'someone@acme.test', 'whatever it is')).status).toBe(401);

    // Once the lock ends the right password works, and success clears the counter.
    clock.advance(60_000);
    expect((await logIn(hub, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password)).status).toBe(200);
    const keys = await hub.database.db.selectFrom('login_throttles').select('key').execute();
    expect(keys.map((k) => k.key)).not.toContain(`account:${DEFAULT_ADMIN.email}`);
    expect((await logIn(hub, DEFAULT_ADMIN.email, 'one wrong')).status).toBe(401);
    expect((await logIn(hub, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password)).status).toBe(200);
  });

  it('counts an attempt before its password is checked: of 40 parallel attempts at most 5 are evaluated, the right one (37th) does not log in', { timeout: SCRYPT_HEAVY_TIMEOUT }, async () => {
    hub = await startTestHub(dialect, {}, { clock: new ManualClock() });
    await setupFirstAdmin(client(hub));
    const RIGHT = 36;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => logIn(hub!, DEFAULT_ADMIN.email, i === RIGHT ? DEFAULT_ADMIN.password : `wrong password ${i}`)),
    );
    const statuses = answers.map((answer) => answer.status);
    // 401 = the password was evaluated; 429 = refused by the lock without evaluating it.
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(35);
    expect(statuses[RIGHT]).toBe(429);
    expect(answers[RIGHT]!.headers.get('set-cookie')).toBeNull();
    const rows = await hub.database.db.selectFrom('login_throttles').selectAll().where('key', '=', `account:${DEFAULT_ADMIN.email}`).execute();
    expect(rows).toEqual([expect.objectContaining({ failures: 5 })]);
    expect((await logIn(hub, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password)).status).toBe(429);
  });

  it('counts an address attempt before its password is checked: of 30 parallel attempts on different accounts at most 20 are evaluated', { timeout: SCRYPT_HEAVY_TIMEOUT }, async () => {
    hub = await startTestHub(dialect, {}, { clock: new ManualClock() });
    const admin = client(hub);
    await setupFirstAdmin(admin);
    await createUser(admin, { email: 'vic@acme.test', password: 'vic password 123' });
    const RIGHT = 27;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        i === RIGHT ? logIn(hub!, 'vic@acme.test', 'vic password 123') : logIn(hub!, `guess${i}@acme.test`, 'wrong password'),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(20);
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
    expect(statuses[RIGHT]).toBe(429);
    expect((await logIn(hub, 'vic@acme.test', 'vic password 123')).status).toBe(429);
  });

  it('forgets failures older than 15 minutes', { timeout: SCRYPT_HEAVY_TIMEOUT }, async () => {
    const clock = new ManualClock();
    hub = await startTestHub(dialect, {}, { clock });
    await setupFirstAdmin(client(hub));
    for (let i = 0; i < 4; i++) expect((await logIn(hub, DEFAULT_ADMIN.email, 'wrong password')).status).toBe(401);
    clock.advance(15 * 60_000 + 1);
    expect((await logIn(hub, DEFAULT_ADMIN.email, 'wrong password')).status).toBe(401);
    expect((await logIn(hub, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password)).status).toBe(200);
  });

  it('locks an address after 20 failures across accounts (unknown addresses count too)', { timeout: SCRYPT_HEAVY_TIMEOUT }, async () => {
    const clock = new ManualClock();
    hub = await startTestHub(dialect, {}, { clock });
    const admin = client(hub);
    await setupFirstAdmin(admin);
    await createUser(admin, { email: 'vic@acme.test', password: 'vic password 123' });
    // Concurrent on purpose: every failure must be counted (the counter update is atomic).
    const failures = await Promise.all(
      Array.from({ length: 20 }, (_, i) => logIn(hub!, `guess${i}@acme.test`, 'wrong password')),
    );
    expect(failures.map((f) => f.status)).toEqual(Array(20).fill(401));
    const locked = await logIn(hub, 'vic@acme.test', 'vic password 123');
    expect(locked.status).toBe(429);
    expect(locked.body.error).toEqual({
      code: 'too_many_attempts',
      message: 'Too many failed log-ins. Try again in 30 s.',
      details: { retryAfterSeconds: 30 },
    });
    expect(locked.headers.get('retry-after')).toBe('30');
    clock.advance(30_000);
    expect((await logIn(hub, 'vic@acme.test', 'vic password 123')).status).toBe(200);
  });
});

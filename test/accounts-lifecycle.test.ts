import { afterEach, describe, expect, it } from 'vitest';
import { ACCOUNT_POLICY } from '../src/accounts/login-throttle.js';
import type { UserView } from '../src/api/index.js';
import { createOrganisation } from './helpers/accounts.js';
import { client, createUser, DEFAULT_ADMIN, login, setupFirstAdmin, type HubClient } from './helpers/client.js';
import { testDialects } from './helpers/databases.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

/** Real scrypt hashes on every log-in and password change (tens of ms each; slower on a loaded box). */
const SCRYPT_HEAVY_TIMEOUT = 120_000;

const VIC = { email: 'vic@acme.test', name: 'Vic Viewer', password: 'vic password 123', role: 'viewer' as const };

/**
 * The user lifecycle over real HTTP: deactivate, reactivate, remove, reset a password, end
 * sessions, change one's own password, the password rules, roles, tenancy and the last-admin
 * guard.
 */
describe.each(testDialects())('user lifecycle on %s', (dialect) => {
  let hub: TestHub | undefined;
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });

  /** A hub with its first admin (logged in) and Vic, a viewer, logged in from `vicSessions` browsers. */
  async function start(vicSessions = 1): Promise<{ hub: TestHub; admin: HubClient; vic: UserView; vics: HubClient[] }> {
    const started = await startTestHub(dialect);
    hub = started;
    const admin = client(started);
    await setupFirstAdmin(admin);
    const vic = await createUser(admin, VIC);
    const vics: HubClient[] = [];
    for (let i = 0; i < vicSessions; i++) {
      const c = client(started);
      await login(c, VIC.email, VIC.password);
      vics.push(c);
    }
    return { hub: started, admin, vic, vics };
  }

  const sessionsOf = async (h: TestHub, userId: string) =>
    (await h.database.db.selectFrom('sessions').select('id_hash').where('user_id', '=', userId).execute()).length;
  const logIn = (h: TestHub, email: string, password: string) => client(h).post('/api/session', { email, password });

  it('deactivating ends the user’s sessions at once and refuses their log-in like a wrong password; reactivating lets them back', { timeout: SCRYPT_HEAVY_TIMEOUT }, async () => {
    const { hub: h, admin, vic, vics } = await start(2);
    for (const c of vics) expect((await c.get('/api/session')).status).toBe(200);

    const deactivated = await admin.post(`/api/users/${vic.id}/deactivate`);
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.user).toMatchObject({ id: vic.id, status: 'deactivated', deactivatedAt: expect.any(String) });
    expect(await sessionsOf(h, vic.id)).toBe(0);
    for (const c of vics) {
      const refused = await c.get('/api/session');
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('unauthenticated');
    }

    // The right password gets the very answer a wrong one or an unknown address gets.
    const right = await logIn(h, VIC.email, VIC.password);
    const unknown = await logIn(h, 'nobody@acme.test', VIC.password);
    expect(right.status).toBe(401);
    expect(right.body).toEqual(unknown.body);
    expect(right.headers.get('set-cookie')).toBeNull();
    expect((await admin.get('/api/users')).body.users.find((u: UserView) => u.id === vic.id).status).toBe('deactivated');

    const reactivated = await admin.post(`/api/users/${vic.id}/reactivate`);
    expect(reactivated.status).toBe(200);
    expect(reactivated.body.user).toMatchObject({ status: 'active', deactivatedAt: null, role: 'viewer' });
    expect((await logIn(h, VIC.email, VIC.password)).status).toBe(200);
  });

  it('refuses the session of a deactivated user even if its row survived (a log-in racing the deactivation)', async () => {
    const { hub: h, vic, vics } = await start();
    await h.database.db.updateTable('users').set({ deactivated_at: Date.now() }).where('id', '=', vic.id).execute();
    expect(await sessionsOf(h, vic.id)).toBe(1);
    expect((await vics[0]!.get('/api/session')).status).toBe(401);
    expect(await sessionsOf(h, vic.id)).toBe(0);
  });

  it('removes a user: gone from the list, sessions ended, log-in refused', { timeout: SCRYPT_HEAVY_TIMEOUT }, async () => {
    const { hub: h, admin, vic, vics } = await start();
    const removed = await admin.delete(`/api/users/${vic.id}`);
    expect(removed.status).toBe(204);
    expect((await admin.get(`/api/users/${vic.id}`)).status).toBe(404);
    expect((await admin.get('/api/users')).body.users.map((u: UserView) => u.email)).toEqual([DEFAULT_ADMIN.email]);
    expect((await vics[0]!.get('/api/session')).status).toBe(401);
    expect(await sessionsOf(h, vic.id)).toBe(0);
    expect((await logIn(h, VIC.email, VIC.password)).status).toBe(401);
    expect((await admin.delete(`/api/users/${vic.id}`)).status).toBe(404);
  });

  it('resets a password: shown once, old sessions and the old password stop working, and the new session can only change it', { timeout: SCRYPT_HEAVY_TIMEOUT }, async () => {
    const { hub: h, admin, vic, vics } = await start();
    const reset = await admin.post(`/api/users/${vic.id}/password-reset`);
    expect(reset.status).toBe(200);
    expect(reset.headers.get('cache-control')).toBe('no-store');
    const temporary: string = reset.body.temporaryPassword;
    expect(temporary).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    expect(reset.body.user).toMatchObject({ id: vic.id, mustChangePassword: true, status: 'active' });
    expect((await vics[0]!.get('/api/session')).status).toBe(401);
    expect((await logIn(h, VIC.email, VIC.password)).status).toBe(401);

    const c = client(h);
    expect((await login(c, VIC.email, temporary)).user.mustChangePassword).toBe(true);
    const blocked = await c.get('/api/users');
    expect(blocked.status).toBe(403);
    expect(blocked.body.error.code).toBe('password_change_required');
    expect((await c.get('/api/session')).status).toBe(200);

    const same = await c.post('/api/session/password', { currentPassword: temporary, newPassword: temporary });
    expect(same.status).toBe(400);
    expect(same.body.error.code).toBe('password_unchanged');
    const changed = await c.post('/api/session/password', { currentPassword: temporary, newPassword: 'vic picked this phrase' });
    expect(changed.status).toBe(200);
    expect(changed.body.user.mustChangePassword).toBe(false);
    expect((await c.get('/api/users')).status).toBe(200);
    expect((await logIn(h, VIC.email, temporary)).status).toBe(401);
    expect((await logIn(h, VIC.email, 'vic picked this phrase')).status).toBe(200);

    // Shown once: never logged, never stored in clear.
    expect(h.logs.text).not.toContain(temporary);
    const rows = await h.database.db.selectFrom('users').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(temporary);
  });

  it('ends another user’s sessions; they can log in again', { timeout: SCRYPT_HEAVY_TIMEOUT }, async () => {
    const { hub: h, admin, vic, vics } = await start(2);
    const ended = await admin.delete(`/api/users/${vic.id}/sessions`);
    expect(ended.status).toBe(200);
    expect(ended.body).toEqual({ sessionsEnded: 2 });
    for (const c of vics) expect((await c.get('/api/session')).status).toBe(401);
    expect((await admin.get('/api/session')).status).toBe(200);
    expect((await logIn(h, VIC.email, VIC.password)).status).toBe(200);
  });

  it('changes one’s own password only with the current one, ending every other session but this one', { timeout: SCRYPT_HEAVY_TIMEOUT }, async () => {
    const { hub: h, vics } = await start(2);
    const [here, elsewhere] = vics as [HubClient, HubClient];
    const wrong = await here.post('/api/session/password', { currentPassword: 'not my password', newPassword: 'vic picked this phrase' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatchObject({ code: 'wrong_password', details: [{ path: 'currentPassword' }] });
    expect((await here.post('/api/session/password', { newPassword: 'vic picked this phrase' })).body.error.code).toBe('invalid_body');
    expect((await elsewhere.get('/api/session')).status).toBe(200);

    const before = (await here.get('/api/session')).body.csrfToken;
    const changed = await here.post('/api/session/password', { currentPassword: VIC.password, newPassword: 'vic picked this phrase' });
    expect(changed.status).toBe(200);
    const still = await here.get('/api/session');
    expect(still.status).toBe(200);
    expect(still.body.csrfToken).toBe(before);
    expect((await elsewhere.get('/api/session')).status).toBe(401);
    expect((await logIn(h, VIC.email, VIC.password)).status).toBe(401);
    expect((await logIn(h, VIC.email, 'vic picked this phrase')).status).toBe(200);
    for (const text of here.seen) expect(text).not.toContain('vic picked this phrase');
  });

  it('counts wrong current passwords against the log-in throttle (429 once it locks)', { timeout: SCRYPT_HEAVY_TIMEOUT }, async () => {
    const { hub: h, vics } = await start();
    for (let i = 0; i < ACCOUNT_POLICY.maxFailures; i++) {
      expect((await vics[0]!.post('/api/session/password', { currentPassword: `guess ${i}`, newPassword: 'vic picked this phrase' })).status).toBe(400);
    }
    const locked = await vics[0]!.post('/api/session/password', { currentPassword: VIC.password, newPassword: 'vic picked this phrase' });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('too_many_attempts');
    expect((await logIn(h, VIC.email, VIC.password)).status).toBe(429);
  });

  it('refuses common, predictable and personal passwords with 400 weak_password, storing nothing', { timeout: SCRYPT_HEAVY_TIMEOUT }, async () => {
    hub = await startTestHub(dialect);
    const admin = client(hub);
    const weakSetup = await admin.post('/api/setup', { ...DEFAULT_ADMIN, password: 'Password123!' });
    expect(weakSetup.status).toBe(400);
    expect(weakSetup.body.error).toMatchObject({ code: 'weak_password', details: [{ path: 'password', message: expect.any(String) }] });
    expect((await admin.get('/api/meta')).body.setupRequired).toBe(true);
    await setupFirstAdmin(admin);

    const attempts = [
      { email: 'grace@acme.test', password: 'qwertyuiop123' },
      { email: 'grace@acme.test', password: 'aaaaaaaaaaaaaaaa' },
      { email: 'grace@acme.test', password: 'P@ssw0rd2024!' },
      { email: 'grace.hopper@acme.test', password: 'GraceHopper2024' },
    ];
    for (const attempt of attempts) {
      const refused = await admin.post('/api/users', { ...attempt, name: 'Grace Hopper', role: 'viewer' });
      expect(refused.status, attempt.password).toBe(400);
      expect(refused.body.error.code).toBe('weak_password');
      expect(refused.text).not.toContain(attempt.password);
    }
    expect(await hub.database.db.selectFrom('users').select('email').execute()).toEqual([{ email: DEFAULT_ADMIN.email }]);

    const weakChange = await admin.post('/api/session/password', { currentPassword: DEFAULT_ADMIN.password, newPassword: '123456789012' });
    expect(weakChange.status).toBe(400);
    expect(weakChange.body.error).toMatchObject({ code: 'weak_password', details: [{ path: 'newPassword' }] });
    expect((await logIn(hub, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password)).status).toBe(200);
  });

  it('starts with a weak HUB_ADMIN_PASSWORD, but that admin must change it at first log-in', { timeout: SCRYPT_HEAVY_TIMEOUT }, async () => {
    hub = await startTestHub(dialect, { HUB_ADMIN_EMAIL: 'boot@acme.test', HUB_ADMIN_PASSWORD: 'Password1234' });
    expect(hub.logs.text).toContain('HUB_ADMIN_PASSWORD is easy to guess');
    expect(hub.logs.text).not.toContain('Password1234');
    const c = client(hub);
    expect((await login(c, 'boot@acme.test', 'Password1234')).user.mustChangePassword).toBe(true);
    expect((await c.get('/api/organisation')).body.error.code).toBe('password_change_required');
    expect((await c.post('/api/session/password', { currentPassword: 'Password1234', newPassword: 'boot chose better words' })).status).toBe(200);
    expect((await c.get('/api/organisation')).status).toBe(200);
  });

  it('lets only admins act on users (403 for a viewer, 401 without a session), and answers 404 for another organisation’s user', async () => {
    const { hub: h, admin, vics } = await start();
    const adminId = (await admin.get('/api/session')).body.user.id as string;
    const other = await createOrganisation(h, { organisationName: 'Org B', name: 'Bea', email: 'bea@b.test', password: 'bea has a password' });
    const snapshot = async () => ({
      users: await h.database.db.selectFrom('users').selectAll().orderBy('id').execute(),
      sessions: await h.database.db.selectFrom('sessions').select(['id_hash', 'user_id']).orderBy('id_hash').execute(),
    });
    const actions = (c: HubClient, id: string) => [
      () => c.post(`/api/users/${id}/deactivate`),
      () => c.post(`/api/users/${id}/reactivate`),
      () => c.post(`/api/users/${id}/password-reset`),
      () => c.delete(`/api/users/${id}/sessions`),
      () => c.delete(`/api/users/${id}`),
    ];
    const before = await snapshot();
    for (const act of actions(vics[0]!, adminId)) {
      const response = await act();
      expect(response.status).toBe(403);
      expect(response.body.error.code).toBe('forbidden');
    }
    const missing = await admin.post('/api/users/usr_doesnotexist/deactivate');
    for (const act of actions(admin, other.user.id)) {
      const response = await act();
      expect(response.status).toBe(404);
      expect(response.body).toEqual(missing.body);
    }
    for (const act of actions(client(h), adminId)) expect((await act()).status).toBe(401);
    const forged = await admin.post(`/api/users/${other.user.id}/deactivate`, undefined, { csrfToken: 'forged' });
    expect(forged.body.error.code).toBe('csrf_failed');
    expect(await snapshot()).toEqual(before);
  });

  it('never leaves an organisation without an active admin (409 last_admin), also when two admins act at once', { timeout: SCRYPT_HEAVY_TIMEOUT }, async () => {
    const { hub: h, admin } = await start(0);
    const adaId = (await admin.get('/api/session')).body.user.id as string;
    for (const response of [
      await admin.post(`/api/users/${adaId}/deactivate`),
      await admin.delete(`/api/users/${adaId}`),
      await admin.patch(`/api/users/${adaId}`, { role: 'viewer' }),
    ]) {
      expect(response.status).toBe(409);
      expect(response.body.error.code).toBe('last_admin');
    }

    // A deactivated admin does not count: with Bob deactivated, Ada is the last active admin.
    const bob = await createUser(admin, { email: 'bob@acme.test', name: 'Bob', role: 'admin', password: 'bob has a password' });
    expect((await admin.post(`/api/users/${bob.id}/deactivate`)).status).toBe(200);
    expect((await admin.patch(`/api/users/${adaId}`, { role: 'viewer' })).body.error.code).toBe('last_admin');
    expect((await admin.post(`/api/users/${adaId}/deactivate`)).body.error.code).toBe('last_admin');
    expect((await admin.post(`/api/users/${bob.id}/reactivate`)).status).toBe(200);

    // Two admins deactivating each other at once: exactly one wins.
    const bobClient = client(h);
    await login(bobClient, 'bob@acme.test', 'bob has a password');
    const results = await Promise.all([admin.post(`/api/users/${bob.id}/deactivate`), bobClient.post(`/api/users/${adaId}/deactivate`)]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const loser of results.filter((r) => r.status !== 200)) expect([401, 409]).toContain(loser.status);
    const active = await h.database.db.selectFrom('users').select('id').where('role', '=', 'admin').where('deactivated_at', 'is', null).execute();
    expect(active).toHaveLength(1);
  });
});

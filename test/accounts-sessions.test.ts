import { afterEach, describe, expect, it } from 'vitest';
import { hashSessionId } from '../src/accounts/sessions.js';
import { ManualClock } from '../src/core/clock.js';
import { client, createUser, DEFAULT_ADMIN, login, setupFirstAdmin } from './helpers/client.js';
import { testDialects } from './helpers/databases.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

const HOUR = 3600_000;

function sessionCookie(setCookie: string[]): string | undefined {
  return setCookie.find((line) => line.startsWith('hub_session='));
}

describe.each(testDialects())('sessions on %s', (dialect) => {
  let hub: TestHub | undefined;
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });

  it('logs in, reports the session, and logs out (the old cookie stops working)', async () => {
    hub = await startTestHub(dialect);
    await setupFirstAdmin(client(hub));
    const c = client(hub);
    expect((await c.get('/api/session')).status).toBe(401);

    const session = await login(c, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password);
    expect(session.user.email).toBe(DEFAULT_ADMIN.email);
    const cookie = c.cookies.get('hub_session');
    expect(cookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the hash is stored.
    const rows = await hub.database.db.selectFrom('sessions').select('id_hash').execute();
    expect(rows.map((r) => r.id_hash)).toContain(hashSessionId(cookie!));
    expect(JSON.stringify(rows)).not.toContain(cookie!);

    const current = await c.get('/api/session');
    expect(current.status).toBe(200);
    expect(current.body).toEqual(session);

    const logout = await c.delete('/api/session');
    expect(logout.status).toBe(204);
    expect(sessionCookie(logout.headers.getSetCookie())).toMatch(/^hub_session=;/);
    expect(c.cookies.has('hub_session')).toBe(false);
    expect(await hub.database.db.selectFrom('sessions').select('id_hash').where('id_hash', '=', hashSessionId(cookie!)).execute()).toEqual([]);

    // Replaying the old cookie gets nowhere.
    const replay = await fetch(`${hub.url}/api/session`, { headers: { cookie: `hub_session=${cookie}` } });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
  });

  it('answers a wrong password and an unknown address with the same 401 invalid_credentials', async () => {
    hub = await startTestHub(dialect);
    await setupFirstAdmin(client(hub));
    const wrong = await client(hub).post('/api/session', { email: DEFAULT_ADMIN.email, password: 'not the password' });
    const unknown = await client(hub).post('/api/session', { email: 'nobody@acme.test', password: 'not the password' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    expect(wrong.body.error.code).toBe('invalid_credentials');
    expect(wrong.headers.get('set-cookie')).toBeNull();
  });

  it('sets HttpOnly, SameSite=Lax, Path=/ and no Secure on an http PUBLIC_URL', async () => {
    hub = await startTestHub(dialect);
    const response = await client(hub).post('/api/setup', DEFAULT_ADMIN);
    const cookie = sessionCookie(response.headers.getSetCookie());
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Max-Age=43200/);
    expect(cookie).not.toMatch(/Secure/i);
  });

  it('adds Secure when PUBLIC_URL is https', async () => {
    hub = await startTestHub(dialect, { PUBLIC_URL: 'https://hub.example' });
    const c = client(hub); // sends Origin: https://hub.example
    const response = await c.post('/api/setup', DEFAULT_ADMIN);
    expect(response.status).toBe(201);
    const cookie = sessionCookie(response.headers.getSetCookie());
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    const logout = await c.delete('/api/session');
    expect(sessionCookie(logout.headers.getSetCookie())).toMatch(/; Secure/);
  });

  it('expires a session after SESSION_TTL_HOURS of inactivity, sliding at most once a minute', async () => {
    const clock = new ManualClock();
    hub = await startTestHub(dialect, { SESSION_TTL_HOURS: '2' }, { clock });
    const c = client(hub);
    await setupFirstAdmin(c);
    const expiresAt = async () =>
      (await hub!.database.db.selectFrom('sessions').select('expires_at').executeTakeFirstOrThrow()).expires_at;
    const start = clock.now();
    expect(await expiresAt()).toBe(start + 2 * HOUR);

    // Within a minute: no write, no new cookie.
    clock.advance(30_000);
    const quiet = await c.get('/api/session');
    expect(quiet.status).toBe(200);
    expect(quiet.headers.getSetCookie()).toEqual([]);
    expect(await expiresAt()).toBe(start + 2 * HOUR);

    // Later activity slides the expiry and re-sends the cookie.
    clock.advance(HOUR);
    const slid = await c.get('/api/session');
    expect(slid.status).toBe(200);
    expect(sessionCookie(slid.headers.getSetCookie())).toMatch(/Max-Age=7200/);
    expect(await expiresAt()).toBe(clock.now() + 2 * HOUR);

    // Inactive past the expiry: gone, and the cookie is cleared.
    clock.advance(2 * HOUR);
    const expired = await c.get('/api/session');
    expect(expired.status).toBe(401);
    expect(sessionCookie(expired.headers.getSetCookie())).toMatch(/^hub_session=;/);
    expect(await hub.database.db.selectFrom('sessions').select('id_hash').execute()).toEqual([]);
  });

  it('keeps sessions valid across a role change and applies the new role on the next request', async () => {
    hub = await startTestHub(dialect);
    const admin = client(hub);
    await setupFirstAdmin(admin);
    const vic = await createUser(admin, { email: 'vic@acme.test', password: 'vic password 123', role: 'viewer' });
    const viewer = client(hub);
    await login(viewer, 'vic@acme.test', 'vic password 123');
    expect((await viewer.patch('/api/organisation', { name: 'Nope' })).status).toBe(403);

    expect((await admin.patch(`/api/users/${vic.id}`, { role: 'admin' })).status).toBe(200);
    const promoted = await viewer.get('/api/session');
    expect(promoted.body.user.role).toBe('admin');
    expect((await viewer.patch('/api/organisation', { name: 'Renamed by Vic' })).status).toBe(200);

    expect((await admin.patch(`/api/users/${vic.id}`, { role: 'viewer' })).status).toBe(200);
    expect((await viewer.patch('/api/organisation', { name: 'Nope' })).status).toBe(403);
    expect((await viewer.get('/api/organisation')).body.organisation.name).toBe('Renamed by Vic');
  });

  it('replaces the previous session when logging in again', async () => {
    hub = await startTestHub(dialect);
    const c = client(hub);
    await setupFirstAdmin(c);
    const first = c.cookies.get('hub_session');
    await login(c, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password);
    expect(c.cookies.get('hub_session')).not.toBe(first);
    expect(await hub.database.db.selectFrom('sessions').select('id_hash').execute()).toHaveLength(1);
  });
});

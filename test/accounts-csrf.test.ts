import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, DEFAULT_ADMIN, login, setupFirstAdmin, type HubClient } from './helpers/client.js';
import { testDialects } from './helpers/databases.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

describe.each(testDialects())('CSRF protection on %s', (dialect) => {
  let hub: TestHub;
  let admin: HubClient;
  beforeAll(async () => {
    hub = await startTestHub(dialect);
    admin = client(hub);
    await setupFirstAdmin(admin);
  });
  afterAll(async () => hub?.close());

  const organisationName = async () =>
    (await hub.database.db.selectFrom('organisations').select('name').executeTakeFirstOrThrow()).name;

  const refusals: Array<[string, Parameters<HubClient['request']>[2]]> = [
    ['a missing X-CSRF-Token', { csrfToken: null }],
    ['an empty X-CSRF-Token', { csrfToken: '' }],
    ['a wrong X-CSRF-Token', { csrfToken: 'x'.repeat(43) }],
    ['a foreign Origin', { origin: 'https://evil.example' }],
    ['Origin: null', { origin: 'null' }],
    ['Sec-Fetch-Site: cross-site without an Origin', { origin: null, headers: { 'sec-fetch-site': 'cross-site' } }],
  ];

  it.each(refusals)('refuses a change with %s (403 csrf_failed, nothing changed)', async (_label, options) => {
    const response = await admin.request('PATCH', '/api/organisation', { ...options, body: { name: 'Changed' } });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('csrf_failed');
    expect(await organisationName()).toBe('Acme');

    const users = await admin.request('POST', '/api/users', {
      ...options,
      body: { email: 'csrf@acme.test', name: 'C', password: 'a long enough password', role: 'admin' },
    });
    expect(users.status).toBe(403);
    expect(await hub.database.db.selectFrom('users').select('id').where('email', '=', 'csrf@acme.test').execute()).toEqual([]);

    const logout = await admin.request('DELETE', '/api/session', options);
    expect(logout.status).toBe(403);
    expect((await admin.get('/api/session')).status).toBe(200);
  });

  it('accepts the session token with the right Origin, or with no Origin from a non-browser client', async () => {
    expect((await admin.patch('/api/organisation', { name: 'Acme 2' })).status).toBe(200);
    expect((await admin.patch('/api/organisation', { name: 'Acme' }, { origin: null })).status).toBe(200);
    expect(
      (await admin.patch('/api/organisation', { name: 'Acme' }, { headers: { 'sec-fetch-site': 'same-origin' } })).status,
    ).toBe(200);
  });

  it('requires some X-CSRF-Token before a session exists (log-in), and a same-site Origin', async () => {
    const anonymous = client(hub);
    const noToken = await anonymous.post('/api/session', { email: DEFAULT_ADMIN.email, password: DEFAULT_ADMIN.password }, { csrfToken: null });
    expect(noToken.status).toBe(403);
    expect(noToken.headers.get('set-cookie')).toBeNull();
    const foreign = await anonymous.post(
      '/api/session',
      { email: DEFAULT_ADMIN.email, password: DEFAULT_ADMIN.password },
      { origin: 'http://evil.example' },
    );
    expect(foreign.status).toBe(403);
    const ok = await anonymous.post('/api/session', { email: DEFAULT_ADMIN.email, password: DEFAULT_ADMIN.password }, { csrfToken: 'anything' });
    expect(ok.status).toBe(200);
  });

  it('does not ask for a token on reads, nor outside /api (webhook intake)', async () => {
    expect((await admin.get('/api/users', { headers: { origin: 'https://evil.example' } })).status).toBe(200);
    const webhook = await fetch(`${hub.url}/webhooks/linear/whk_x`, { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(webhook.status).toBe(404);
  });
});

/**
 * Session and CSRF checks follow the route a request reaches, not the raw URL: the router
 * percent-decodes the path, so "/%61pi/setup" is served by the "/api/setup" handler.
 */
describe.each(testDialects())('CSRF and sessions on percent-encoded paths on %s', (dialect) => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub(dialect);
  });
  afterAll(async () => hub?.close());

  const userCount = async () => (await hub.database.db.selectFrom('users').select('id').execute()).length;
  const evil = { origin: 'https://evil.example', csrfToken: null } as const;

  it('refuses setup from a foreign Origin, however the path is spelled (403, no admin created)', async () => {
    const anonymous = client(hub);
    for (const path of ['/api/setup', '/%61pi/setup', '/api/%73etup', '/%61%70%69/setup']) {
      const response = await anonymous.post(path, DEFAULT_ADMIN, evil);
      expect(response.status, path).toBe(403);
      expect(response.body.error.code, path).toBe('csrf_failed');
      expect(response.headers.get('set-cookie'), path).toBeNull();
    }
    // A foreign Origin is refused even with a token.
    const withToken = await anonymous.post('/%61pi/setup', DEFAULT_ADMIN, { origin: 'https://evil.example' });
    expect(withToken.status).toBe(403);
    expect(await userCount()).toBe(0);
  });

  it('refuses log-in from a foreign Origin on an encoded path', async () => {
    const admin = client(hub);
    await setupFirstAdmin(admin);
    const anonymous = client(hub);
    const response = await anonymous.post(
      '/%61pi/session',
      { email: DEFAULT_ADMIN.email, password: DEFAULT_ADMIN.password },
      { origin: 'https://evil.example' },
    );
    expect(response.status).toBe(403);
    expect(response.headers.get('set-cookie')).toBeNull();
  });

  it('resolves the session on encoded paths: 401 without one, the same answers with one', async () => {
    const anonymous = client(hub);
    for (const path of ['/%61pi/users', '/api/%75sers', '/%61pi/organisation', '/%61pi/session']) {
      const response = await anonymous.get(path);
      expect(response.status, path).toBe(401);
      expect(response.body.error.code, path).toBe('unauthenticated');
    }
    const admin = client(hub);
    await login(admin, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password);
    const users = await admin.get('/%61pi/users');
    expect(users.status).toBe(200);
    expect(users.body).toEqual((await admin.get('/api/users')).body);
  });

  it('refuses changes with a foreign Origin or no token on encoded paths (nothing changed)', async () => {
    const admin = client(hub);
    await login(admin, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password);
    const rename = await admin.request('PATCH', '/%61pi/organisation', { origin: 'https://evil.example', body: { name: 'Evil' } });
    expect(rename.status).toBe(403);
    const noToken = await admin.request('PATCH', '/%61pi/%6frganisation', { csrfToken: null, body: { name: 'Evil' } });
    expect(noToken.status).toBe(403);
    const addUser = await admin.request('POST', '/%61pi/users', {
      origin: 'https://evil.example',
      body: { email: 'evil@acme.test', name: 'E', password: 'a long enough password', role: 'admin' },
    });
    expect(addUser.status).toBe(403);
    expect((await hub.database.db.selectFrom('organisations').select('name').executeTakeFirstOrThrow()).name).toBe('Acme');
    expect(await userCount()).toBe(1);
    const logout = await admin.request('DELETE', '/%61pi/session', { origin: 'https://evil.example' });
    expect(logout.status).toBe(403);
    expect((await admin.get('/api/session')).status).toBe(200);
  });

  it('still answers unmatched paths with the JSON 404', async () => {
    const response = await client(hub).post('/%61pi/nope', {}, evil);
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });
});

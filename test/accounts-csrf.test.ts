import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, DEFAULT_ADMIN, setupFirstAdmin, type HubClient } from './helpers/client.js';
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

  const refusals: [string, Parameters<HubClient['request']>[2]][] = [
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

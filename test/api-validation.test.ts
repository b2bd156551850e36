import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, setupFirstAdmin, type HubClient } from './helpers/client.js';
import { testDialects } from './helpers/databases.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

/** Every input goes through a strict schema; every refusal has the one error shape. */
describe.each(testDialects())('API input validation on %s', (dialect) => {
  let hub: TestHub;
  let admin: HubClient;
  beforeAll(async () => {
    hub = await startTestHub(dialect, { BODY_LIMIT_BYTES: '2048' });
    admin = client(hub);
    await setupFirstAdmin(admin);
  });
  afterAll(async () => hub?.close());

  it('rejects an unknown field with 400 invalid_body naming it', async () => {
    const response = await admin.patch('/api/organisation', { name: 'Acme', colour: 'blue' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_body');
    expect(response.body.error.details).toEqual([{ path: '', message: expect.stringContaining('colour') }]);
    expect((await admin.get('/api/organisation')).body.organisation.name).toBe('Acme');
  });

  it('rejects wrong types and missing fields with 400 invalid_body, one detail per problem', async () => {
    const response = await admin.post('/api/users', { email: 42, name: '', role: 'owner' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_body');
    const paths = (response.body.error.details as Array<{ path: string }>).map((d) => d.path).sort();
    expect(paths).toEqual(['email', 'name', 'password', 'role']);
  });

  it('rejects a body that is not an object, and a missing body', async () => {
    expect((await admin.post('/api/session', [1, 2])).body.error.code).toBe('invalid_body');
    const missing = await admin.request('PATCH', '/api/organisation');
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('invalid_body');
  });

  it('rejects an empty PATCH of a user', async () => {
    const me = (await admin.get('/api/session')).body.user.id;
    const response = await admin.patch(`/api/users/${me}`, {});
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ path: '', message: 'change at least one of name, role' }]);
  });

  it('rejects malformed JSON with 400 invalid_json', async () => {
    const response = await admin.request('POST', '/api/users', { rawBody: '{"email": "a@b.test",' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: { code: 'invalid_json', message: 'The request body is not valid JSON.' } });
  });

  it('rejects an oversize body with 413 body_too_large', async () => {
    const response = await admin.patch('/api/organisation', { name: 'x'.repeat(4096) });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('body_too_large');
  });

  it('rejects a body that is not JSON: 415 for every media type but JSON', async () => {
    const xml = await admin.request('PATCH', '/api/organisation', {
      rawBody: '<name>x</name>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(xml.status).toBe(415);
    expect(xml.body.error.code).toBe('unsupported_media_type');
    const text = await admin.request('PATCH', '/api/organisation', {
      rawBody: 'name=x',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('unsupported_media_type');
  });

  it('rejects bad path parameters with 400 invalid_params', async () => {
    const response = await admin.get(`/api/users/${'x'.repeat(65)}`);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_params');
  });

  it('rejects unknown query parameters with 400 invalid_query', async () => {
    const response = await admin.get('/api/users?page=2');
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_query');
    expect(response.body.error.details).toEqual([{ path: '', message: expect.stringContaining('page') }]);
  });

  it('never echoes submitted values in validation errors', async () => {
    const response = await admin.post('/api/users', {
      email: 'not-an-email-canary',
      name: 'n',
      password: 'short-canary',
      role: 'viewer',
    });
    expect(response.status).toBe(400);
    expect(response.text).not.toContain('canary');
  });

  it('rejects a NUL character in any JSON string with 400 invalid_body (nothing stored)', async () => {
    const cases: Array<[string, string, unknown]> = [
      ['PATCH', '/api/organisation', { name: 'Acme\u0000Evil' }],
      ['POST', '/api/users', { email: 'nul@acme.test', name: 'N\u0000ul', password: 'a long enough password', role: 'viewer' }],
      ['POST', '/api/users', { email: 'nul@acme.test', name: 'Nul', password: 'a long enough\u0000password', role: 'viewer' }],
      ['POST', '/api/session', { email: 'ada@acme.test\u0000', password: 'x' }],
      ['POST', '/api/setup', { organisationName: 'O\u0000', name: 'N', email: 'n@acme.test', password: 'a long enough password' }],
      ['PATCH', '/api/organisation', { name: 'Acme', nested: [{ deep: ['\u0000'] }] }],
      ['PATCH', '/api/organisation', { 'na\u0000me': 'Acme' }],
    ];
    for (const [method, path, body] of cases) {
      const response = await admin.request(method, path, { body });
      expect(response.status, `${method} ${path}`).toBe(400);
      expect(response.body.error.code, `${method} ${path}`).toBe('invalid_body');
      expect(response.body.error.message).toContain('NUL');
    }
    const name = await admin.request('PATCH', '/api/organisation', { body: { name: 'Acme\u0000Evil' } });
    expect(name.body.error.details).toEqual([{ path: 'name', message: expect.stringContaining('NUL') }]);
    expect((await admin.get('/api/organisation')).body.organisation.name).toBe('Acme');
    expect(await hub.database.db.selectFrom('users').select('id').where('email', '=', 'nul@acme.test').execute()).toEqual([]);
  });

  it('refuses control, bidirectional and zero-width characters in person and organisation names (400 invalid_body, nothing stored)', async () => {
    const bad: Array<[string, string]> = [
      ['\u202E', 'U+202E'], // RIGHT-TO-LEFT OVERRIDE
      ['\u2066', 'U+2066'], // LEFT-TO-RIGHT ISOLATE
      ['\u200F', 'U+200F'], // RIGHT-TO-LEFT MARK
      ['\u061C', 'U+061C'], // ARABIC LETTER MARK
      ['\u200B', 'U+200B'], // ZERO WIDTH SPACE
      ['\uFEFF', 'U+FEFF'], // ZERO WIDTH NO-BREAK SPACE
      ['\n', 'U+000A'],
      ['\t', 'U+0009'],
      ['\u001B', 'U+001B'], // ESC, as in terminal escape sequences
      ['\u0085', 'U+0085'], // NEXT LINE (C1)
      ['\u2028', 'U+2028'], // LINE SEPARATOR
    ];
    const user = await admin.post('/api/users', { email: 'named@acme.test', name: 'Named', password: 'a long enough password', role: 'viewer' });
    expect(user.status).toBe(201);
    for (const [character, codePoint] of bad) {
      const name = `Ac${character}me`;
      const requests: Array<[string, string, unknown, string]> = [
        ['PATCH', '/api/organisation', { name }, 'name'],
        ['POST', '/api/users', { email: 'bidi@acme.test', name, password: 'a long enough password', role: 'viewer' }, 'name'],
        ['PATCH', `/api/users/${user.body.user.id}`, { name }, 'name'],
      ];
      for (const [method, path, body, field] of requests) {
        const response = await admin.request(method, path, { body });
        expect(response.status, `${method} ${path} ${codePoint}`).toBe(400);
        expect(response.body.error.code).toBe('invalid_body');
        expect(response.body.error.details).toEqual([
          { path: field, message: `must not contain control or invisible formatting characters (line breaks, tabs, zero-width spaces, bidirectional overrides); found ${codePoint}` },
        ]);
      }
    }
    expect((await admin.get('/api/organisation')).body.organisation.name).toBe('Acme');
    expect(await hub.database.db.selectFrom('users').select('name').where('email', '=', 'named@acme.test').execute()).toEqual([{ name: 'Named' }]);
    expect(await hub.database.db.selectFrom('users').select('id').where('email', '=', 'bidi@acme.test').execute()).toEqual([]);

    // Scripts that need joiners, emoji sequences and accents stay welcome; edges are trimmed.
    for (const name of ['Zoë Ça', 'می\u200Cخواهم', 'Dev \u{1F469}\u200D\u{1F4BB}', '  Tabbed\t']) {
      const response = await admin.patch(`/api/users/${user.body.user.id}`, { name });
      expect(response.status, JSON.stringify(name)).toBe(200);
      expect(response.body.user.name).toBe(name.trim());
    }
  });

  it('rejects a NUL character in the URL with 400 before routing', async () => {
    for (const path of ['/api/users/usr_%00x', '/api/users/usr_%00', '/api/organisation%00', '/api/users?x=%00', '/%00']) {
      const response = await admin.get(path);
      expect(response.status, path).toBe(400);
      expect(response.body.error.code, path).toBe('bad_request');
      expect(response.body.error.message).toContain('NUL');
    }
    const patch = await admin.patch('/api/users/usr_%00x', { name: 'x' });
    expect(patch.status).toBe(400);
  });

  it('rejects __proto__ and constructor.prototype keys with a truthful 400 invalid_body', async () => {
    const message = 'The request body contains a forbidden key (__proto__ or constructor.prototype).';
    for (const rawBody of [
      '{"name": "Acme", "__proto__": {"isAdmin": true}}',
      '{"name": "Acme", "x": [{"__proto__": {}}]}',
      '{"name": "Acme", "constructor": {"prototype": {"isAdmin": true}}}',
    ]) {
      const response = await admin.request('PATCH', '/api/organisation', { rawBody });
      expect(response.status, rawBody).toBe(400);
      expect(response.body, rawBody).toEqual({ error: { code: 'invalid_body', message } });
    }
    // A key merely named "constructor" is not forbidden (the schema refuses it as unknown).
    const constructorKey = await admin.request('PATCH', '/api/organisation', { rawBody: '{"name": "Acme", "constructor": 1}' });
    expect(constructorKey.body.error.code).toBe('invalid_body');
    expect(constructorKey.body.error.message).not.toContain('forbidden key');
  });
});

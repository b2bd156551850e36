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
    const paths = (response.body.error.details as { path: string }[]).map((d) => d.path).sort();
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
});

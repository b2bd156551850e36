import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/observability/logger.js';
import { startHub } from '../src/main.js';
import { client, DEFAULT_ADMIN, login, setupFirstAdmin } from './helpers/client.js';
import { testDialects } from './helpers/databases.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

describe.each(testDialects())('first run and setup on %s', (dialect) => {
  let hub: TestHub | undefined;
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });

  it('GET /api/meta reports setupRequired until the first admin exists', async () => {
    hub = await startTestHub(dialect);
    const c = client(hub);
    const before = await c.get('/api/meta');
    expect(before.status).toBe(200);
    expect(before.body).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+/), setupRequired: true, sandboxMode: false, sandbox: null, retentionDays: 30 });

    const session = await setupFirstAdmin(c);
    expect(session.user).toMatchObject({ email: DEFAULT_ADMIN.email, name: DEFAULT_ADMIN.name, role: 'admin' });
    expect(session.organisation.name).toBe('Acme');
    expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const after = await c.get('/api/meta');
    expect(after.body.setupRequired).toBe(false);
    // Setup logged the admin in.
    expect((await c.get('/api/session')).body.user.email).toBe(DEFAULT_ADMIN.email);
  });

  it('answers 409 already_set_up to a second setup and changes nothing', async () => {
    hub = await startTestHub(dialect);
    await setupFirstAdmin(client(hub));
    const second = await client(hub).post('/api/setup', { ...DEFAULT_ADMIN, email: 'mallory@evil.test', organisationName: 'Evil' });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('already_set_up');
    expect(second.headers.get('set-cookie')).toBeNull();
    const organisations = await hub.database.db.selectFrom('organisations').select('name').execute();
    expect(organisations).toEqual([{ name: 'Acme' }]);
    expect(await hub.database.db.selectFrom('users').select('email').execute()).toEqual([{ email: DEFAULT_ADMIN.email }]);
  });

  it('lets exactly one of two concurrent setups win', async () => {
    hub = await startTestHub(dialect);
    const answers = await Promise.all(
      ['one', 'two', 'three'].map((name) =>
        client(hub!).post('/api/setup', { ...DEFAULT_ADMIN, organisationName: name, email: `${name}@acme.test` }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
    expect(await hub.database.db.selectFrom('users').select('id').execute()).toHaveLength(1);
    expect(await hub.database.db.selectFrom('organisations').select('id').execute()).toHaveLength(1);
  });

  it('normalises the e-mail address and rejects a short password', async () => {
    hub = await startTestHub(dialect);
    const c = client(hub);
    const short = await c.post('/api/setup', { ...DEFAULT_ADMIN, password: 'too short' });
    expect(short.status).toBe(400);
    expect(short.body.error.details).toEqual([{ path: 'password', message: 'must be at least 12 characters' }]);
    const session = await setupFirstAdmin(c, { email: '  Ada@ACME.test ' });
    expect(session.user.email).toBe('ada@acme.test');
    await login(client(hub), 'ADA@acme.TEST', DEFAULT_ADMIN.password);
  });

  it('refuses control and invisible formatting characters in both names with 400 invalid_body per field (nothing created)', async () => {
    hub = await startTestHub(dialect);
    const c = client(hub);
    const refused = await c.post('/api/setup', { ...DEFAULT_ADMIN, organisationName: 'Acme\u202Egnp.exe', name: 'Ada\nAdmin' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('invalid_body');
    expect(refused.body.error.details).toEqual([
      { path: 'organisationName', message: expect.stringMatching(/^must not contain control or invisible formatting characters.*found U\+202E$/) },
      { path: 'name', message: expect.stringMatching(/found U\+000A$/) },
    ]);
    expect(refused.headers.get('set-cookie')).toBeNull();
    expect(await hub.database.db.selectFrom('users').select('id').execute()).toEqual([]);
    expect(await hub.database.db.selectFrom('organisations').select('id').execute()).toEqual([]);
    expect((await c.get('/api/meta')).body.setupRequired).toBe(true);
  });

  it('creates the admin from HUB_ADMIN_EMAIL/HUB_ADMIN_PASSWORD once, and not again on restart', async () => {
    const env = {
      HUB_ADMIN_EMAIL: 'Boot@Acme.test',
      HUB_ADMIN_PASSWORD: 'bootstrap password 123',
      HUB_ADMIN_ORGANISATION: 'Boot Org',
    };
    hub = await startTestHub(dialect, env);
    expect(hub.logs.text).toContain('created the first admin boot@acme.test');
    expect(hub.logs.text).not.toContain(env.HUB_ADMIN_PASSWORD);
    expect((await client(hub).get('/api/meta')).body.setupRequired).toBe(false);
    const session = await login(client(hub), 'boot@acme.test', env.HUB_ADMIN_PASSWORD);
    expect(session.user.role).toBe('admin');
    expect(session.organisation.name).toBe('Boot Org');

    // Restart over the same database.
    await hub.hub.close();
    const restarted = await startHub(hub.config, { database: hub.database, logger: createLogger({ level: 'silent' }) });
    try {
      expect(await hub.database.db.selectFrom('users').select('email').execute()).toEqual([{ email: 'boot@acme.test' }]);
      expect(await hub.database.db.selectFrom('organisations').select('id').execute()).toHaveLength(1);
      const setup = await client(hub).post('/api/setup', DEFAULT_ADMIN);
      expect(setup.status).toBe(409);
    } finally {
      await restarted.close();
    }
  });
});

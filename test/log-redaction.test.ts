import { afterEach, describe, expect, it } from 'vitest';
import { client, createUser, login, setupFirstAdmin } from './helpers/client.js';
import { testDialects } from './helpers/databases.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

/** Many real scrypt hashes (≈32 MiB, tens of ms each; far slower on a loaded CI box). */
const SCRYPT_HEAVY_TIMEOUT = 120_000;

const CANARY = {
  password: 'canary-password-5b1e7d03a9',
  userPassword: 'canary-user-password-88c2f1',
  bootstrapPassword: 'canary-bootstrap-password-3e9a',
  token: 'canary-token-0d4c2b7e61',
  secret: 'canary-secret-a71f09d3c4',
  code: 'canary-code-6e2d8b',
  state: 'canary-state-19fa4c',
  cookie: 'canary-cookie-2c7e5a90',
};

/** Drives the accounts API at debug level with secrets everywhere and checks none reaches the log. */
describe.each(testDialects())('secrets never reach the log on %s', (dialect) => {
  let hub: TestHub | undefined;
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });

  it('keeps passwords, tokens, cookies, secrets and OAuth codes out of the debug log', { timeout: SCRYPT_HEAVY_TIMEOUT }, async () => {
    hub = await startTestHub(dialect, { LOG_LEVEL: 'debug' });
    const admin = client(hub);
    const session = await setupFirstAdmin(admin, { email: 'canary-admin@acme.test', password: CANARY.password });
    const sessionCookie = admin.cookies.get('hub_session')!;

    // Log-in: wrong, then right; and a password typed into the e-mail field.
    const other = client(hub);
    expect((await other.post('/api/session', { email: 'canary-admin@acme.test', password: `${CANARY.password}-wrong` })).status).toBe(401);
    expect((await other.post('/api/session', { email: CANARY.password, password: CANARY.password })).status).toBe(400);
    await login(other, 'canary-admin@acme.test', CANARY.password);

    // Create a user, and log in as them.
    await createUser(admin, { email: 'canary-user@acme.test', password: CANARY.userPassword });
    await login(client(hub), 'canary-user@acme.test', CANARY.userPassword);

    // An unknown body field holding a secret (rejected), and malformed JSON holding one.
    const unknownField = await admin.patch('/api/organisation', { name: 'Acme', secret: CANARY.secret });
    expect(unknownField.status).toBe(400);
    const malformed = await admin.request('POST', '/api/users', { rawBody: `{"password": "${CANARY.secret}"` });
    expect(malformed.status).toBe(400);

    // A bearer token, a foreign cookie, OAuth-style query parameters.
    const headers = {
      authorization: `Bearer ${CANARY.token}`,
      cookie: `hub_session=${sessionCookie}; other=${CANARY.cookie}`,
    };
    const query = await fetch(`${hub.url}/api/users?code=${CANARY.code}&state=${CANARY.state}`, { headers });
    expect(query.status).toBe(400); // unknown query parameters are refused, and not echoed
    expect(await query.text()).not.toContain('canary');
    await fetch(`${hub.url}/oauth/linear/callback?code=${CANARY.code}&state=${CANARY.state}`, { headers });
    expect((await fetch(`${hub.url}/api/meta?token=${CANARY.token}&secret=${CANARY.secret}`, { headers })).status).toBe(400);
    // A wrong CSRF token (itself a secret-looking value) and the session's real one.
    await admin.patch('/api/organisation', { name: 'Acme' }, { csrfToken: CANARY.token });
    await admin.patch('/api/organisation', { name: 'Acme' });
    await admin.delete('/api/session');

    // A hub bootstrapped from the environment.
    const bootstrapped = await startTestHub(dialect, {
      LOG_LEVEL: 'debug',
      HUB_ADMIN_EMAIL: 'boot@acme.test',
      HUB_ADMIN_PASSWORD: CANARY.bootstrapPassword,
    });
    try {
      await login(client(bootstrapped), 'boot@acme.test', CANARY.bootstrapPassword);
      expect(bootstrapped.logs.text).toContain('created the first admin boot@acme.test');
      expect(bootstrapped.logs.text).not.toContain(CANARY.bootstrapPassword);
    } finally {
      await bootstrapped.close();
    }

    const logs = hub.logs.text;
    expect(logs).toContain('incoming request'); // the capture really holds debug-level request logs
    expect(logs).toContain('log-in refused');
    for (const [name, value] of Object.entries(CANARY)) {
      expect(logs, `canary ${name} in the log`).not.toContain(value);
    }
    expect(logs).not.toContain(sessionCookie);
    expect(logs).not.toContain(session.csrfToken);
    expect(logs).not.toContain('scrypt$');

    // Responses never carry password hashes (nor the passwords themselves).
    for (const text of [...admin.seen, ...other.seen]) {
      expect(text).not.toContain('scrypt$');
      expect(text).not.toContain(CANARY.password);
      expect(text).not.toContain(CANARY.userPassword);
    }
  });
});

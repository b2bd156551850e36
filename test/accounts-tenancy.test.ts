import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserView } from '../src/api/index.js';
import { createOrganisation } from './helpers/accounts.js';
import { client, createUser, login, setupFirstAdmin, type HubClient } from './helpers/client.js';
import { testDialects } from './helpers/databases.js';
import { startTestHub, type TestHub } from './helpers/hub.js';

/**
 * Two organisations on one hub: neither can read or change the other's users or settings,
 * and a viewer can read but not change anything.
 */
describe.each(testDialects())('organisation isolation and roles on %s', (dialect) => {
  let hub: TestHub;
  let adminA: HubClient;
  let adminB: HubClient;
  let viewerA: HubClient;
  let userB: UserView;
  let adminAId: string;
  let viewerAId: string;

  const snapshot = async () => ({
    organisations: await hub.database.db.selectFrom('organisations').selectAll().orderBy('id').execute(),
    users: await hub.database.db.selectFrom('users').selectAll().orderBy('id').execute(),
  });

  beforeAll(async () => {
    hub = await startTestHub(dialect);
    adminA = client(hub);
    adminAId = (await setupFirstAdmin(adminA, { organisationName: 'Org A', email: 'admin@a.test' })).user.id;
    viewerAId = (await createUser(adminA, { email: 'viewer@a.test', password: 'viewer password 1', role: 'viewer' })).id;
    viewerA = client(hub);
    await login(viewerA, 'viewer@a.test', 'viewer password 1');

    await createOrganisation(hub, { organisationName: 'Org B', name: 'Bea', email: 'admin@b.test', password: 'admin b password' });
    adminB = client(hub);
    await login(adminB, 'admin@b.test', 'admin b password');
    userB = await createUser(adminB, { email: 'user@b.test', name: 'Bob', role: 'admin' });
  });
  afterAll(async () => hub?.close());

  it('lists only the users of the caller’s own organisation', async () => {
    const a = await adminA.get('/api/users');
    expect(a.status).toBe(200);
    expect(a.body.users.map((u: UserView) => u.email).sort()).toEqual(['admin@a.test', 'viewer@a.test']);
    const b = await adminB.get('/api/users');
    expect(b.body.users.map((u: UserView) => u.email).sort()).toEqual(['admin@b.test', 'user@b.test']);
  });

  it('answers 404 (not 403) to reading or changing a user of another organisation', async () => {
    const before = await snapshot();
    const read = await adminA.get(`/api/users/${userB.id}`);
    expect(read.status).toBe(404);
    expect(read.body.error.code).toBe('not_found');
    const patch = await adminA.patch(`/api/users/${userB.id}`, { role: 'viewer', name: 'Hacked' });
    expect(patch.status).toBe(404);
    expect(patch.body).toEqual(read.body);
    // Same answer as for an id that does not exist at all.
    expect((await adminA.patch('/api/users/usr_doesnotexist', { name: 'X' })).body).toEqual(read.body);
    expect(await snapshot()).toEqual(before);
    // Own users are readable.
    expect((await adminA.get(`/api/users/${viewerAId}`)).body.user.email).toBe('viewer@a.test');
  });

  it('shows and renames only the caller’s own organisation', async () => {
    expect((await adminA.get('/api/organisation')).body.organisation.name).toBe('Org A');
    expect((await adminB.get('/api/organisation')).body.organisation.name).toBe('Org B');
    const renamed = await adminA.patch('/api/organisation', { name: 'Org A renamed' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.organisation.name).toBe('Org A renamed');
    expect((await adminB.get('/api/organisation')).body.organisation.name).toBe('Org B');
    // The organisation id is never taken from input.
    const smuggled = await adminA.patch('/api/organisation', { name: 'x', id: 'org_other' });
    expect(smuggled.status).toBe(400);
    await adminA.patch('/api/organisation', { name: 'Org A' });
  });

  it('puts a new user in the admin’s own organisation, and email_taken spans the installation', async () => {
    const taken = await adminA.post('/api/users', { email: 'USER@b.test', name: 'Dup', password: 'a long enough password', role: 'viewer' });
    expect(taken.status).toBe(409);
    expect(taken.body.error.code).toBe('email_taken');
    const created = await createUser(adminA, { email: 'new@a.test' });
    const row = await hub.database.db.selectFrom('users').select('organisation_id').where('id', '=', created.id).executeTakeFirstOrThrow();
    const orgA = (await adminA.get('/api/organisation')).body.organisation.id;
    expect(row.organisation_id).toBe(orgA);
  });

  it('lets a viewer read but answers 403 forbidden to every change, leaving the database unchanged', async () => {
    expect((await viewerA.get('/api/users')).status).toBe(200);
    expect((await viewerA.get('/api/organisation')).status).toBe(200);
    expect((await viewerA.get(`/api/users/${adminAId}`)).status).toBe(200);
    const before = await snapshot();
    const attempts = [
      await viewerA.post('/api/users', { email: 'sneaky@a.test', name: 'S', password: 'a long enough password', role: 'admin' }),
      await viewerA.patch(`/api/users/${viewerAId}`, { role: 'admin' }),
      await viewerA.patch(`/api/users/${adminAId}`, { role: 'viewer' }),
      await viewerA.patch('/api/organisation', { name: 'Viewer was here' }),
    ];
    for (const attempt of attempts) {
      expect(attempt.status).toBe(403);
      expect(attempt.body.error.code).toBe('forbidden');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers 401 unauthenticated without a session', async () => {
    const anonymous = client(hub);
    for (const response of [
      await anonymous.get('/api/users'),
      await anonymous.get('/api/organisation'),
      await anonymous.get(`/api/users/${adminAId}`),
      await anonymous.post('/api/users', { email: 'x@a.test', name: 'X', password: 'a long enough password', role: 'admin' }),
      await anonymous.patch('/api/organisation', { name: 'x' }),
    ]) {
      expect(response.status).toBe(401);
      expect(response.body.error.code).toBe('unauthenticated');
    }
  });

  it('refuses to demote the last admin (409 last_admin) but allows it when another admin exists', async () => {
    const last = await adminA.patch(`/api/users/${adminAId}`, { role: 'viewer' });
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('last_admin');
    expect((await adminA.get('/api/session')).body.user.role).toBe('admin');

    // Org B has two admins: one may step down, then the other is the last.
    const bUsers = (await adminB.get('/api/users')).body.users as UserView[];
    const bea = bUsers.find((u) => u.email === 'admin@b.test')!;
    expect((await adminB.patch(`/api/users/${userB.id}`, { role: 'viewer', name: 'Bob V' })).body.user).toMatchObject({
      role: 'viewer',
      name: 'Bob V',
    });
    expect((await adminB.patch(`/api/users/${bea.id}`, { role: 'viewer' })).status).toBe(409);
  });

  it('never returns password hashes', () => {
    for (const c of [adminA, adminB, viewerA]) {
      for (const text of c.seen) {
        expect(text).not.toContain('scrypt$');
        // No password (or hash) field; "mustChangePassword" is a flag, not a secret.
        expect(text).not.toMatch(/"password(_?hash)?"\s*:/i);
      }
    }
  });
});

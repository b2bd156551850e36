import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, login, type HubClient } from '../helpers/client.js';
import { connectProvider, sandboxTokens, startHubWithSandbox, type HubWithSandbox } from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';
import { connectionOf, firstOrganisation, newOrganisation, type OrganisationAdmin } from './fixture.js';

/**
 * Who may do what with connections: admins connect and disconnect, viewers only look, and an
 * organisation sees nothing of another's connections or Connect attempts.
 */
describe.each(testDialects())('Connections access on %s', (dialect) => {
  let env: HubWithSandbox;
  let orgA: OrganisationAdmin;
  let orgB: OrganisationAdmin;
  let viewer: HubClient;
  let attemptA: string;

  beforeAll(async () => {
    env = await startHubWithSandbox(dialect);
    orgA = await firstOrganisation(env.hub);
    await createUser(orgA.admin, { email: 'viewer@a.test', password: 'viewer password 1', role: 'viewer' });
    viewer = client(env.hub);
    await login(viewer, 'viewer@a.test', 'viewer password 1');
    orgB = await newOrganisation(env.hub);
    const connected = await connectProvider(orgA.admin, 'pagerduty');
    if (connected.attempt?.outcome !== 'succeeded') throw new Error(`org A could not connect: ${JSON.stringify(connected.attempt)}`);
    attemptA = connected.attempt.id;
  });
  afterAll(async () => env?.close());

  describe('a viewer', () => {
    it('cannot Connect or Disconnect (403), and nothing changes', async () => {
      for (const provider of ['pagerduty', 'linear']) {
        const start = await viewer.post(`/api/connections/${provider}/authorize`, {});
        expect(start.status).toBe(403);
        expect(start.body.error.code).toBe('forbidden');
      }
      const disconnect = await viewer.delete('/api/connections/pagerduty');
      expect(disconnect.status).toBe(403);
      expect(disconnect.body.error.code).toBe('forbidden');
      expect((await connectionOf(orgA.admin, 'pagerduty')).status).toBe('connected');
      expect(await env.hub.database.db.selectFrom('oauth_attempts').select('id').where('user_id', '!=', orgA.userId).execute()).toEqual([]);
    });

    it('sees the cards and the services', async () => {
      const card = await connectionOf(viewer, 'pagerduty');
      expect(card).toEqual(await connectionOf(orgA.admin, 'pagerduty'));
      expect(card).toMatchObject({ status: 'connected', account: { name: 'acme' } });
      expect((await viewer.get('/api/connections/pagerduty')).body.connection).toEqual(card);
      const services = await viewer.get('/api/connections/pagerduty/services');
      expect(services.status).toBe(200);
      expect(services.body.services).toHaveLength(32);
    });

    it('cannot read an admin’s Connect attempt (attempts are their clicker’s own)', async () => {
      expect((await orgA.admin.get(`/api/connections/attempts/${attemptA}`)).status).toBe(200);
      const read = await viewer.get(`/api/connections/attempts/${attemptA}`);
      expect(read.status).toBe(404);
      expect(read.body.error.code).toBe('not_found');
    });
  });

  describe('another organisation', () => {
    it('sees neither provider connected and cannot load services or teams', async () => {
      for (const provider of ['pagerduty', 'linear'] as const) {
        const card = await connectionOf(orgB.admin, provider);
        expect(card).toMatchObject({ status: 'not_connected', account: null, connectedAs: null, connectedBy: null });
      }
      expect((await connectionOf(orgB.admin, 'linear')).connectBlockedBy?.code).toBe('pagerduty_not_connected');
      for (const path of ['/api/connections/pagerduty/services', '/api/connections/linear/teams']) {
        const response = await orgB.admin.get(path);
        expect(response.status).toBe(409);
        expect(response.body.error.code).toBe('not_connected');
      }
    });

    it('cannot read or disconnect organisation A’s connection, nor read its attempt (404)', async () => {
      const read = await orgB.admin.get(`/api/connections/attempts/${attemptA}`);
      expect(read.status).toBe(404);
      expect(read.body).toEqual((await orgB.admin.get('/api/connections/attempts/att_doesnotexist')).body);
      const disconnect = await orgB.admin.delete('/api/connections/pagerduty');
      expect(disconnect.status).toBe(409);
      expect(disconnect.body.error.code).toBe('not_connected');
      expect((await connectionOf(orgA.admin, 'pagerduty')).status).toBe('connected');
    });

    it('connects its own PagerDuty account independently', async () => {
      const { attempt } = await connectProvider(orgB.admin, 'pagerduty', { account: 'globex', user: 'PUSR101' });
      expect(attempt?.outcome).toBe('succeeded');
      expect((await connectionOf(orgB.admin, 'pagerduty')).account?.name).toBe('globex');
      expect((await connectionOf(orgA.admin, 'pagerduty')).account?.name).toBe('acme');
      const servicesB = await orgB.admin.get('/api/connections/pagerduty/services');
      expect(servicesB.body.services.map((service: { id: string }) => service.id).sort()).toEqual(['PSVC101', 'PSVC102', 'PSVC103']);
      expect((await orgA.admin.get('/api/connections/pagerduty/services')).body.services).toHaveLength(32);
      // Two authorizations at PagerDuty, one per organisation.
      expect(new Set((await sandboxTokens(env.sandbox.pagerdutyUrl)).map((token) => token.account))).toEqual(new Set(['acme', 'globex']));
    });
  });

  describe('without a session', () => {
    it('answers 401 to every connections route', async () => {
      const anonymous = client(env.hub);
      for (const [method, path] of [
        ['GET', '/api/connections'],
        ['GET', '/api/connections/pagerduty'],
        ['GET', '/api/connections/pagerduty/services'],
        ['GET', `/api/connections/attempts/${attemptA}`],
        ['POST', '/api/connections/pagerduty/authorize'],
        ['DELETE', '/api/connections/pagerduty'],
      ] as const) {
        const response = await anonymous.request(method, path, method === 'POST' ? { body: {} } : {});
        expect({ method, path, status: response.status }).toEqual({ method, path, status: 401 });
      }
      expect((await connectionOf(orgA.admin, 'pagerduty')).status).toBe('connected');
    });
  });
});

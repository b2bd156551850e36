import { afterAll, beforeAll, expect, test } from 'vitest';
import type { ConnectionsResponse, MetaResponse } from '../../src/api/index.js';
import { client, setupFirstAdmin } from '../helpers/client.js';
import { connectProvider } from '../helpers/connections.js';
import { freePort, startTestHub, type TestHub } from '../helpers/hub.js';

/**
 * The newcomer's path: no OAuth client configured, so `start` serves the stand-ins and both
 * providers use them (the README's first command). Connect both, see services and teams.
 */
let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub('sqlite', {
    SANDBOX: 'auto',
    SANDBOX_PAGERDUTY_PORT: String(await freePort()),
    SANDBOX_LINEAR_PORT: String(await freePort()),
  });
});
afterAll(async () => hub?.close());

test('without any OAuth client configured, both providers connect through the built-in stand-ins', async () => {
  const c = client(hub);
  await setupFirstAdmin(c);
  const meta = await c.get<MetaResponse>('/api/meta');
  expect(meta.body.sandboxMode).toBe(true);
  const before = await c.get<ConnectionsResponse>('/api/connections');
  expect(before.body.connections.map((connection) => connection.mode)).toEqual(['sandbox', 'sandbox']);

  const pagerduty = await connectProvider(c, 'pagerduty');
  expect(pagerduty.attempt?.outcome).toBe('succeeded');
  // The consent page and the API are the stand-in the hub started, on its configured port.
  expect(new URL(pagerduty.callbackUrl).origin).toBe(hub.config.publicUrl.origin);
  const services = await c.get('/api/connections/pagerduty/services');
  expect(services.status).toBe(200);
  expect(services.body.services).toHaveLength(32);

  const linear = await connectProvider(c, 'linear');
  expect(linear.attempt?.message).toContain('Acme');
  const teams = await c.get('/api/connections/linear/teams');
  expect(teams.body.teams.map((team: { key: string }) => team.key)).toEqual(['ENG', 'PRD', 'SUP']);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ENDPOINTS } from '../../src/api/index.js';
import { client, setupFirstAdmin, type HubClient } from '../helpers/client.js';
import { testDialects } from '../helpers/databases.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

/**
 * What the fuzz suites (api.test.ts, intake.test.ts) found, kept as plain examples so each bug
 * stays fixed whatever the generators draw next time. Each case names the input as reported.
 */
describe.each(testDialects())('fuzzing counterexamples on %s', (dialect) => {
  let hub: TestHub;
  let admin: HubClient;
  beforeAll(async () => {
    hub = await startTestHub(dialect);
    admin = client(hub);
    await setupFirstAdmin(admin);
  });
  afterAll(async () => hub?.close());

  /** Every list that pages with a cursor (so a new one is covered too). */
  const paged = ENDPOINTS.filter((endpoint) => {
    const shape = endpoint.query instanceof z.ZodObject ? (endpoint.query.shape as Record<string, unknown>) : {};
    return endpoint.method === 'GET' && 'cursor' in shape;
  });

  it('a forged page cursor holding a NUL character → 400 invalid_query, not 500 (PostgreSQL refused the NUL)', async () => {
    expect(paged.length).toBeGreaterThanOrEqual(4);
    // Reported: HEAD /api/links?cursor=WzI0LCJcdTAwMDAiXQ (base64url of [24,"\u0000"]) → 500 on PostgreSQL.
    const cursors = ['WzI0LCJcdTAwMDAiXQ', Buffer.from(JSON.stringify([1, 'dlv_\u0000x'])).toString('base64url')];
    for (const endpoint of paged) {
      for (const cursor of cursors) {
        for (const method of ['GET', 'HEAD']) {
          const response = await admin.request(method, `${endpoint.path}?cursor=${cursor}`);
          expect(response.status, `${method} ${endpoint.path}`).toBe(400);
          if (method === 'GET') expect(response.body.error.code).toBe('invalid_query');
        }
      }
    }
  });
});

import { afterEach, expect, it } from 'vitest';
import type { MetaResponse } from '../../src/api/index.js';
import { client } from '../helpers/client.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';

/** Activity says how far back it goes: GET /api/meta carries RETENTION_DAYS (the web app's Activity header shows it). */
let hub: TestHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

it('GET /api/meta answers RETENTION_DAYS as retentionDays', async () => {
  hub = await startTestHub('sqlite', { RETENTION_DAYS: '7' });
  const meta = await client(hub).get<MetaResponse>('/api/meta');
  expect(meta.status).toBe(200);
  expect(meta.body.retentionDays).toBe(7);
});

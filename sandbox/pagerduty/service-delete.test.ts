import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from './testing.js';

/**
 * DELETE /services/{id} (OAS deleteService; scope services.write, API-NOTES §1.8): a rule's
 * service may disappear upstream (issue 10). Afterwards the service is gone from the list, its
 * GET answers 404, and it takes no new incidents; existing incidents still name it.
 */
let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

interface ServiceList { services: Array<{ id: string }>; more: boolean; total: number | null }
const NOT_FOUND = { error: { message: 'Not Found', code: 2100 } };

async function allServiceIds(token: string): Promise<string[]> {
  const res = await sb.api('/services?limit=100&total=true', { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as ServiceList).services.map((s) => s.id);
}

describe('PagerDuty REST: DELETE /services/{id}', () => {
  it('answers 204 with no body; the service leaves GET /services and GET /services/{id} answers 404', async () => {
    const token = await sb.token('acme', { scopes: ['services.read', 'services.write'] });
    expect(await allServiceIds(token)).toContain('PSVC005');
    const res = await sb.api('/services/PSVC005', { token, method: 'DELETE' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    const ids = await allServiceIds(token);
    expect(ids).toHaveLength(31);
    expect(ids).not.toContain('PSVC005');
    const get = await sb.api('/services/PSVC005', { token });
    expect(get.status).toBe(404);
    expect(await get.json()).toEqual(NOT_FOUND);
    // Type-to-filter and the total count no longer see it either.
    const search = (await (await sb.api('/services?query=PSVC005&total=true', { token })).json()) as ServiceList;
    expect(search.total).toBe(0);
  });

  it('answers 404 in PagerDuty’s shape for an unknown id, an already deleted one and another account’s', async () => {
    const token = await sb.token('acme', { scopes: ['services.read', 'services.write'] });
    expect((await sb.api('/services/PSVC007', { token, method: 'DELETE' })).status).toBe(204);
    for (const id of ['PNOPE00', 'PSVC007', 'PSVC101']) {
      const res = await sb.api(`/services/${id}`, { token, method: 'DELETE' });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual(NOT_FOUND);
    }
    // globex's service was not touched.
    expect((await sb.api('/services/PSVC101', { apiKey: 'globex_sandbox_api_key_0001' })).status).toBe(200);
  });

  it('needs services.write: the hub’s usual scopes are refused with the missing-scope body; Classic write and API keys may', async () => {
    const hubScopes = await sb.token('acme');
    const refused = await sb.api('/services/PSVC004', { token: hubScopes, method: 'DELETE' });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: { message: 'Token missing required scopes', required_scopes: 'services.write' } });
    expect((await sb.api('/services/PSVC004', { token: hubScopes })).status).toBe(200);
    const classic = await sb.token('acme', { scopes: ['write'] });
    expect((await sb.api('/services/PSVC004', { token: classic, method: 'DELETE' })).status).toBe(204);
    expect((await sb.api('/services/PSVC006', { apiKey: 'acme_sandbox_api_key_0001', method: 'DELETE' })).status).toBe(204);
  });

  it('refuses new incidents and webhook subscriptions on a deleted service, while its existing incidents still read', async () => {
    const token = await sb.token('acme', { scopes: ['services.read', 'services.write', 'incidents.read', 'incidents.write', 'webhook_subscriptions.write'] });
    const incident = (service: string) => ({ incident: { type: 'incident', title: 'Disk full', service: { id: service, type: 'service_reference' } } });
    const created = await sb.api('/incidents', { token, method: 'POST', body: incident('PSVC008') });
    expect(created.status).toBe(201);
    const { incident: existing } = (await created.json()) as { incident: { id: string } };
    expect((await sb.api('/services/PSVC008', { token, method: 'DELETE' })).status).toBe(204);

    expect((await sb.api('/incidents', { token, method: 'POST', body: incident('PSVC008') })).status).toBe(400);
    const read = await sb.api(`/incidents/${existing.id}`, { token });
    expect(read.status).toBe(200);
    expect(((await read.json()) as { incident: { service: { id: string } } }).incident.service.id).toBe('PSVC008');
    const subscription = {
      webhook_subscription: {
        type: 'webhook_subscription',
        delivery_method: { type: 'http_delivery_method', url: 'https://example.com/hook' },
        events: ['incident.triggered'],
        filter: { type: 'service_reference', id: 'PSVC008' },
      },
    };
    expect((await sb.api('/webhook_subscriptions', { token, method: 'POST', body: subscription })).status).toBe(400);
  });

  it('is undone by /_sandbox/reset', async () => {
    const token = await sb.token('acme', { scopes: ['services.read', 'services.write'] });
    expect((await sb.api('/services/PSVC009', { token, method: 'DELETE' })).status).toBe(204);
    await sb.reset();
    expect((await sb.api('/services/PSVC009', { token: await sb.token('acme') })).status).toBe(200);
  });
});

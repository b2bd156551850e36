import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/pagerduty/testing.js';
import { ProviderForbiddenError, ProviderUnauthorizedError, ProviderUnavailableError } from '../../src/providers/errors.js';
import { pagerdutyIncidentPager as pager } from '../../src/providers/pagerduty/pager.js';
import { pagerdutyProvider } from '../../src/providers/pagerduty/provider.js';
import type { ProviderRequest } from '../../src/providers/request.js';

/**
 * PagerDuty as the incident pager rules page (roles.ts), against the PagerDuty stand-in over
 * real HTTP: one service by id (gone → null), the account's priorities in PagerDuty's order over
 * every page, and an account without priorities — turned off (empty list) or not in its plan
 * (402, code 2014) — as null.
 */
describe('PagerDuty as the incident pager', () => {
  let sb: RunningSandbox;
  let request: ProviderRequest;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(async () => sb?.close());
  beforeEach(async () => {
    await sb.reset();
    request = { apiUrl: sb.url, accessToken: await sb.token('acme'), timeoutMs: 5000 };
  });

  const calls = (path: string) => sb.requests.list().filter((r) => r.method === 'GET' && r.path === path);
  const acmeService = () => sb.state.servicesOf('acme').find((s) => s.name === 'Checkout API')!;

  it('reads one service by id', async () => {
    const service = acmeService();
    expect(await pager.service(request, service.id)).toEqual({ id: service.id, name: 'Checkout API' });
  });

  it('answers null for a service PagerDuty does not know, or one of another account', async () => {
    const globex = sb.state.servicesOf('globex')[0]!;
    for (const id of ['PNOPE00', globex.id, 'P/../users/me']) expect(await pager.service(request, id), id).toBeNull();
    // The id travels as one path segment.
    expect(calls('/services/P%2F..%2Fusers%2Fme')).toHaveLength(1);
  });

  it('throws the provider errors for everything else', async () => {
    await sb.control('/_sandbox/faults', { api: [{ kind: '500', count: 2 }] });
    await expect(pager.service(request, acmeService().id)).rejects.toBeInstanceOf(ProviderUnavailableError);
    await expect(pager.priorities(request)).rejects.toBeInstanceOf(ProviderUnavailableError);
    const noPriorityScope = await sb.token('acme', { scopes: ['services.read'] });
    await expect(pager.priorities({ ...request, accessToken: noPriorityScope })).rejects.toBeInstanceOf(ProviderForbiddenError);
    await sb.control('/_sandbox/tokens/revoke', { token: request.accessToken });
    await expect(pager.service(request, acmeService().id)).rejects.toBeInstanceOf(ProviderUnauthorizedError);
  });

  it('lists the account’s priorities, most severe first', async () => {
    expect(await pager.priorities(request)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5'].map((name, i) => ({ id: `PPRI00${i + 1}`, name })));
  });

  it('reads every page of priorities, keeping PagerDuty’s order', async () => {
    const extra = Array.from({ length: 150 }, (_, i) => ({ id: `PXTR${String(i).padStart(3, '0')}`, account: 'acme', name: `X${i}`, description: '' }));
    sb.state.priorities.push(...extra);
    const priorities = await pager.priorities(request);
    expect(priorities).toHaveLength(155);
    expect(priorities?.slice(0, 5).map((p) => p.name)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5']);
    expect(priorities?.slice(5).map((p) => p.id)).toEqual(extra.map((p) => p.id));
    expect(calls('/priorities').map((r) => [r.query.limit, r.query.offset])).toEqual([
      ['100', '0'],
      ['100', '100'],
    ]);
  });

  it.each(['empty', 'payment_required'] as const)('answers null when the account has no priorities (%s)', async (mode) => {
    await sb.control('/_sandbox/settings', { priorities: mode });
    expect(await pager.priorities(request)).toBeNull();
    expect(calls('/priorities').at(-1)?.status).toBe(mode === 'empty' ? 200 : 402);
  });

  it('reads every page of services (the scopes rules pick from)', async () => {
    const template = acmeService();
    for (let i = 0; i < 120; i++) sb.state.services.set(`PXSV${String(i).padStart(3, '0')}`, { ...template, id: `PXSV${String(i).padStart(3, '0')}`, name: `Zz ${String(i).padStart(3, '0')}` });
    const services = await pagerdutyProvider.scopes.list(request);
    expect(services).toHaveLength(32 + 120);
    expect(services.at(-1)?.name).toBe('Zz 119');
    expect(calls('/services')).toHaveLength(2);
  });
});

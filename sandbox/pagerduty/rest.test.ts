import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from './testing.js';

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

interface List { services: Array<{ id: string; name: string }>; limit: number; offset: number; more: boolean; total: number | null }

describe('PagerDuty REST: authentication, headers, scopes', () => {
  it('answers 401 in the documented shape for missing, malformed, unknown and revoked credentials', async () => {
    const t = await sb.token();
    await sb.control('/_sandbox/tokens/revoke', { token: t });
    for (const headers of [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer nope' }, { authorization: `Bearer ${t}` }, { authorization: 'Token token=wrong' }]) {
      const res = await sb.api('/services', { headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { message: 'Authentication failed', code: 2006 } });
    }
  });

  it('can answer 401 with no JSON body (bare401 setting)', async () => {
    await sb.control('/_sandbox/settings', { bare401: true });
    const res = await sb.api('/services');
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('');
  });

  it('accepts account API keys (Token token=) and sends x-request-id on every response', async () => {
    const res = await sb.api('/services', { apiKey: 'globex_sandbox_api_key_0001' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as List).services.map((s) => s.id).sort()).toEqual(['PSVC101', 'PSVC102', 'PSVC103']);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await sb.api('/nope')).headers.get('x-request-id')).toBeTruthy();
    expect((await fetch(`${sb.url}/`)).headers.get('x-request-id')).toBeTruthy();
  });

  it('refuses another API version in Accept', async () => {
    const t = await sb.token();
    const res = await sb.api('/services', { token: t, headers: { accept: 'application/vnd.pagerduty+json;version=1' } });
    expect(res.status).toBe(400);
  });

  it('answers 403 with the observed missing-scope body', async () => {
    const t = await sb.token('acme', { scopes: ['incidents.read'] });
    const res = await sb.api('/services', { token: t });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { message: 'Token missing required scopes', required_scopes: 'services.read' } });
    const write = await sb.api('/incidents', { token: t, method: 'POST', body: { incident: {} } });
    expect(write.status).toBe(403);
  });

  it('treats Classic read/write scopes as covering reads / everything', async () => {
    const read = await sb.token('acme', { scopes: ['read'] });
    expect((await sb.api('/services', { token: read })).status).toBe(200);
    const body = { incident: { type: 'incident', title: 't', service: { id: 'PSVC001', type: 'service_reference' } } };
    expect((await sb.api('/incidents', { token: read, method: 'POST', body })).status).toBe(403);
    expect((await sb.api('/incidents', { token: await sb.token('acme', { scopes: ['write'] }), method: 'POST', body })).status).toBe(201);
  });

  it('serves /users/me for user tokens, with an html_url whose host names the subdomain', async () => {
    const res = await sb.api('/users/me', { token: await sb.token('globex', { user: 'responder@globex.example' }) });
    const { user } = (await res.json()) as { user: { id: string; role: string; html_url: string } };
    expect(user).toMatchObject({ id: 'PUSR103', role: 'limited_user' });
    expect(new URL(user.html_url).hostname).toBe('globex.eu.localhost');
    expect((await sb.api('/users/me', { apiKey: 'acme_sandbox_api_key_0001' })).status).toBe(404);
  });

  it('lists priorities P1–P5 most severe first', async () => {
    const res = await sb.api('/priorities', { token: await sb.token() });
    const body = (await res.json()) as { priorities: Array<{ id: string; name: string }> };
    expect(body.priorities.map((p) => `${p.id}:${p.name}`)).toEqual(['PPRI001:P1', 'PPRI002:P2', 'PPRI003:P3', 'PPRI004:P4', 'PPRI005:P5']);
  });

  it('answers 404 with code 2100 for unknown ids and for other accounts’ records', async () => {
    const t = await sb.token();
    for (const path of ['/services/PNOPE00', '/services/PSVC101', '/incidents/PI99999', '/webhook_subscriptions/PWH9999']) {
      const res = await sb.api(path, { token: t });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ error: { message: 'Not Found', code: 2100 } });
    }
  });
});

describe('PagerDuty REST: pagination', () => {
  it('pages through the 32 acme services 25 at a time, with total only when asked', async () => {
    const t = await sb.token();
    const first = (await (await sb.api('/services', { token: t })).json()) as List;
    expect(first).toMatchObject({ limit: 25, offset: 0, more: true, total: null });
    expect(first.services).toHaveLength(25);
    const second = (await (await sb.api('/services?offset=25&total=true', { token: t })).json()) as List;
    expect(second).toMatchObject({ limit: 25, offset: 25, more: false, total: 32 });
    const ids = [...first.services, ...second.services].map((s) => s.id);
    expect(new Set(ids).size).toBe(32);
    const names = [...first.services, ...second.services].map((s) => s.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });

  it('lowers a limit above 100 to 100', async () => {
    const body = (await (await sb.api('/services?limit=500', { token: await sb.token() })).json()) as List;
    expect(body.limit).toBe(100);
    expect(body.services).toHaveLength(32);
    expect(body.more).toBe(false);
  });

  it('refuses offset+limit beyond 10 000 with 400 code 2002', async () => {
    const t = await sb.token();
    expect((await sb.api('/services?offset=9900&limit=100', { token: t })).status).toBe(200);
    const res = await sb.api('/services?offset=9901&limit=100', { token: t });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: number; message: string; errors: string[] } };
    expect(body.error).toMatchObject({ code: 2002, message: 'Arguments Caused Error' });
    expect(body.error.errors[0]).toContain('Offset+limit exceeds maximum allowed value of 10000');
  });

  it('filters services by query', async () => {
    const body = (await (await sb.api('/services?query=pay', { token: await sb.token() })).json()) as List;
    expect(body.services.map((s) => s.name)).toEqual(['Payments Gateway']);
  });

  it('pages a type-to-filter query (case-insensitive, sorted by name) and reports its total', async () => {
    const t = await sb.token();
    const first = (await (await sb.api('/services?query=GATEWAY&limit=2&total=true', { token: t })).json()) as List;
    expect(first).toMatchObject({ limit: 2, offset: 0, more: true, total: 3 });
    const second = (await (await sb.api('/services?query=GATEWAY&limit=2&offset=2', { token: t })).json()) as List;
    expect(second).toMatchObject({ more: false, total: null });
    expect([...first.services, ...second.services].map((s) => s.name)).toEqual(['GraphQL Gateway', 'Payments Gateway', 'Retired Fax Gateway']);
    const none = (await (await sb.api('/services?query=zzz', { token: t })).json()) as List;
    expect(none).toMatchObject({ services: [], more: false });
  });

  it('pages priorities', async () => {
    const t = await sb.token();
    const first = (await (await sb.api('/priorities?limit=2&total=true', { token: t })).json()) as { priorities: Array<{ name: string }>; more: boolean; total: number };
    expect(first).toMatchObject({ more: true, total: 5 });
    const rest = (await (await sb.api('/priorities?limit=2&offset=4', { token: t })).json()) as { priorities: Array<{ name: string }>; more: boolean };
    expect([...first.priorities, ...rest.priorities].map((p) => p.name)).toEqual(['P1', 'P2', 'P5']);
    expect(rest.more).toBe(false);
  });
});

describe('PagerDuty REST: accounts without priorities (setting `priorities`)', () => {
  const incident = (priority: string) => ({
    incident: { type: 'incident', title: 'No priorities', service: { id: 'PSVC001', type: 'service_reference' }, priority: { id: priority, type: 'priority_reference' } },
  });

  it('answers an empty list when priorities are turned off, and refuses a priority on an incident', async () => {
    await sb.control('/_sandbox/settings', { priorities: 'empty' });
    const t = await sb.token();
    const res = await sb.api('/priorities', { token: t });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ priorities: [], limit: 25, offset: 0, more: false, total: null });
    const create = await sb.api('/incidents', { token: t, method: 'POST', body: incident('PPRI001') });
    expect(create.status).toBe(400);
    expect(((await create.json()) as { error: { code: number } }).error.code).toBe(1020);
  });

  it('answers 402 code 2014 when the plan lacks priorities; reset restores them', async () => {
    await sb.control('/_sandbox/settings', { priorities: 'payment_required' });
    const res = await sb.api('/priorities', { token: await sb.token() });
    expect(res.status).toBe(402);
    expect(((await res.json()) as { error: { code: number; message: string } }).error).toMatchObject({ code: 2014, message: 'Missing Account Ability' });
    await sb.reset();
    expect((await sb.api('/priorities', { token: await sb.token() })).status).toBe(200);
  });

  it('refuses an unknown mode', async () => {
    const res = await fetch(`${sb.url}/_sandbox/settings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ priorities: 'maybe' }) });
    expect(res.status).toBe(400);
    expect((await sb.control<{ priorities: string }>('/_sandbox/settings')).priorities).toBe('enabled');
  });
});

describe('PagerDuty REST: rate limit', () => {
  it('allows 960 calls a minute per token, then 429 code 2020 with ratelimit headers; the window resets on the clock', async () => {
    const t = await sb.token();
    let last: Response | undefined;
    for (let i = 0; i < 960; i += 1) {
      last = await sb.api('/priorities', { token: t });
      expect(last.status).toBe(200);
    }
    expect(last!.headers.get('ratelimit-remaining')).toBe('0');
    const limited = await sb.api('/priorities', { token: t });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ error: { message: 'Rate Limit Exceeded', code: 2020 } });
    expect(limited.headers.get('ratelimit-limit')).toBe('960');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    // Another token (another user) has its own bucket.
    expect((await sb.api('/priorities', { token: await sb.token('acme', { user: 'manager@acme.example' }) })).status).toBe(200);
    await sb.control('/_sandbox/clock', { advanceMs: 60_000 });
    const again = await sb.api('/priorities', { token: t });
    expect(again.status).toBe(200);
    expect(again.headers.get('ratelimit-remaining')).toBe('959');
  }, 60_000);

  it('applies an optional stricter limit to incident writes', async () => {
    await sb.control('/_sandbox/settings', { incidentWriteLimitPerMinute: 2 });
    const t = await sb.token();
    const create = (n: number) => sb.api('/incidents', { token: t, method: 'POST', body: { incident: { type: 'incident', title: `t${n}`, service: { id: 'PSVC001', type: 'service_reference' } } } });
    expect((await create(1)).status).toBe(201);
    expect((await create(2)).status).toBe(201);
    const third = await create(3);
    expect(third.status).toBe(429);
    expect(third.headers.get('ratelimit-limit')).toBe('2');
    expect((await sb.api('/incidents', { token: t })).status).toBe(200);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, startSandbox, type RunningSandbox } from './testing.js';

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

interface Token { value: string; kind: string; user: string; account: string; scopes: string[]; expiresAt: number; revoked: boolean }
const post = (path: string, body: unknown) => fetch(`${sb.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('PagerDuty control API', () => {
  it('POST /_sandbox/tokens issues tokens for the admin by default, with the hub’s scopes', async () => {
    const t = await sb.control<{ access_token: string; refresh_token: string; expires_in: number; scope: string }>('/_sandbox/tokens', { account: 'acme' });
    expect(t.expires_in).toBe(86400);
    expect(t.scope).toBe('openid services.read incidents.read incidents.write webhook_subscriptions.read webhook_subscriptions.write users.read priorities.read');
    const me = (await (await sb.api('/users/me', { token: t.access_token })).json()) as { user: { role: string } };
    expect(me.user.role).toBe('admin');
    const bad = await post('/_sandbox/tokens', { account: 'nope' });
    expect(bad.status).toBe(400);
    expect((await post('/_sandbox/tokens', { account: 'acme', user: 'admin@globex.example' })).status).toBe(400);
    expect((await post('/_sandbox/tokens', { account: 'acme', extra: 1 })).status).toBe(400);
  });

  it('GET /_sandbox/tokens lists every token with value, kind, owner, scopes, expiry and revoked flag, plus the API keys', async () => {
    await sb.token('globex', { user: 'manager@globex.example', scopes: ['services.read'] });
    const { tokens, apiKeys } = await sb.control<{ tokens: Token[]; apiKeys: Array<{ account: string; key: string }> }>('/_sandbox/tokens');
    expect(tokens.map((t) => [t.kind, t.account, t.user, t.scopes, t.revoked])).toEqual([
      ['access', 'globex', 'PUSR102', ['openid', 'services.read'], false],
      ['refresh', 'globex', 'PUSR102', ['openid', 'services.read'], false],
    ]);
    expect(tokens[0]!.expiresAt).toBeGreaterThan(Date.now());
    expect(apiKeys).toContainEqual(expect.objectContaining({ account: 'acme', key: 'acme_sandbox_api_key_0001' }));
  });

  it('POST /_sandbox/tokens/revoke revokes one authorization or all tokens (REST then answers 401)', async () => {
    const a = await sb.control<{ access_token: string; refresh_token: string }>('/_sandbox/tokens', { account: 'acme' });
    const b = await sb.token('globex');
    expect(await sb.control('/_sandbox/tokens/revoke', { token: a.refresh_token })).toEqual({ revoked: 2 });
    expect((await sb.api('/services', { token: a.access_token })).status).toBe(401);
    expect((await sb.api('/services', { token: b })).status).toBe(200);
    expect(await sb.control('/_sandbox/tokens/revoke', { all: true })).toEqual({ revoked: 2 });
    expect((await sb.api('/services', { token: b })).status).toBe(401);
    expect((await post('/_sandbox/tokens/revoke', { token: 'unknown' })).status).toBe(404);
    expect((await post('/_sandbox/tokens/revoke', {})).status).toBe(400);
  });

  it('POST /_sandbox/clock moves time forward and returns now; GET shows it', async () => {
    const before = Date.now();
    const moved = await sb.control<{ now: number; offsetMs: number; iso: string }>('/_sandbox/clock', { advanceMs: 3_600_000 });
    expect(moved.offsetMs).toBe(3_600_000);
    expect(moved.now).toBeGreaterThanOrEqual(before + 3_600_000);
    expect((await sb.control<{ offsetMs: number }>('/_sandbox/clock')).offsetMs).toBe(3_600_000);
    expect((await post('/_sandbox/clock', { advanceMs: -1 })).status).toBe(400);
  });

  it('GET/POST/DELETE /_sandbox/faults', async () => {
    await sb.control('/_sandbox/faults', { api: [{ kind: '500', count: 2 }], deliveries: [{ kind: 'duplicate', count: 1 }] });
    expect(await sb.control('/_sandbox/faults')).toEqual({ api: [{ kind: '500', count: 2 }], deliveries: [{ kind: 'duplicate', count: 1 }] });
    expect(await sb.control('/_sandbox/faults', undefined, 'DELETE')).toEqual({ api: [], deliveries: [] });
  });

  it('GET /_sandbox/requests records API calls unmasked, but not control calls or the page', async () => {
    const t = await sb.token();
    await sb.api('/incidents', { token: t, method: 'POST', body: { incident: { type: 'incident', title: 'x', service: { id: 'PSVC001', type: 'service_reference' } } }, headers: { from: 'admin@acme.example' } });
    await sb.api('/services?limit=2&include[]=teams', { token: t });
    await fetch(`${sb.url}/`);
    const { requests } = await sb.control<{ requests: Array<Record<string, any>> }>('/_sandbox/requests');
    expect(requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['POST /incidents 201', 'GET /services 200']);
    expect(requests[0]!.headers.authorization).toBe(`Bearer ${t}`);
    expect(requests[0]!.headers.from).toBe('admin@acme.example');
    expect(requests[0]!.body).toMatchObject({ incident: { title: 'x' } });
    expect(requests[1]!.query).toEqual({ limit: '2', 'include[]': 'teams' });
    expect(requests[1]!.id).toBeTruthy();
    const filtered = await sb.control<{ requests: unknown[] }>('/_sandbox/requests?method=POST&pathPrefix=/incidents');
    expect(filtered.requests).toHaveLength(1);
  });

  it('GET /_sandbox/deliveries lists attempts and can wait for the dispatcher to go idle', async () => {
    const rx = await startReceiver();
    try {
      const t = await sb.token();
      const res = await sb.api('/webhook_subscriptions', { token: t, method: 'POST', body: { webhook_subscription: { type: 'webhook_subscription', delivery_method: { type: 'http_delivery_method', url: rx.url }, events: ['incident.triggered'], filter: { type: 'account_reference' } } } });
      const sub = ((await res.json()) as { webhook_subscription: { id: string } }).webhook_subscription;
      await sb.api(`/webhook_subscriptions/${sub.id}/ping`, { token: t, method: 'POST' });
      const { deliveries } = await sb.control<{ deliveries: Array<Record<string, any>> }>('/_sandbox/deliveries?waitIdleMs=2000');
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]).toMatchObject({ subscriptionId: sub.id, url: rx.url, eventType: 'pagey.ping', attempt: 1, status: 200, outcome: 'delivered' });
      expect(deliveries[0]!.deliveryId).toBe(deliveries[0]!.requestHeaders['X-Webhook-Id']);
      expect(typeof deliveries[0]!.durationMs).toBe('number');
      expect(JSON.parse(deliveries[0]!.requestBody)).toMatchObject({ event: { event_type: 'pagey.ping' } });
    } finally {
      await rx.close();
    }
  });

  it('GET/POST /_sandbox/clients registers or replaces a client’s redirect URIs', async () => {
    const replaced = await sb.control<{ client: { redirectUris: string[]; clientSecret: string } }>('/_sandbox/clients', { clientId: 'integration-hub-sandbox', redirectUris: ['https://hub.example/oauth/pagerduty/callback'] });
    expect(replaced.client).toMatchObject({ redirectUris: ['https://hub.example/oauth/pagerduty/callback'], clientSecret: 'integration-hub-sandbox-secret' });
    const created = await sb.control<{ client: { clientSecret: string; name: string } }>('/_sandbox/clients', { clientId: 'other-app', name: 'Other', redirectUris: ['http://localhost:1/cb'] });
    expect(created.client.clientSecret).toBeTruthy();
    const { clients } = await sb.control<{ clients: Array<{ clientId: string }> }>('/_sandbox/clients');
    expect(clients.map((c) => c.clientId)).toEqual(['integration-hub-sandbox', 'other-app']);
    expect((await post('/_sandbox/clients', { clientId: 'x', redirectUris: ['not a url'] })).status).toBe(400);
  });

  it('GET/POST /_sandbox/settings changes behaviour and token lifetimes', async () => {
    const s = await sb.control<Record<string, unknown>>('/_sandbox/settings', { accessTokenTtlMs: 1000, noteCreateStatus: 201 });
    expect(s).toMatchObject({ accessTokenTtlMs: 1000, noteCreateStatus: 201, rateLimitPerMinute: 960 });
    expect((await sb.control<{ expires_in: number }>('/_sandbox/tokens', { account: 'acme' })).expires_in).toBe(1);
    expect((await post('/_sandbox/settings', { noteCreateStatus: 204 })).status).toBe(400);
  });

  it('POST /_sandbox/reset returns to the seed: state, tokens, requests, deliveries, faults, clock, settings', async () => {
    const t = await sb.token();
    await sb.api('/incidents', { token: t, method: 'POST', body: { incident: { type: 'incident', title: 'x', service: { id: 'PSVC001', type: 'service_reference' } } } });
    await sb.control('/_sandbox/faults', { api: [{ kind: '500', count: 5 }] });
    await sb.control('/_sandbox/clock', { advanceMs: 1000 });
    await sb.control('/_sandbox/settings', { bare401: true });
    expect(await sb.control('/_sandbox/reset', {})).toEqual({ ok: true });
    expect(sb.state.incidents.size).toBe(0);
    expect(await sb.control('/_sandbox/tokens')).toMatchObject({ tokens: [] });
    expect(await sb.control('/_sandbox/requests')).toEqual({ requests: [] });
    expect(await sb.control('/_sandbox/deliveries')).toEqual({ deliveries: [] });
    expect(await sb.control('/_sandbox/faults')).toEqual({ api: [], deliveries: [] });
    expect((await sb.control<{ offsetMs: number }>('/_sandbox/clock')).offsetMs).toBe(0);
    expect((await sb.control<{ bare401: boolean }>('/_sandbox/settings')).bare401).toBe(false);
    expect((await fetch(`${sb.url}/_sandbox/reset`, { method: 'POST', headers: { 'content-type': 'application/json' } })).status).toBe(200);
    expect((await fetch(`${sb.url}/_sandbox/nope`)).status).toBe(404);
  });

  it('acknowledgement timeout refuses incidents that are not acknowledged', async () => {
    const t = await sb.token();
    const res = await sb.api('/incidents', { token: t, method: 'POST', body: { incident: { type: 'incident', title: 'x', service: { id: 'PSVC001', type: 'service_reference' } } } });
    const { incident } = (await res.json()) as { incident: { id: string } };
    expect((await post(`/_sandbox/incidents/${incident.id}/ack-timeout`, {})).status).toBe(409);
  });
});

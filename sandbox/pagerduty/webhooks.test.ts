import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, startReceiver, startSandbox, type Receiver, type RunningSandbox } from './testing.js';

let sb: RunningSandbox;
let rx: Receiver;
let token: string;
beforeAll(async () => {
  sb = await startSandbox({ retryScheduleMs: [30, 30, 30], deliveryTimeoutMs: 300 });
});
afterAll(() => sb.close());
beforeEach(async () => {
  await sb.reset();
  rx = await startReceiver();
  token = await sb.token('acme', { user: 'manager@acme.example' });
});
afterEach(() => rx.close());

const INCIDENT_EVENTS = ['incident.triggered', 'incident.acknowledged', 'incident.unacknowledged', 'incident.resolved', 'incident.reopened', 'incident.annotated', 'incident.priority_updated'];

interface Sub { id: string; active: boolean; delivery_method: { secret: string | null; temporarily_disabled: boolean; custom_headers: Array<{ name: string; value: string }> } }

async function subscribe(extra: Record<string, unknown> = {}, t = token) {
  const res = await sb.api('/webhook_subscriptions', {
    token: t,
    method: 'POST',
    body: { webhook_subscription: { type: 'webhook_subscription', delivery_method: { type: 'http_delivery_method', url: rx.url, custom_headers: [{ name: 'X-Tenant', value: 't_123' }] }, events: INCIDENT_EVENTS, filter: { type: 'service_reference', id: 'PSVC001' }, ...extra } },
  });
  return { res, json: (await res.json()) as { webhook_subscription: Sub; error?: { errors: string[] } } };
}

async function trigger(service = 'PSVC001') {
  const res = await sb.api('/incidents', { token, method: 'POST', body: { incident: { type: 'incident', title: 'Down', service: { id: service, type: 'service_reference' } } } });
  return ((await res.json()) as { incident: { id: string } }).incident.id;
}

const hmac = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');
const event = (i: number) => (JSON.parse(rx.received[i]!.body) as { event: Record<string, any> }).event;

describe('PagerDuty webhook subscriptions', () => {
  it('returns the secret only at creation and redacts custom header values afterwards', async () => {
    const { res, json } = await subscribe();
    expect(res.status).toBe(200);
    const sub = json.webhook_subscription;
    expect(sub.id).toMatch(/^P[A-Z0-9]{6}$/);
    expect(sub.delivery_method.secret).toMatch(/.{20,}/);
    const got = (await (await sb.api(`/webhook_subscriptions/${sub.id}`, { token })).json()) as { webhook_subscription: Sub };
    expect(got.webhook_subscription.delivery_method.secret).toBeNull();
    expect(got.webhook_subscription.delivery_method.custom_headers).toEqual([{ name: 'X-Tenant', value: '-- redacted --' }]);
    const list = (await (await sb.api('/webhook_subscriptions?filter_type=service&filter_id=PSVC001', { token })).json()) as { webhook_subscriptions: Sub[] };
    expect(list.webhook_subscriptions.map((s) => [s.id, s.delivery_method.secret])).toEqual([[sub.id, null]]);
  });

  it('allows at most 10 subscriptions per service', async () => {
    for (let i = 0; i < 10; i += 1) expect((await subscribe()).res.status).toBe(200);
    const eleventh = await subscribe();
    expect(eleventh.res.status).toBe(400);
    expect(eleventh.json.error!.errors[0]).toContain('at most 10');
    expect((await subscribe({ filter: { type: 'service_reference', id: 'PSVC002' } })).res.status).toBe(200);
  });

  it('refuses a Responder (403 Access Denied) and a token without the scope', async () => {
    const responder = await subscribe({}, await sb.token('acme', { user: 'responder@acme.example' }));
    expect(responder.res.status).toBe(403);
    expect(responder.json).toMatchObject({ error: { message: 'Access Denied', code: 2010 } });
    const noScope = await subscribe({}, await sb.token('acme', { scopes: ['webhook_subscriptions.read'] }));
    expect(noScope.res.status).toBe(403);
    expect(noScope.json).toMatchObject({ error: { required_scopes: 'webhook_subscriptions.write' } });
  });

  it('validates events, filter and delivery method, and refuses URL changes on PUT', async () => {
    expect((await subscribe({ events: [] })).res.status).toBe(400);
    expect((await subscribe({ events: ['incident.triggered', 'incident.triggered'] })).res.status).toBe(400);
    expect((await subscribe({ events: ['incident.exploded'] })).res.status).toBe(400);
    expect((await subscribe({ filter: { type: 'service_reference' } })).res.status).toBe(400);
    expect((await subscribe({ filter: { type: 'service_reference', id: 'PSVC101' } })).res.status).toBe(400);
    expect((await subscribe({ filter: { type: 'account_reference' } })).res.status).toBe(200);
    const id = (await subscribe()).json.webhook_subscription.id;
    const put = (body: Record<string, unknown>) => sb.api(`/webhook_subscriptions/${id}`, { token, method: 'PUT', body: { webhook_subscription: body } });
    expect((await put({ delivery_method: { url: 'http://elsewhere.example/' } })).status).toBe(400);
    const updated = await put({ description: 'changed', events: ['incident.resolved'] });
    expect(await updated.json()).toMatchObject({ webhook_subscription: { description: 'changed', events: ['incident.resolved'] } });
    expect((await sb.api(`/webhook_subscriptions/${id}`, { token, method: 'DELETE' })).status).toBe(204);
    expect((await sb.api(`/webhook_subscriptions/${id}`, { token })).status).toBe(404);
  });

  it('pings: 202 and one pagey.ping delivery', async () => {
    const sub = (await subscribe()).json.webhook_subscription;
    const res = await sb.api(`/webhook_subscriptions/${sub.id}/ping`, { token, method: 'POST' });
    expect(res.status).toBe(202);
    await eventually(() => rx.received.length === 1);
    expect(event(0)).toMatchObject({ event_type: 'pagey.ping', resource_type: 'pagey', agent: null, client: null, data: { message: 'Hello from your friend Pagey!', type: 'ping' } });
  });
});

describe('PagerDuty webhook deliveries', () => {
  it('delivers incident.triggered with the v3 headers and a signature that verifies', async () => {
    const sub = (await subscribe()).json.webhook_subscription;
    const id = await trigger();
    await eventually(() => rx.received.length === 1);
    const { headers, body } = rx.received[0]!;
    expect(headers['content-type']).toBe('application/json');
    expect(headers['user-agent']).toBe('PagerDuty-Webhook/V3.0');
    expect(headers['x-webhook-subscription']).toBe(sub.id);
    expect(headers['x-webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers['x-tenant']).toBe('t_123');
    expect(headers['x-pagerduty-signature']).toBe(`v1=${hmac(sub.delivery_method.secret!, body)}`);
    const e = event(0);
    expect(e).toMatchObject({ event_type: 'incident.triggered', resource_type: 'incident', client: { name: 'Integration Hub (sandbox)' } });
    expect(e.agent).toMatchObject({ id: 'PUSR002', type: 'user_reference', summary: 'Max Manager' });
    expect(e.occurred_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(e.data).toMatchObject({ id, type: 'incident', number: 1, status: 'triggered', service: { id: 'PSVC001' }, assignees: [{ id: 'PUSR001' }] });
    expect(e.data.incident_number).toBeUndefined();
  });

  it('echoes REST changes: acknowledged, resolved, reopened and annotated (an incident_note)', async () => {
    await subscribe();
    const id = await trigger();
    const put = (status: string) => sb.api(`/incidents/${id}`, { token, method: 'PUT', body: { incident: { type: 'incident_reference', status } } });
    await put('acknowledged');
    await put('resolved');
    await put('triggered');
    await sb.api(`/incidents/${id}/notes`, { token, method: 'POST', body: { note: { content: 'hello' } } });
    await eventually(() => rx.received.length === 5);
    expect(rx.received.map((_, i) => event(i).event_type)).toEqual(['incident.triggered', 'incident.acknowledged', 'incident.resolved', 'incident.reopened', 'incident.annotated']);
    expect(event(3).data.reopened_at).toBeTruthy();
    expect(event(4).data).toMatchObject({ type: 'incident_note', content: 'hello', trimmed: false, incident: { id, type: 'incident_reference' } });
  });

  it('delivers only to subscriptions whose filter and events match', async () => {
    await subscribe({ events: ['incident.resolved'] });
    await subscribe({ filter: { type: 'service_reference', id: 'PSVC002' } });
    await subscribe({ filter: { type: 'team_reference', id: 'PTEAM01' } });
    const other = await sb.token('globex');
    await sb.api('/webhook_subscriptions', { token: other, method: 'POST', body: { webhook_subscription: { type: 'webhook_subscription', delivery_method: { type: 'http_delivery_method', url: rx.url }, events: INCIDENT_EVENTS, filter: { type: 'account_reference' } } } });
    await trigger('PSVC001');
    await trigger('PSVC004'); // team PTEAM01
    await sb.dispatcher.idle();
    expect(rx.received.map((r) => event(rx.received.indexOf(r)).data.service.id)).toEqual(['PSVC004']);
  });

  it('skips incident events for a subscription created without incidents.read', async () => {
    await subscribe({}, await sb.token('acme', { scopes: ['webhook_subscriptions.write'] }));
    await trigger();
    await sb.dispatcher.idle();
    expect(rx.received).toHaveLength(0);
  });

  it('retries 5xx and timeouts with the same X-Webhook-Id, and records every attempt', async () => {
    const sub = (await subscribe()).json.webhook_subscription;
    rx.respond = (_r, i) => (i === 0 ? { status: 503 } : i === 1 ? { status: 200, delayMs: 600 } : { status: 202 });
    await trigger();
    await eventually(() => rx.received.length === 3);
    await sb.dispatcher.idle();
    expect(new Set(rx.received.map((r) => r.headers['x-webhook-id'])).size).toBe(1);
    const log = await sb.control<{ deliveries: Array<Record<string, unknown>> }>(`/_sandbox/deliveries?subscriptionId=${sub.id}`);
    expect(log.deliveries.map((d) => [d.attempt, d.outcome, d.status ?? d.error])).toEqual([
      [1, 'failed', 503],
      [2, 'failed', 'timeout after 300 ms'],
      [3, 'delivered', 202],
    ]);
    expect(log.deliveries[0]).toMatchObject({ eventType: 'incident.triggered', url: rx.url, requestHeaders: { 'User-Agent': 'PagerDuty-Webhook/V3.0' } });
  });

  it('drops other 4xx at once and disables the subscription after 3 drops in a row; enable re-enables it', async () => {
    const sub = (await subscribe()).json.webhook_subscription;
    rx.respond = () => ({ status: 410 });
    for (let i = 0; i < 3; i += 1) await trigger();
    await sb.dispatcher.idle();
    expect(rx.received).toHaveLength(3);
    const got = (await (await sb.api(`/webhook_subscriptions/${sub.id}`, { token })).json()) as { webhook_subscription: Sub };
    expect(got.webhook_subscription.delivery_method.temporarily_disabled).toBe(true);
    await trigger();
    await sb.dispatcher.idle();
    expect(rx.received).toHaveLength(3);
    rx.respond = () => ({ status: 200 });
    const enabled = await sb.api(`/webhook_subscriptions/${sub.id}/enable`, { token, method: 'POST' });
    expect(enabled.status).toBe(200);
    expect(((await enabled.json()) as { webhook_subscription: Sub }).webhook_subscription.delivery_method.temporarily_disabled).toBe(false);
    await trigger();
    await eventually(() => rx.received.length === 4);
  });

  it('re-enables a disabled subscription by itself after 24 h of sandbox time', async () => {
    const sub = (await subscribe()).json.webhook_subscription;
    rx.respond = () => ({ status: 500 });
    for (let i = 0; i < 3; i += 1) await trigger();
    await sb.dispatcher.idle();
    expect(rx.received).toHaveLength(12); // 3 webhooks × (1 try + 3 retries)
    expect(sb.state.subscriptions.get(sub.id)!.temporarilyDisabled).toBe(true);
    await sb.control('/_sandbox/clock', { advanceMs: 24 * 3600 * 1000 });
    const got = (await (await sb.api(`/webhook_subscriptions/${sub.id}`, { token: await sb.token('acme', { user: 'manager@acme.example' }) })).json()) as { webhook_subscription: Sub };
    expect(got.webhook_subscription.delivery_method.temporarily_disabled).toBe(false);
  });

  it('keeps order per subscription and incident: a later webhook waits while an earlier one is retried', async () => {
    await subscribe();
    rx.respond = (_r, i) => ({ status: i === 0 ? 500 : 200 });
    const id = await trigger();
    await sb.api(`/incidents/${id}`, { token, method: 'PUT', body: { incident: { type: 'incident_reference', status: 'acknowledged' } } });
    await eventually(() => rx.received.length === 3);
    expect(rx.received.map((_, i) => event(i).event_type)).toEqual(['incident.triggered', 'incident.triggered', 'incident.acknowledged']);
  });

  it('signs with both secrets while a rotation is open', async () => {
    const sub = (await subscribe()).json.webhook_subscription;
    const rotated = await sb.control<{ secret: string; previousSecret: string }>(`/_sandbox/webhook_subscriptions/${sub.id}/rotate-secret`, {});
    expect(rotated.previousSecret).toBe(sub.delivery_method.secret);
    await trigger();
    await eventually(() => rx.received.length === 1);
    const { headers, body } = rx.received[0]!;
    expect(headers['x-pagerduty-signature']).toBe(`v1=${hmac(rotated.secret, body)},v1=${hmac(sub.delivery_method.secret!, body)}`);
    await sb.control(`/_sandbox/webhook_subscriptions/${sub.id}/rotate-secret`, { finish: true });
    await trigger();
    await eventually(() => rx.received.length === 2);
    expect(rx.received[1]!.headers['x-pagerduty-signature']).toBe(`v1=${hmac(rotated.secret, rx.received[1]!.body)}`);
  });

  it('sends incident.unacknowledged with a null agent when an acknowledgement times out', async () => {
    await subscribe();
    const id = await trigger();
    await sb.api(`/incidents/${id}`, { token, method: 'PUT', body: { incident: { type: 'incident_reference', status: 'acknowledged' } } });
    await sb.control(`/_sandbox/incidents/${id}/ack-timeout`, {});
    await eventually(() => rx.received.length === 3);
    expect(event(2)).toMatchObject({ event_type: 'incident.unacknowledged', agent: null, data: { status: 'triggered' } });
  });
});

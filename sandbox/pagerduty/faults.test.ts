import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, startReceiver, startSandbox, type Receiver, type RunningSandbox } from './testing.js';

let sb: RunningSandbox;
let rx: Receiver;
let token: string;
let secret: string;
beforeAll(async () => {
  sb = await startSandbox({ retryScheduleMs: [30, 30], deliveryTimeoutMs: 300 });
});
afterAll(() => sb.close());
beforeEach(async () => {
  await sb.reset();
  rx = await startReceiver();
  token = await sb.token();
  const res = await sb.api('/webhook_subscriptions', {
    token,
    method: 'POST',
    body: { webhook_subscription: { type: 'webhook_subscription', delivery_method: { type: 'http_delivery_method', url: rx.url }, events: ['incident.triggered', 'incident.acknowledged'], filter: { type: 'account_reference' } } },
  });
  secret = ((await res.json()) as { webhook_subscription: { delivery_method: { secret: string } } }).webhook_subscription.delivery_method.secret;
});
afterEach(() => rx.close());

const faults = (body: unknown) => sb.control('/_sandbox/faults', body);
async function trigger(title: string) {
  const res = await sb.api('/incidents', { token, method: 'POST', body: { incident: { type: 'incident', title, service: { id: 'PSVC001', type: 'service_reference' } } } });
  return ((await res.json()) as { incident: { id: string } }).incident.id;
}
const titles = () => rx.received.map((r) => (JSON.parse(r.body) as { event: { data: { title: string } } }).event.data.title);

describe('API faults', () => {
  it('answers the next N matching calls with 429 in PagerDuty’s shape, then recovers', async () => {
    await faults({ api: [{ kind: '429', count: 2, method: 'GET', pathPrefix: '/services', retryAfterSeconds: 7 }] });
    expect((await sb.api('/priorities', { token })).status).toBe(200);
    const first = await sb.api('/services', { token });
    expect(first.status).toBe(429);
    expect(first.headers.get('ratelimit-reset')).toBe('7');
    expect(await first.json()).toEqual({ error: { message: 'Rate Limit Exceeded', code: 2020 } });
    expect((await sb.api('/services/PSVC001', { token })).status).toBe(429);
    expect((await sb.api('/services', { token })).status).toBe(200);
  });

  it('can send a bare 429 (no headers, no body)', async () => {
    await sb.control('/_sandbox/settings', { bareFault429: true });
    await faults({ api: [{ kind: '429', count: 1 }] });
    const res = await sb.api('/services', { token });
    expect(res.status).toBe(429);
    expect(res.headers.get('ratelimit-limit')).toBeNull();
    expect(await res.text()).toBe('');
  });

  it('answers 500, also on the token endpoint', async () => {
    await faults({ api: [{ kind: '500', count: 1, pathPrefix: '/oauth/token' }, { kind: '500', count: 1, method: 'POST' }] });
    const tokenRes = await fetch(`${sb.url}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token' }) });
    expect(tokenRes.status).toBe(500);
    expect((await sb.api('/services', { token })).status).toBe(200);
    const post = await sb.api('/incidents', { token, method: 'POST', body: {} });
    expect(post.status).toBe(500);
    expect(((await post.json()) as { error: { message: string } }).error.message).toBe('Internal Server Error');
  });

  it('times out: the call gets no answer', async () => {
    await faults({ api: [{ kind: 'timeout', count: 1 }] });
    await expect(fetch(`${sb.url}/services`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect((await sb.api('/services', { token })).status).toBe(200);
  });

  it('never applies to the control API or the pages', async () => {
    await faults({ api: [{ kind: '500', count: 1 }] });
    expect((await fetch(`${sb.url}/`)).status).toBe(200);
    expect((await fetch(`${sb.url}/_sandbox/faults`)).status).toBe(200);
    expect(await sb.control('/_sandbox/faults')).toMatchObject({ api: [{ kind: '500', count: 1 }] });
  });
});

describe('delivery faults', () => {
  it('duplicate: the same webhook (same X-Webhook-Id) arrives twice', async () => {
    await faults({ deliveries: [{ kind: 'duplicate', count: 1 }] });
    await trigger('a');
    await eventually(() => rx.received.length === 2);
    expect(rx.received[0]!.headers['x-webhook-id']).toBe(rx.received[1]!.headers['x-webhook-id']);
    expect(rx.received[0]!.body).toBe(rx.received[1]!.body);
  });

  it('reorder: a webhook goes out after the next one', async () => {
    await faults({ deliveries: [{ kind: 'reorder', count: 1 }] });
    await trigger('first');
    await trigger('second');
    await eventually(() => rx.received.length === 2);
    expect(titles()).toEqual(['second', 'first']);
  });

  it('delay: a webhook is held back for delayMs', async () => {
    await faults({ deliveries: [{ kind: 'delay', count: 1, delayMs: 300 }] });
    const started = Date.now();
    await trigger('late');
    await trigger('on time');
    await eventually(() => rx.received.length === 2);
    expect(titles()).toEqual(['on time', 'late']);
    expect(rx.received[1]!.at - started).toBeGreaterThanOrEqual(280);
  });

  it('bad_signature: the signature does not verify', async () => {
    await faults({ deliveries: [{ kind: 'bad_signature', count: 1 }] });
    await trigger('forged');
    await trigger('genuine');
    await eventually(() => rx.received.length === 2);
    const verifies = (i: number) => rx.received[i]!.headers['x-pagerduty-signature'] === `v1=${createHmac('sha256', secret).update(rx.received[i]!.body).digest('hex')}`;
    expect([verifies(0), verifies(1)]).toEqual([false, true]);
    expect(rx.received[0]!.headers['x-pagerduty-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
  });

  it('rejects malformed fault bodies in the hub’s error shape', async () => {
    const res = await fetch(`${sb.url}/_sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ api: [{ kind: '418', count: 1 }] }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_body', details: [{ path: 'api.0.kind' }] } });
  });
});

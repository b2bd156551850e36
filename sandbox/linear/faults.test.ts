import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPS } from './operations.js';
import { eventually, startLinearSandbox, startReceiver, type Receiver, type RunningLinearSandbox } from './testing.js';

describe('Linear stand-in: fault injection', () => {
  let sb: RunningLinearSandbox;
  let receiver: Receiver;
  let token: string;
  beforeAll(async () => {
    sb = await startLinearSandbox();
  });
  afterAll(async () => sb?.close());
  beforeEach(async () => {
    await sb.reset();
    receiver = await startReceiver();
    token = await sb.token();
  });
  afterEach(async () => receiver.close());

  const hook = () => sb.graphql(OPS.Hook, { url: receiver.url, teamId: 'ENG', resourceTypes: ['Comment'], secret: 'fault-secret' }, token);
  const comment = (body: string) => sb.graphql(OPS.Comment, { issueId: 'ENG-1', body }, token);

  it('answers a queued 429 on /graphql as Linear’s RATELIMITED (HTTP 400, Retry-After), then recovers', async () => {
    await sb.control('/_sandbox/faults', { api: [{ kind: '429', count: 1, pathPrefix: '/graphql', retryAfterSeconds: 7 }] });
    const limited = await sb.graphql(OPS.Viewer, {}, token);
    expect(limited.status).toBe(400);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATELIMITED', statusCode: 429 });
    expect((await sb.graphql(OPS.Viewer, {}, token)).status).toBe(200);
  });

  it('answers a queued 500 with an internal error, and a 429 on /oauth/token as HTTP 429', async () => {
    await sb.control('/_sandbox/faults', { api: [{ kind: '500', count: 1, pathPrefix: '/graphql' }, { kind: '429', count: 1, pathPrefix: '/oauth/token' }] });
    const failed = await sb.graphql(OPS.Viewer, {}, token);
    expect(failed.status).toBe(500);
    expect(failed.body.errors?.[0]?.extensions).toMatchObject({ type: 'internal error' });
    const oauth = await fetch(`${sb.url}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token' }) });
    expect(oauth.status).toBe(429);
  });

  it('hangs on a queued timeout until the client gives up', async () => {
    await sb.control('/_sandbox/faults', { api: [{ kind: 'timeout', count: 1, pathPrefix: '/graphql' }] });
    const attempt = fetch(`${sb.url}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: OPS.Viewer }),
      signal: AbortSignal.timeout(200),
    });
    await expect(attempt).rejects.toThrow();
    expect((await sb.graphql(OPS.Viewer, {}, token)).status).toBe(200);
  });

  it('duplicates a delivery (same Linear-Delivery twice)', async () => {
    await hook();
    await sb.control('/_sandbox/faults', { deliveries: [{ kind: 'duplicate', count: 1 }] });
    await comment('twice');
    await sb.dispatcher.idle();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]!.headers['linear-delivery']).toBe(receiver.received[1]!.headers['linear-delivery']);
    expect(receiver.received[0]!.body).toBe(receiver.received[1]!.body);
  });

  it('reorders deliveries: the held one goes out only with the next', async () => {
    await hook();
    await sb.control('/_sandbox/faults', { deliveries: [{ kind: 'reorder', count: 1, delayMs: 5000 }] });
    await comment('first');
    await new Promise((r) => setTimeout(r, 150));
    expect(receiver.received).toHaveLength(0);
    await comment('second');
    await eventually(() => receiver.received.length === 2);
    // The dispatcher records an attempt once its response is in: wait for both.
    await eventually(() => sb.dispatcher.attempts().length === 2);
    const attempts = sb.dispatcher.attempts().map((a) => (JSON.parse(a.requestBody) as { data: { body: string } }).data.body);
    expect(attempts.sort()).toEqual(['first', 'second']);
  });

  it('sends a wrong signature when asked', async () => {
    await hook();
    await sb.control('/_sandbox/faults', { deliveries: [{ kind: 'bad_signature', count: 1 }] });
    await comment('tampered');
    const [got] = await eventually(() => receiver.received.length === 1 && receiver.received);
    expect(got!.headers['linear-signature']).toMatch(/^[0-9a-f]{64}$/);
    expect(got!.headers['linear-signature']).not.toBe(createHmac('sha256', 'fault-secret').update(got!.body).digest('hex'));
  });

  it('sends a stale webhookTimestamp when asked', async () => {
    await hook();
    await sb.control('/_sandbox/webhooks/stale-timestamps', { count: 1, ageMs: 120_000 });
    await comment('old news');
    await comment('fresh');
    await eventually(() => receiver.received.length === 2);
    const stamp = (text: string) => receiver.received.map((r) => JSON.parse(r.body) as { webhookTimestamp: number; data: { body: string } }).find((b) => b.data.body === text)!.webhookTimestamp;
    const [stale, fresh] = [stamp('old news'), stamp('fresh')];
    expect(Date.now() - stale).toBeGreaterThan(110_000);
    expect(Math.abs(Date.now() - fresh)).toBeLessThan(5000);
  });
});

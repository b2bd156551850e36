import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startReceiver, startSandbox, type Receiver, type RunningSandbox } from '../../sandbox/pagerduty/testing.js';
import { referenceAvailable } from '../helpers/reference.js';
import { validatePagerDutyResponse } from './pagerduty-openapi.js';

/**
 * The PagerDuty stand-in against things this project did not write: every response of this
 * suite is validated against the official OpenAPI description (test/conformance/pagerduty-openapi.ts),
 * and deliveries are checked with a verifier written from PagerDuty's documented signature
 * algorithm (DD-WHSIG), sharing no code with the sandbox's signer.
 */

/** From the docs: header `v1=<hex HMAC-SHA256(secret, raw body)>`, comma-separated during rotation; any v1 match passes. */
function verifyPagerDutySignature(rawBody: Buffer, header: string | undefined, secret: string): boolean {
  if (!header) return false;
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .some((part) => {
      const given = Buffer.from(part.slice(3), 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

const seen: Array<{ method: string; template: string; status: number; basis: string }> = [];

describe.skipIf(!referenceAvailable())('PagerDuty stand-in vs the official OpenAPI description', () => {
  let sb: RunningSandbox;
  let rx: Receiver;
  let token: string;

  async function pd(method: string, template: string, opts: { params?: Record<string, string>; query?: string; token?: string; apiKey?: string; body?: unknown; headers?: Record<string, string> } = {}) {
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => opts.params?.[name] ?? '') + (opts.query ?? '');
    const auth = opts.apiKey ? { apiKey: opts.apiKey } : { token: opts.token ?? token };
    const res = await sb.api(path, { method, ...auth, ...(opts.body !== undefined ? { body: opts.body } : {}), ...(opts.headers ? { headers: opts.headers } : {}) });
    const text = await res.text();
    const body: unknown = text === '' ? undefined : JSON.parse(text);
    const result = validatePagerDutyResponse(method, template, res.status, body);
    seen.push({ method, template, status: res.status, basis: result.basis });
    expect(result.errors, `${method} ${path} → ${res.status}: ${text.slice(0, 300)}`).toEqual([]);
    expect(result.ok).toBe(true);
    return { status: res.status, body: body as Record<string, any> };
  }

  beforeAll(async () => {
    sb = await startSandbox({ retryScheduleMs: [20] });
    rx = await startReceiver();
    token = await sb.token('acme', { user: 'manager@acme.example' });
  });
  afterAll(async () => {
    await rx?.close();
    await sb?.close();
    const table = [...new Set(seen.map((s) => `${s.method.padEnd(6)} ${s.template.padEnd(40)} ${s.status} (${s.basis})`))].sort();
    process.stdout.write(`\nPagerDuty responses validated against the OAS (${seen.length} responses):\n  ${table.join('\n  ')}\n`);
  });

  it('services, users, priorities and escalation policies', async () => {
    expect((await pd('GET', '/services')).body.more).toBe(true);
    await pd('GET', '/services', { query: '?offset=25&total=true' });
    await pd('GET', '/services', { query: '?limit=500' });
    expect((await pd('GET', '/services', { query: '?offset=9950&limit=100' })).status).toBe(400);
    expect((await pd('GET', '/services', { token: 'nope' })).status).toBe(401);
    expect((await pd('GET', '/services', { token: await sb.token('acme', { scopes: ['users.read'] }) })).status).toBe(403);
    await pd('GET', '/services/{id}', { params: { id: 'PSVC003' } });
    expect((await pd('GET', '/services/{id}', { params: { id: 'PNOPE00' } })).status).toBe(404);
    await pd('GET', '/users/me');
    await pd('GET', '/users/me', { token: await sb.token('globex') });
    expect((await pd('GET', '/users/me', { apiKey: 'acme_sandbox_api_key_0001' })).status).toBe(404);
    await pd('GET', '/users');
    await pd('GET', '/users/{id}', { params: { id: 'PUSR003' } });
    await pd('GET', '/priorities');
    await pd('GET', '/priorities', { query: '?limit=2&offset=2&total=true' });
    expect((await pd('GET', '/services', { query: '?query=gateway&limit=2&total=true' })).body.total).toBe(3);
    // An account without priorities: turned off (empty list) or not in its plan (402, code 2014).
    await sb.control('/_sandbox/settings', { priorities: 'empty' });
    expect((await pd('GET', '/priorities')).body.priorities).toEqual([]);
    await sb.control('/_sandbox/settings', { priorities: 'payment_required' });
    expect((await pd('GET', '/priorities')).status).toBe(402);
    await sb.control('/_sandbox/settings', { priorities: 'enabled' });
    await pd('GET', '/escalation_policies', { token: await sb.token('acme', { scopes: ['escalation_policies.read'] }) });
  });

  it('incidents, status changes and notes', async () => {
    const create = (incident: Record<string, unknown>) =>
      pd('POST', '/incidents', { body: { incident: { type: 'incident', title: 'Checkout down', service: { id: 'PSVC001', type: 'service_reference' }, ...incident } } });
    const first = await create({ incident_key: 'ENG-1', priority: { id: 'PPRI001', type: 'priority_reference' }, body: { type: 'incident_body', details: 'details' } });
    expect(first.status).toBe(201);
    const id = first.body.incident.id as string;
    expect((await create({ incident_key: 'ENG-1' })).status).toBe(400);
    expect((await create({ title: '' })).status).toBe(400);
    await create({ assignments: [{ assignee: { id: 'PUSR002', type: 'user_reference' } }] });
    await pd('GET', '/incidents');
    await pd('GET', '/incidents', { query: '?statuses[]=acknowledged&total=true' });
    await pd('GET', '/incidents/{id}', { params: { id } });
    expect((await pd('GET', '/incidents/{id}', { params: { id: 'PI99999' } })).status).toBe(404);
    const put = (status: string) => pd('PUT', '/incidents/{id}', { params: { id }, body: { incident: { type: 'incident_reference', status } } });
    expect((await put('acknowledged')).body.incident.status).toBe('acknowledged');
    expect((await put('acknowledged')).status).toBe(400);
    await put('resolved');
    await put('triggered');
    await pd('PUT', '/incidents/{id}', { params: { id }, body: { incident: { type: 'incident_reference', priority: 'P2', urgency: 'low' } } });
    await pd('PUT', '/incidents', { body: { incidents: [{ id, type: 'incident_reference', status: 'resolved' }] } });
    expect((await pd('PUT', '/incidents/{id}', { params: { id: 'PI99999' }, body: { incident: { type: 'incident_reference', status: 'resolved' } } })).status).toBe(404);
    await pd('POST', '/incidents/{id}/notes', { params: { id }, body: { note: { content: 'Firefighters are on the scene.' } } });
    await pd('POST', '/incidents/{id}/notes', { params: { id }, apiKey: 'acme_sandbox_api_key_0001', headers: { from: 'admin@acme.example' }, body: { note: { content: 'from the API key' } } });
    expect((await pd('POST', '/incidents/{id}/notes', { params: { id }, body: { content: 'unwrapped' } })).status).toBe(400);
    await pd('GET', '/incidents/{id}/notes', { params: { id } });
    await sb.control('/_sandbox/faults', { api: [{ kind: '429', count: 1 }] });
    expect((await create({})).status).toBe(429);
    expect((await pd('POST', '/incidents', { apiKey: 'acme_sandbox_api_key_0001', body: { incident: {} } })).status).toBe(400);
  });

  it('merging incidents and moving one to another service (issue 11)', async () => {
    const create = async (service: string) =>
      (await pd('POST', '/incidents', { body: { incident: { type: 'incident', title: 'Merge me', service: { id: service, type: 'service_reference' } } } })).body.incident.id as string;
    const target = await create('PSVC001');
    const source = await create('PSVC002');
    const merged = await pd('PUT', '/incidents/{id}/merge', { params: { id: target }, body: { source_incidents: [{ id: source, type: 'incident_reference' }] } });
    expect(merged.body.incident.id).toBe(target);
    expect((await pd('GET', '/incidents/{id}', { params: { id: source } })).body.incident.resolve_reason).toMatchObject({ type: 'merge_resolve_reason', incident: { id: target } });
    expect((await pd('PUT', '/incidents/{id}/merge', { params: { id: source }, body: { source_incidents: [{ id: target, type: 'incident_reference' }] } })).status).toBe(400);
    const moved = await pd('PUT', '/incidents/{id}', { params: { id: target }, body: { incident: { type: 'incident_reference', service: { id: 'PSVC003', type: 'service_reference' } } } });
    expect(moved.body.incident.service.id).toBe('PSVC003');
    await pd('GET', '/incidents', { query: '?incident_key=nothing-has-this-key' });
  });

  it('webhook subscriptions, and deliveries that verify with the documented algorithm', async () => {
    const created = await pd('POST', '/webhook_subscriptions', {
      body: {
        webhook_subscription: {
          type: 'webhook_subscription',
          delivery_method: { type: 'http_delivery_method', url: rx.url, custom_headers: [{ name: 'X-Tenant', value: 't1' }] },
          description: 'conformance',
          events: ['incident.triggered', 'incident.acknowledged', 'incident.annotated'],
          filter: { type: 'service_reference', id: 'PSVC002' },
        },
      },
    });
    const sub = created.body.webhook_subscription;
    const secret = sub.delivery_method.secret as string;
    expect(secret).toBeTruthy();
    expect((await pd('POST', '/webhook_subscriptions', { token: await sb.token('acme', { user: 'responder@acme.example' }), body: { webhook_subscription: {} } })).status).toBe(403);
    expect((await pd('POST', '/webhook_subscriptions', { body: { webhook_subscription: { type: 'webhook_subscription' } } })).status).toBe(400);
    await pd('GET', '/webhook_subscriptions');
    expect((await pd('GET', '/webhook_subscriptions/{id}', { params: { id: sub.id } })).body.webhook_subscription.delivery_method.secret).toBeNull();
    expect((await pd('GET', '/webhook_subscriptions/{id}', { params: { id: 'PWH9999' } })).status).toBe(404);
    await pd('PUT', '/webhook_subscriptions/{id}', { params: { id: sub.id }, body: { webhook_subscription: { description: 'renamed' } } });
    expect((await pd('POST', '/webhook_subscriptions/{id}/ping', { params: { id: sub.id } })).status).toBe(202);
    await pd('POST', '/webhook_subscriptions/{id}/enable', { params: { id: sub.id } });

    const incident = await pd('POST', '/incidents', { body: { incident: { type: 'incident', title: 'Payments slow', service: { id: 'PSVC002', type: 'service_reference' } } } });
    await pd('POST', '/incidents/{id}/notes', { params: { id: incident.body.incident.id }, body: { note: { content: 'note ✓ with UTF-8' } } });
    await sb.control('/_sandbox/faults', { deliveries: [{ kind: 'bad_signature', count: 1 }] });
    await pd('PUT', '/incidents/{id}', { params: { id: incident.body.incident.id }, body: { incident: { type: 'incident_reference', status: 'acknowledged' } } });
    await eventually(() => rx.received.length >= 4);
    await sb.dispatcher.idle();
    const verdicts = rx.received.map((r) => [JSON.parse(r.body).event.event_type, verifyPagerDutySignature(Buffer.from(r.body, 'utf8'), r.headers['x-pagerduty-signature'] as string, secret)]);
    expect(verdicts).toEqual([
      ['pagey.ping', true],
      ['incident.triggered', true],
      ['incident.annotated', true],
      ['incident.acknowledged', false],
    ]);
    // A tampered body no longer verifies.
    const genuine = rx.received[1]!;
    const tampered = Buffer.from(genuine.body.replace('Payments slow', 'Payments fine'), 'utf8');
    expect(verifyPagerDutySignature(tampered, genuine.headers['x-pagerduty-signature'] as string, secret)).toBe(false);
    expect(verifyPagerDutySignature(Buffer.from(genuine.body), genuine.headers['x-pagerduty-signature'] as string, 'wrong-secret')).toBe(false);
    // The documented v3 headers and envelope (DD-WHB, §3.3).
    expect(genuine.headers).toMatchObject({ 'user-agent': 'PagerDuty-Webhook/V3.0', 'content-type': 'application/json', 'x-webhook-subscription': sub.id, 'x-tenant': 't1' });
    expect(Object.keys(JSON.parse(genuine.body).event).sort()).toEqual(['agent', 'client', 'data', 'event_type', 'id', 'occurred_at', 'resource_type']);

    expect((await pd('DELETE', '/webhook_subscriptions/{id}', { params: { id: sub.id } })).status).toBe(204);
  });

  it('deleting a service (204), then 404 for it, and 403 without services.write', async () => {
    const writer = await sb.token('acme', { scopes: ['services.read', 'services.write'] });
    expect((await pd('DELETE', '/services/{id}', { params: { id: 'PSVC020' } })).status).toBe(403);
    expect((await pd('DELETE', '/services/{id}', { params: { id: 'PSVC020' }, token: writer })).status).toBe(204);
    expect((await pd('DELETE', '/services/{id}', { params: { id: 'PSVC020' }, token: writer })).status).toBe(404);
    expect((await pd('GET', '/services/{id}', { params: { id: 'PSVC020' }, token: writer })).status).toBe(404);
  });

  it('the validator is not vacuous: it rejects bodies the description forbids', () => {
    expect(validatePagerDutyResponse('GET', '/services', 200, { services: [{ type: 'service' }], more: 'yes' }).ok).toBe(false);
    expect(validatePagerDutyResponse('GET', '/incidents/{id}', 200, { incident: { id: 'P1', status: 'snoozed' } }).ok).toBe(false);
    expect(validatePagerDutyResponse('POST', '/webhook_subscriptions', 200, { webhook_subscription: { type: 'webhook_subscription' } }).ok).toBe(false);
    expect(validatePagerDutyResponse('GET', '/services', 401, { error: { code: 'x' } }).ok).toBe(false);
    expect(validatePagerDutyResponse('GET', '/services', 201, {}).basis).toBe('undocumented');
  });

  it('validated a response for every endpoint the hub uses', () => {
    const covered = new Set(seen.map((s) => `${s.method} ${s.template}`));
    const endpoints = [
      'GET /services', 'GET /services/{id}', 'GET /users/me', 'GET /priorities', 'GET /incidents', 'POST /incidents', 'GET /incidents/{id}',
      'PUT /incidents/{id}', 'PUT /incidents/{id}/merge', 'GET /incidents/{id}/notes', 'POST /incidents/{id}/notes', 'GET /webhook_subscriptions', 'POST /webhook_subscriptions',
      'GET /webhook_subscriptions/{id}', 'PUT /webhook_subscriptions/{id}', 'DELETE /webhook_subscriptions/{id}',
      'POST /webhook_subscriptions/{id}/ping', 'POST /webhook_subscriptions/{id}/enable',
    ];
    expect(endpoints.filter((e) => !covered.has(e))).toEqual([]);
  });
});

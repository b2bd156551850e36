import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventually, startReceiver, startSandbox, type Receiver, type RunningSandbox } from './testing.js';

/**
 * What the two-way sync (issue 11) needs from PagerDuty: merges (`merge_resolve_reason`), moving
 * an incident to another service (`incident.service_updated`), reading by incident_key and
 * reading notes, and the undocumented behaviours as settings (same-status PUT, event.client).
 */
let sb: RunningSandbox;
let rx: Receiver;
let token: string;
beforeAll(async () => {
  sb = await startSandbox({ retryScheduleMs: [30], deliveryTimeoutMs: 300 });
});
afterAll(() => sb.close());
beforeEach(async () => {
  await sb.reset();
  rx = await startReceiver();
  token = await sb.token('acme', { user: 'manager@acme.example' });
});
afterEach(() => rx.close());

interface Incident { id: string; status: string; incident_number: number; service: { id: string }; escalation_policy: { id: string }; resolve_reason?: { type: string; incident: { id: string } } }
type Json = Record<string, any>;

async function create(service = 'PSVC001', extra: Json = {}): Promise<Incident> {
  const res = await sb.api('/incidents', { token, method: 'POST', body: { incident: { type: 'incident', title: 'Down', service: { id: service, type: 'service_reference' }, ...extra } } });
  return ((await res.json()) as { incident: Incident }).incident;
}
async function put(id: string, incident: Json) {
  const res = await sb.api(`/incidents/${id}`, { token, method: 'PUT', body: { incident: { type: 'incident_reference', ...incident } } });
  return { status: res.status, json: (await res.json()) as { incident: Incident; error?: { code: number } } };
}
async function merge(target: string, sources: string[]) {
  const res = await sb.api(`/incidents/${target}/merge`, { token, method: 'PUT', body: { source_incidents: sources.map((id) => ({ id, type: 'incident_reference' })) } });
  return { status: res.status, json: (await res.json()) as Json };
}
async function subscribe(serviceId: string, events: string[]) {
  await sb.api('/webhook_subscriptions', {
    token,
    method: 'POST',
    body: { webhook_subscription: { type: 'webhook_subscription', delivery_method: { type: 'http_delivery_method', url: rx.url }, events, filter: { type: 'service_reference', id: serviceId } } },
  });
}
const events = () => rx.received.map((r) => (JSON.parse(r.body) as { event: Json }).event);
const read = async (id: string) => ((await (await sb.api(`/incidents/${id}`, { token })).json()) as { incident: Incident }).incident;

describe('PagerDuty incident merge', () => {
  it('resolves the sources with resolve_reason merge_resolve_reason naming the target, in REST and in incident.resolved', async () => {
    await subscribe('PSVC001', ['incident.resolved']);
    const target = await create();
    const a = await create('PSVC001', { incident_key: 'a' });
    const b = await create('PSVC002', { incident_key: 'b' });
    const res = await merge(target.id, [a.id, b.id, a.id]);
    expect(res.status).toBe(200);
    expect(res.json.incident).toMatchObject({ id: target.id, type: 'incident_reference', summary: `[#${target.incident_number}] Down` });
    expect(await read(target.id)).toMatchObject({ status: 'triggered' });
    expect((await read(target.id)).resolve_reason).toBeUndefined();
    for (const source of [a, b]) expect(await read(source.id)).toMatchObject({ status: 'resolved', resolve_reason: { type: 'merge_resolve_reason', incident: { id: target.id, type: 'incident_reference' } } });
    // Only PSVC001 is subscribed: one incident.resolved, for source a.
    const [got] = await eventually(() => rx.received.length === 1 && events());
    expect(got).toMatchObject({ event_type: 'incident.resolved', data: { id: a.id, status: 'resolved', resolve_reason: { type: 'merge_resolve_reason', incident: { id: target.id } } } });
  });

  it('clears resolve_reason when a merged incident is reopened, and a plain resolve has none', async () => {
    const target = await create();
    const a = await create();
    await merge(target.id, [a.id]);
    await put(a.id, { status: 'triggered' });
    expect((await read(a.id)).resolve_reason).toBeUndefined();
    await put(target.id, { status: 'resolved' });
    expect((await read(target.id)).resolve_reason).toBeUndefined();
  });

  it('refuses a resolved target, a resolved source, the target as its own source (400), and unknown ids (404)', async () => {
    const target = await create();
    const done = await create();
    await put(done.id, { status: 'resolved' });
    expect((await merge(done.id, [target.id])).status).toBe(400);
    expect((await merge(target.id, [done.id])).status).toBe(400);
    expect((await merge(target.id, [target.id])).status).toBe(400);
    expect((await merge(target.id, ['PNOPE99'])).status).toBe(404);
    const bad = await sb.api(`/incidents/${target.id}/merge`, { token, method: 'PUT', body: { source_incidents: [] } });
    expect(bad.status).toBe(400);
    expect((await read(target.id)).status).toBe('triggered');
  });
});

describe('PagerDuty: moving an incident to another service', () => {
  it('changes service and escalation policy and emits incident.service_updated to both services (default)', async () => {
    await subscribe('PSVC001', ['incident.service_updated']);
    const incident = await create('PSVC001');
    const moved = await put(incident.id, { service: { id: 'PSVC002', type: 'service_reference' } });
    expect(moved.status).toBe(200);
    expect(moved.json.incident.service.id).toBe('PSVC002');
    const [got] = await eventually(() => rx.received.length === 1 && events());
    expect(got).toMatchObject({ event_type: 'incident.service_updated', data: { id: incident.id, service: { id: 'PSVC002' } } });
  });

  it('with serviceUpdatedDelivery=new only the new service hears of it', async () => {
    await sb.control('/_sandbox/settings', { serviceUpdatedDelivery: 'new' });
    await subscribe('PSVC001', ['incident.service_updated', 'incident.acknowledged']);
    const incident = await create('PSVC001');
    await put(incident.id, { service: { id: 'PSVC002', type: 'service_reference' } });
    const back = await create('PSVC002');
    await put(back.id, { service: { id: 'PSVC001', type: 'service_reference' } });
    await put(back.id, { status: 'acknowledged' });
    await eventually(() => rx.received.length >= 2);
    await sb.dispatcher.idle();
    expect(events().map((e) => [e.event_type, e.data.id])).toEqual([['incident.service_updated', back.id], ['incident.acknowledged', back.id]]);
  });

  it('refuses an unknown or deleted service with 400 and changes nothing; the same service is no move', async () => {
    await subscribe('PSVC001', ['incident.service_updated']);
    const incident = await create('PSVC001');
    expect((await put(incident.id, { service: { id: 'PNOPE01', type: 'service_reference' } })).status).toBe(400);
    expect((await put(incident.id, { service: { id: 'PSVC001', type: 'service_reference' } })).status).toBe(200);
    expect((await read(incident.id)).service.id).toBe('PSVC001');
    await sb.dispatcher.idle();
    expect(rx.received).toHaveLength(0);
  });
});

describe('PagerDuty reads the sync relies on', () => {
  it('GET /incidents?incident_key= finds the incident by key, resolved ones included', async () => {
    const a = await create('PSVC001', { incident_key: 'linear:org:issue-1' });
    await create('PSVC001', { incident_key: 'linear:org:issue-2' });
    await put(a.id, { status: 'resolved' });
    const res = (await (await sb.api('/incidents?incident_key=linear%3Aorg%3Aissue-1', { token })).json()) as { incidents: Incident[] };
    expect(res.incidents.map((i) => i.id)).toEqual([a.id]);
  });

  it('GET /incidents/{id}/notes lists the notes in order with their authors', async () => {
    const i = await create();
    for (const content of ['first', 'second']) await sb.api(`/incidents/${i.id}/notes`, { token, method: 'POST', body: { note: { content } } });
    const res = (await (await sb.api(`/incidents/${i.id}/notes`, { token })).json()) as { notes: Array<{ content: string; user: { id: string } }> };
    expect(res.notes.map((n) => n.content)).toEqual(['first', 'second']);
    expect(res.notes[0]!.user.id).toMatch(/^PUSR/);
  });
});

describe('PagerDuty undocumented behaviours as settings', () => {
  it('sameStatusUpdate=error (default): a PUT to the current status is 400 with nothing sent', async () => {
    await subscribe('PSVC001', ['incident.acknowledged']);
    const i = await create();
    expect((await put(i.id, { status: 'acknowledged' })).status).toBe(200);
    const again = await put(i.id, { status: 'acknowledged' });
    expect(again.status).toBe(400);
    expect(again.json.error!.code).toBe(1002);
    await eventually(() => rx.received.length === 1);
    await sb.dispatcher.idle();
    expect(rx.received).toHaveLength(1);
  });

  it('sameStatusUpdate=ok: 200, no change, no webhook — other fields of the PUT still apply', async () => {
    await sb.control('/_sandbox/settings', { sameStatusUpdate: 'ok' });
    await subscribe('PSVC001', ['incident.acknowledged', 'incident.resolved', 'incident.priority_updated']);
    const i = await create();
    await put(i.id, { status: 'acknowledged' });
    const again = await put(i.id, { status: 'acknowledged', priority: 'P2' });
    expect(again.status).toBe(200);
    expect(again.json.incident.status).toBe('acknowledged');
    await put(i.id, { status: 'resolved' });
    expect((await put(i.id, { status: 'resolved' })).status).toBe(200);
    await eventually(() => rx.received.length === 3);
    await sb.dispatcher.idle();
    expect(events().map((e) => e.event_type)).toEqual(['incident.acknowledged', 'incident.priority_updated', 'incident.resolved']);
  });

  it('webhookClient: named (default) sends the OAuth app name, null sends null', async () => {
    await subscribe('PSVC001', ['incident.triggered']);
    await create();
    await eventually(() => rx.received.length === 1);
    expect(events()[0]!.client).toEqual({ name: expect.any(String) });
    await sb.control('/_sandbox/settings', { webhookClient: 'null' });
    await create();
    await eventually(() => rx.received.length === 2);
    expect(events()[1]!.client).toBeNull();
  });
});

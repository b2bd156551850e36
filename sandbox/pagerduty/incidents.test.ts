import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from './testing.js';

let sb: RunningSandbox;
let token: string;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(async () => {
  await sb.reset();
  token = await sb.token('acme', { user: 'manager@acme.example' });
});

interface Incident { id: string; status: string; urgency: string; incident_number: number; summary: string; incident_key: string; assignments: Array<{ assignee: { id: string } }>; acknowledgements: unknown[]; resolved_at?: string; reopened_at?: string; priority?: { id: string } }

const body = (incident: Record<string, unknown>) => ({ incident: { type: 'incident', title: 'Checkout is down', service: { id: 'PSVC001', type: 'service_reference' }, ...incident } });

async function create(incident: Record<string, unknown> = {}, t = token) {
  const res = await sb.api('/incidents', { token: t, method: 'POST', body: body(incident) });
  return { res, json: (await res.json()) as { incident: Incident; error?: unknown } };
}

async function put(id: string, incident: Record<string, unknown>) {
  const res = await sb.api(`/incidents/${id}`, { token, method: 'PUT', body: { incident: { type: 'incident_reference', ...incident } } });
  return { res, json: (await res.json()) as { incident: Incident; error?: { code: number; message: string; errors: string[] } } };
}

describe('PagerDuty incidents', () => {
  it('creates incidents (201) with P-ids, per-account numbers, "[#N] title" summaries and escalation-policy assignment', async () => {
    const { res, json } = await create();
    expect(res.status).toBe(201);
    expect(json.incident).toMatchObject({ id: 'PI00001', incident_number: 1, summary: '[#1] Checkout is down', status: 'triggered', urgency: 'high' });
    expect(json.incident.id).toMatch(/^P[A-Z0-9]{6}$/);
    expect(json.incident.assignments[0]!.assignee.id).toBe('PUSR001');
    expect(json.incident.resolved_at).toBeUndefined();
    expect((await create()).json.incident.incident_number).toBe(2);
  });

  it('applies the service urgency rule when no urgency is given', async () => {
    expect((await create({ service: { id: 'PSVC002', type: 'service_reference' } })).json.incident.urgency).toBe('low');
    expect((await create({ service: { id: 'PSVC002', type: 'service_reference' }, urgency: 'high' })).json.incident.urgency).toBe('high');
    // PSVC003 uses support hours (Mon–Fri 09–17 UTC): high inside, low outside.
    const s = (await create({ service: { id: 'PSVC003', type: 'service_reference' } })).json.incident.urgency;
    const now = new Date(sb.clock.now());
    const inside = now.getUTCDay() >= 1 && now.getUTCDay() <= 5 && now.getUTCHours() >= 9 && now.getUTCHours() < 17;
    expect(s).toBe(inside ? 'high' : 'low');
  });

  it('refuses a second open incident with the same incident_key with PagerDuty’s exact 400 body, but allows it once resolved', async () => {
    const first = await create({ incident_key: 'linear-ENG-1' });
    const dup = await create({ incident_key: 'linear-ENG-1' });
    expect(dup.res.status).toBe(400);
    expect(dup.json).toEqual({ error: { message: 'Arguments Caused Error', code: 2002, errors: ['Open incident with matching dedup key already exists on this service'] } });
    expect((await create({ incident_key: 'linear-ENG-1', service: { id: 'PSVC004', type: 'service_reference' } })).res.status).toBe(201);
    await put(first.json.incident.id, { status: 'resolved' });
    expect((await create({ incident_key: 'linear-ENG-1' })).res.status).toBe(201);
    const found = await sb.api('/incidents?incident_key=linear-ENG-1&service_ids[]=PSVC001&statuses[]=triggered&statuses[]=acknowledged', { token });
    expect(((await found.json()) as { incidents: Incident[] }).incidents).toHaveLength(1);
  });

  it('creates a self-assigned incident already acknowledged', async () => {
    const { json } = await create({ assignments: [{ assignee: { id: 'PUSR002', type: 'user_reference' } }] });
    expect(json.incident.status).toBe('acknowledged');
    expect(json.incident.acknowledgements).toHaveLength(1);
  });

  it('validates the body: wrapping, required fields, priority, assignments with escalation_policy, service status', async () => {
    const raw = await sb.api('/incidents', { token, method: 'POST', body: { title: 'x' } });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { error: { code: number } }).error.code).toBe(2001);
    expect((await create({ title: '' })).res.status).toBe(400);
    const priority = await create({ priority: { id: 'PNOPE00', type: 'priority_reference' } });
    expect(priority.json.error).toMatchObject({ code: 1020 });
    expect((await create({ priority: { id: 'PPRI002', type: 'priority_reference' } })).json.incident.priority!.id).toBe('PPRI002');
    const both = await create({ assignments: [{ assignee: { id: 'PUSR002', type: 'user_reference' } }], escalation_policy: { id: 'PESC001', type: 'escalation_policy_reference' } });
    expect(both.res.status).toBe(400);
    expect((await create({ service: { id: 'PSVC031', type: 'service_reference' } })).res.status).toBe(400);
    const text = await sb.api('/incidents', { token, method: 'POST', body: body({}), headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(400);
  });

  it('requires From with account API keys, and takes the actor from it', async () => {
    const apiKey = 'acme_sandbox_api_key_0001';
    const missing = await sb.api('/incidents', { apiKey, method: 'POST', body: body({}) });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: { errors: string[] } }).error.errors[0]).toContain('"From" header');
    const stranger = await sb.api('/incidents', { apiKey, method: 'POST', body: body({}), headers: { from: 'admin@globex.example' } });
    expect(stranger.status).toBe(400);
    const ok = await sb.api('/incidents', { apiKey, method: 'POST', body: body({}), headers: { from: 'responder@acme.example' } });
    expect(ok.status).toBe(201);
    await sb.control('/_sandbox/settings', { strictFrom: true });
    expect((await create()).res.status).toBe(400);
  });

  it('follows the status machine: triggered → acknowledged → resolved, reopen, and refuses invalid transitions', async () => {
    const id = (await create()).json.incident.id;
    const ack = await put(id, { status: 'acknowledged' });
    expect(ack.json.incident).toMatchObject({ status: 'acknowledged' });
    expect(ack.json.incident.acknowledgements).toHaveLength(1);
    const again = await put(id, { status: 'acknowledged' });
    expect(again.res.status).toBe(400);
    expect(again.json.error).toMatchObject({ code: 1002 });
    const unack = await put(id, { status: 'triggered' });
    expect(unack.json.incident.status).toBe('triggered');
    const resolved = await put(id, { status: 'resolved', resolution: 'Fixed by restart' });
    expect(resolved.json.incident).toMatchObject({ status: 'resolved', assignments: [] });
    expect(resolved.json.incident.resolved_at).toBeDefined();
    const twice = await put(id, { status: 'resolved' });
    expect(twice.json.error).toMatchObject({ code: 1001, message: 'Incident Already Resolved' });
    const bogus = await put(id, { status: 'snoozed' });
    expect(bogus.json.error).toMatchObject({ code: 1003 });
    const reopened = await put(id, { status: 'triggered' });
    expect(reopened.json.incident.status).toBe('triggered');
    expect(reopened.json.incident.reopened_at).toBeDefined();
    expect(reopened.json.incident.resolved_at).toBeUndefined();
    expect(reopened.json.incident.assignments).toHaveLength(1);
    await put(id, { status: 'resolved' });
    const reopenedAck = await put(id, { status: 'acknowledged' });
    expect(reopenedAck.json.incident.assignments[0]!.assignee.id).toBe('PUSR002');
  });

  it('changes priority by object or by name and finds incidents by number', async () => {
    const { incident } = (await create()).json;
    expect((await put(incident.id, { priority: 'P3' })).json.incident.priority!.id).toBe('PPRI003');
    expect((await put(incident.id, { priority: { id: 'PPRI001', type: 'priority_reference' } })).json.incident.priority!.id).toBe('PPRI001');
    const byNumber = await sb.api(`/incidents/${incident.incident_number}`, { token });
    expect(((await byNumber.json()) as { incident: Incident }).incident.id).toBe(incident.id);
  });

  it('lists incidents with filters and the one-month default window', async () => {
    await create();
    const second = (await create({ service: { id: 'PSVC004', type: 'service_reference' } })).json.incident;
    await put(second.id, { status: 'acknowledged' });
    const ack = (await (await sb.api('/incidents?statuses[]=acknowledged', { token })).json()) as { incidents: Incident[] };
    expect(ack.incidents.map((i) => i.id)).toEqual([second.id]);
    await sb.control('/_sandbox/clock', { advanceMs: 31 * 24 * 3600 * 1000 });
    token = await sb.token('acme', { user: 'manager@acme.example' });
    expect(((await (await sb.api('/incidents', { token })).json()) as { incidents: Incident[] }).incidents).toHaveLength(0);
    expect(((await (await sb.api('/incidents?date_range=all', { token })).json()) as { incidents: Incident[] }).incidents).toHaveLength(2);
  });

  it('adds notes (200 by default, 201 when configured) and caps them at 2000 per incident', async () => {
    const id = (await create()).json.incident.id;
    const note = await sb.api(`/incidents/${id}/notes`, { token, method: 'POST', body: { note: { content: 'Firefighters are on the scene.' } } });
    expect(note.status).toBe(200);
    expect(await note.json()).toMatchObject({ note: { content: 'Firefighters are on the scene.', user: { id: 'PUSR002', type: 'user_reference' }, channel: { summary: 'The PagerDuty website or APIs' } } });
    await sb.control('/_sandbox/settings', { noteCreateStatus: 201, maxNotesPerIncident: 2 });
    expect((await sb.api(`/incidents/${id}/notes`, { token, method: 'POST', body: { note: { content: 'two' } } })).status).toBe(201);
    const capped = await sb.api(`/incidents/${id}/notes`, { token, method: 'POST', body: { note: { content: 'three' } } });
    expect(capped.status).toBe(400);
    expect(await capped.json()).toEqual({ error: { message: 'Arguments Caused Error', code: 2002, errors: ['Incident has reached the maximum number of notes (2)'] } });
    const list = (await (await sb.api(`/incidents/${id}/notes`, { token })).json()) as { notes: unknown[] };
    expect(list.notes).toHaveLength(2);
    await sb.control('/_sandbox/settings', { noteMaxLength: 5 });
    const id2 = (await create()).json.incident.id;
    expect((await sb.api(`/incidents/${id2}/notes`, { token, method: 'POST', body: { note: { content: '123456' } } })).status).toBe(400);
    expect((await sb.api(`/incidents/${id2}/notes`, { token, method: 'POST', body: { note: { content: '' } } })).status).toBe(400);
  });

  it('caps notes at 2000 by default', async () => {
    const id = (await create()).json.incident.id;
    const incident = sb.state.incidents.get(id)!;
    for (let i = 0; i < 1999; i += 1) incident.notes.push({ id: `N${i}`, userId: 'PUSR002', content: 'x', createdAt: 0 });
    expect((await sb.api(`/incidents/${id}/notes`, { token, method: 'POST', body: { note: { content: '2000th' } } })).status).toBe(200);
    expect((await sb.api(`/incidents/${id}/notes`, { token, method: 'POST', body: { note: { content: '2001st' } } })).status).toBe(400);
  });
});

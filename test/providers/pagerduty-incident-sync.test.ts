import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/pagerduty/testing.js';
import { ProviderRateLimitedError, ProviderRequestError, ProviderUnavailableError } from '../../src/providers/errors.js';
import { fitIncidentTitle, PAGERDUTY_TITLE_MAX } from '../../src/providers/pagerduty/incident-sync.js';
import { pagerdutyIncidentPager } from '../../src/providers/pagerduty/pager.js';
import type { NewIncident } from '../../src/providers/roles.js';
import type { ProviderRequest } from '../../src/providers/request.js';

/**
 * PagerDuty's side of two-way sync (roles.ts IncidentSync) against the PagerDuty stand-in over
 * real HTTP: what is sent (body, `From`), the dedup key as "already created", finding an incident
 * by key, unknown ids as null, status changes that are no-ops, notes, merges, and provider errors.
 */
const sync = pagerdutyIncidentPager.sync;
const ADMIN = 'admin@acme.example';

describe('PagerDuty as the incident pager: two-way sync', () => {
  let sb: RunningSandbox;
  let request: ProviderRequest;
  beforeAll(async () => {
    sb = await startSandbox();
  });
  afterAll(async () => sb?.close());
  beforeEach(async () => {
    await sb.reset();
    request = { apiUrl: sb.url, accessToken: await sb.token('acme'), timeoutMs: 5000, from: ADMIN };
  });

  const incident = (over: Partial<NewIncident> = {}): NewIncident => ({
    serviceId: 'PSVC001',
    title: '[ENG-7] Checkout fails for EU cards',
    details: 'http://linear.example/acme/issue/ENG-7\n\nCards from EU banks are declined.',
    urgency: 'high',
    priorityId: null,
    incidentKey: 'hub:org1:issue-7',
    ...over,
  });
  const sent = (method: string, path: string) => sb.requests.list().filter((r) => r.method === method && r.path === path);
  const stored = (id: string) => sb.state.incidents.get(id)!;
  const created = async (over: Partial<NewIncident> = {}) => {
    const result = await sync.createIncident(request, incident(over));
    if (result === 'duplicate_key') throw new Error('unexpected duplicate_key');
    return result;
  };

  it('creates an incident with the rule’s service, urgency, priority, key and details, From the connected user', async () => {
    const result = await created({ priorityId: 'PPRI002', urgency: 'low' });
    expect(result).toEqual({
      id: expect.stringMatching(/^P/),
      number: 1,
      title: '[ENG-7] Checkout fails for EU cards',
      url: expect.stringContaining(`/incidents/${typeof result === 'string' ? '' : result.id}`),
      status: 'triggered',
      service: { id: 'PSVC001', name: 'Checkout API' },
      incidentKey: 'hub:org1:issue-7',
      mergedInto: null,
    });
    const [post] = sent('POST', '/incidents');
    expect(post?.headers.from).toBe(ADMIN);
    expect(post?.body).toEqual({
      incident: {
        type: 'incident',
        title: '[ENG-7] Checkout fails for EU cards',
        service: { id: 'PSVC001', type: 'service_reference' },
        urgency: 'low',
        priority: { id: 'PPRI002', type: 'priority_reference' },
        incident_key: 'hub:org1:issue-7',
        body: { type: 'incident_body', details: incident().details },
      },
    });
    expect(stored(result.id)).toMatchObject({ urgency: 'low', priorityId: 'PPRI002', body: incident().details });
  });

  it('sends no priority when the rule has none, and no From when the connection knows no e-mail', async () => {
    await created({ priorityId: null });
    const { from: _unused, ...noFrom } = request;
    await sync.createIncident(noFrom, incident({ incidentKey: 'second' }));
    const posts = sent('POST', '/incidents');
    expect(posts[0]?.body).not.toHaveProperty('incident.priority');
    expect(posts[0]?.headers.from).toBe(ADMIN);
    expect(posts[1]?.headers).not.toHaveProperty('from');
  });

  it(`cuts a title longer than ${PAGERDUTY_TITLE_MAX} characters, ending in “…”`, async () => {
    const long = `[ENG-7] ${'x'.repeat(3000)}`;
    const result = await created({ title: long });
    const title = (sent('POST', '/incidents')[0]?.body as { incident: { title: string } }).incident.title;
    expect(Array.from(title)).toHaveLength(PAGERDUTY_TITLE_MAX);
    expect(title.startsWith('[ENG-7] xxx')).toBe(true);
    expect(title.endsWith('…')).toBe(true);
    expect(result.title).toBe(title);
    expect(fitIncidentTitle('short')).toBe('short');
    expect(fitIncidentTitle('x'.repeat(PAGERDUTY_TITLE_MAX))).toHaveLength(PAGERDUTY_TITLE_MAX);
    // Characters, not UTF-16 units: an emoji is never cut in half.
    expect(fitIncidentTitle('🔥'.repeat(10), 5)).toBe('🔥🔥🔥🔥…');
  });

  it('answers duplicate_key for a second open incident with the key, and incidentByKey finds the first', async () => {
    const first = await created();
    expect(await sync.createIncident(request, incident({ title: 'again' }))).toBe('duplicate_key');
    expect(sb.state.incidentsOf('acme')).toHaveLength(1);
    expect(await sync.incidentByKey(request, 'hub:org1:issue-7')).toEqual(first);
    expect(sent('GET', '/incidents').at(-1)?.query).toMatchObject({ incident_key: 'hub:org1:issue-7', date_range: 'all' });
  });

  it('finds the newest open incident with the key, else the newest resolved one; null for an unknown key', async () => {
    expect(await sync.incidentByKey(request, 'hub:org1:issue-7')).toBeNull();
    const first = await created();
    await sync.setIncidentStatus(request, first.id, 'resolved');
    const second = await created(); // a resolved incident does not conflict
    expect((await sync.incidentByKey(request, 'hub:org1:issue-7'))?.id).toBe(second.id);
    await sync.setIncidentStatus(request, first.id, 'triggered'); // the older one reopened: still open
    await sync.setIncidentStatus(request, second.id, 'resolved');
    expect((await sync.incidentByKey(request, 'hub:org1:issue-7'))?.id).toBe(first.id);
    await sync.setIncidentStatus(request, first.id, 'resolved');
    expect(await sync.incidentByKey(request, 'hub:org1:issue-7')).toMatchObject({ id: second.id, status: 'resolved' });
    expect(await sync.incidentByKey(request, 'hub:org1:issue-8')).toBeNull();
  });

  it('finds an incident by key beyond the list’s default one-month window', async () => {
    const old = await created();
    await sb.control('/_sandbox/clock', { advanceMs: 60 * 24 * 3600 * 1000 });
    request.accessToken = await sb.token('acme');
    expect((await sync.incidentByKey(request, 'hub:org1:issue-7'))?.id).toBe(old.id);
  });

  it('reads one incident; null for an unknown one or one of another account', async () => {
    const mine = await created();
    expect(await sync.incident(request, mine.id)).toEqual(mine);
    const globex = await sync.createIncident(
      { ...request, accessToken: await sb.token('globex'), from: 'admin@globex.example' },
      incident({ serviceId: 'PSVC101' }),
    );
    expect(globex).not.toBe('duplicate_key');
    for (const id of ['PNOPE00', typeof globex === 'string' ? '' : globex.id]) expect(await sync.incident(request, id), id).toBeNull();
  });

  it('acknowledges, resolves with a resolution, and reopens', async () => {
    const { id } = await created();
    await sync.setIncidentStatus(request, id, 'acknowledged', 'ignored unless resolving');
    expect(stored(id).status).toBe('acknowledged');
    expect(sent('PUT', `/incidents/${id}`).at(-1)?.body).toEqual({ incident: { type: 'incident_reference', status: 'acknowledged' } });
    await sync.setIncidentStatus(request, id, 'resolved', 'Ada Admin moved ENG-7 to Done in Linear.');
    expect(stored(id)).toMatchObject({ status: 'resolved', resolution: 'Ada Admin moved ENG-7 to Done in Linear.' });
    expect(sent('PUT', `/incidents/${id}`).at(-1)?.headers.from).toBe(ADMIN);
    await sync.setIncidentStatus(request, id, 'triggered');
    expect(stored(id).status).toBe('triggered');
    expect(stored(id).reopenedAt).not.toBeNull();
  });

  // PagerDuty does not document whether a PUT to the current status answers 200 or 400 (1001/1002).
  it.each([
    ['error', 400],
    ['ok', 200],
  ] as const)('treats setting the status an incident already has as done (same-status PUT answered %s)', async (mode, answered) => {
    await sb.control('/_sandbox/settings', { sameStatusUpdate: mode });
    const { id } = await created();
    for (const status of ['triggered', 'acknowledged', 'acknowledged', 'resolved', 'resolved'] as const) {
      await sync.setIncidentStatus(request, id, status, 'done');
      expect(stored(id).status).toBe(status);
    }
    const puts = sent('PUT', `/incidents/${id}`);
    expect(puts.map((r) => r.status)).toEqual([answered, 200, answered, 200, answered]);
    expect(stored(id).resolution).toBe('done');
  });

  it('still throws a 400 that is not about the status it has', async () => {
    const { id } = await created();
    await sb.control('/_sandbox/settings', { strictFrom: true });
    const { from: _unused, ...noFrom } = request;
    await expect(sync.setIncidentStatus(noFrom, id, 'acknowledged')).rejects.toMatchObject({ status: 400 });
    expect(stored(id).status).toBe('triggered');
    await expect(sync.setIncidentStatus(request, 'PNOPE00', 'resolved')).rejects.toMatchObject({ status: 404 });
  });

  it('adds notes and lists them, oldest first, with their authors', async () => {
    const { id } = await created();
    const mine = await sync.addNote(request, id, 'Max Member in Linear: rolled back the deploy');
    expect(mine).toEqual({ id: expect.stringMatching(/^P/), content: 'Max Member in Linear: rolled back the deploy', author: { id: 'PUSR001', name: 'Ada Admin' }, createdAt: expect.any(Number) });
    expect(sent('POST', `/incidents/${id}/notes`)[0]).toMatchObject({ body: { note: { content: 'Max Member in Linear: rolled back the deploy' } }, headers: { from: ADMIN } });
    const rita = { ...request, accessToken: await sb.token('acme', { user: 'responder@acme.example' }), from: 'responder@acme.example' };
    await sb.control('/_sandbox/clock', { advanceMs: 2000 });
    const hers = await sync.addNote(rita, id, 'Looking at **the logs**');
    const notes = await sync.notes(request, id);
    expect(notes).toEqual([mine, hers]);
    expect(hers.author).toEqual({ id: 'PUSR003', name: 'Rita Responder' });
    expect(hers.createdAt).toBeGreaterThan(mine.createdAt);
    await expect(sync.notes(request, 'PNOPE00')).rejects.toMatchObject({ status: 404 });
    await expect(sync.addNote(request, 'PNOPE00', 'x')).rejects.toBeInstanceOf(ProviderRequestError);
  });

  it('reads notes answered 201 as well as 200', async () => {
    const { id } = await created();
    await sb.control('/_sandbox/settings', { noteCreateStatus: 201 });
    expect((await sync.addNote(request, id, 'hello')).content).toBe('hello');
    expect(sent('POST', `/incidents/${id}/notes`)[0]?.status).toBe(201);
  });

  // Needs the stand-in's incident merge (PUT /incidents/{id}/merge, issue 11 §9).
  it('names the surviving incident of a merge', async () => {
    const survivor = await created({ incidentKey: 'a' });
    const merged = await created({ incidentKey: 'b' });
    const res = await sb.api(`/incidents/${survivor.id}/merge`, {
      method: 'PUT',
      token: request.accessToken,
      headers: { from: ADMIN },
      body: { source_incidents: [{ id: merged.id, type: 'incident_reference' }] },
    });
    expect(res.status).toBe(200);
    expect(await sync.incident(request, merged.id)).toMatchObject({ status: 'resolved', mergedInto: survivor.id });
    expect(await sync.incident(request, survivor.id)).toMatchObject({ mergedInto: null });
  });

  it('throws the provider errors for 500s and rate limits', async () => {
    const { id } = await created();
    const calls = [
      () => sync.createIncident(request, incident({ incidentKey: 'new' })),
      () => sync.incidentByKey(request, 'hub:org1:issue-7'),
      () => sync.incident(request, id),
      () => sync.setIncidentStatus(request, id, 'acknowledged'),
      () => sync.addNote(request, id, 'x'),
      () => sync.notes(request, id),
    ];
    for (const call of calls) {
      await sb.control('/_sandbox/faults', { api: [{ kind: '500', count: 1 }] });
      await expect(call()).rejects.toBeInstanceOf(ProviderUnavailableError);
      await sb.control('/_sandbox/faults', { api: [{ kind: '429', count: 1, retryAfterSeconds: 7 }] });
      await expect(call()).rejects.toBeInstanceOf(ProviderRateLimitedError);
    }
    expect(stored(id).status).toBe('triggered');
    expect(stored(id).notes).toHaveLength(0);
  });
});

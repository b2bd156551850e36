import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedId } from '../../sandbox/linear/seed.js';
import type { LinkResponse, LinksResponse, LinkView, SkippedResponse } from '../../src/api/index.js';
import { client, createUser, login, type HubClient } from '../helpers/client.js';
import { sandboxControl } from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';
import { newOrganisation, type OrganisationAdmin } from '../connections/fixture.js';
import { CHECKOUT, createRule, ENG_STATE, ENG_TEAM, PAYMENTS, SUP_TEAM, subscriptionsSettled } from '../rules/api-fixture.js';
import { actOnIncidentPage, createTeamWebhook, linearGraphql, pagerdutyRest, startConnectedHub, until, type ConnectedHub } from '../webhooks/fixture.js';

/**
 * The Links API (src/api/links.ts) and Page now (POST /api/activity/skipped/:id/page) over real
 * HTTP, with links made the real way: issues created through Linear's GraphQL at the stand-in
 * page PagerDuty through the rules, and people act on the stand-ins' pages. Every success answer
 * is checked against the contract by the client.
 */
describe.each(testDialects())('links API on %s', (dialect) => {
  let env: ConnectedHub;
  let viewer: HubClient;
  let other: OrganisationAdmin;
  let urgentRule: { id: string; name: string };
  let highRule: { id: string; name: string };
  const admin = () => env.org.admin;
  const gql = <T = any>(query: string, variables: Record<string, unknown> = {}) => linearGraphql<T>(env.sandbox.linearUrl, query, variables);
  const db = () => env.hub.database.db;

  async function createIssue(teamId: string, title: string, priority: number, stateId: string): Promise<{ id: string; identifier: string }> {
    const created = await gql<{ issueCreate: { issue: { id: string; identifier: string } } }>(
      'mutation($input: IssueCreateInput!) { issueCreate(input: $input) { issue { id identifier } } }',
      { input: { teamId, title, priority, stateId } },
    );
    expect(created.body.errors, JSON.stringify(created.body.errors)).toBeUndefined();
    return created.body.data!.issueCreate.issue;
  }
  const list = async (c: HubClient, query = '') => {
    const response = await c.get<LinksResponse>(`/api/links${query}`);
    expect(response.status, response.text).toBe(200);
    return response.body;
  };
  const linkOf = (issueId: string) =>
    until(`the link of ${issueId} with its incident`, async () => (await list(admin(), '?limit=100')).links.find((link) => link.issue.id === issueId && link.incident !== null), 15_000);
  const page = async (id: string) => {
    const response = await admin().get<LinkResponse>(`/api/links/${id}`);
    expect(response.status, response.text).toBe(200);
    return response.body;
  };
  const settled = () =>
    until('the queue to settle', async () => (await db().selectFrom('jobs').select('id').where('status', 'in', ['queued', 'running']).where('unique_key', 'is', null).execute()).length === 0, 15_000);

  let urgent: LinkView;
  let high: LinkView;
  let third: LinkView;

  beforeAll(async () => {
    env = await startConnectedHub(dialect);
    await createTeamWebhook(admin(), ENG_TEAM);
    urgentRule = await createRule(admin(), { name: 'Urgent engineering', filters: { teamId: ENG_TEAM, priorities: [1], statusTypes: ['unstarted', 'started'] }, routing: { serviceId: CHECKOUT.id, urgency: 'high' } });
    highRule = await createRule(admin(), { name: 'High engineering', filters: { teamId: ENG_TEAM, priorities: [2], statusTypes: ['unstarted', 'started'] }, routing: { serviceId: PAYMENTS.id, urgency: 'low' } });
    await subscriptionsSettled(env);
    await createUser(admin(), { email: 'viewer@acme.test', password: 'viewer password 1', role: 'viewer' });
    viewer = client(env.hub);
    await login(viewer, 'viewer@acme.test', 'viewer password 1');
    other = await newOrganisation(env.hub);

    const a = await createIssue(ENG_TEAM, 'Checkout is down', 1, ENG_STATE('Todo'));
    urgent = await linkOf(a.id);
    const b = await createIssue(ENG_TEAM, 'Payments are slow', 2, ENG_STATE('Todo'));
    high = await linkOf(b.id);
    const c = await createIssue(ENG_TEAM, 'Search is down', 1, ENG_STATE('Todo'));
    third = await linkOf(c.id);
    await settled();
  }, 90_000);
  afterAll(async () => env?.close());

  it('lists every link, the latest activity first, with both sides, the rule and In sync', async () => {
    const { links, nextCursor } = await list(admin());
    expect(links.map((link) => link.issue.identifier)).toEqual([third.issue.identifier, high.issue.identifier, urgent.issue.identifier]);
    expect(nextCursor).toBeNull();
    const shown = links.find((link) => link.id === high.id)!;
    expect(shown).toMatchObject({
      rule: { id: highRule.id, name: 'High engineering' },
      issue: { title: 'Payments are slow', state: { name: 'Todo', type: 'unstarted' } },
      incident: { status: 'triggered' },
      service: PAYMENTS,
      status: 'in_sync',
      waitingFor: [],
      lastError: null,
      nextRetryAt: null,
    });
    expect(shown.issue.url).toContain(shown.issue.identifier);
    expect(shown.incident!.url).toContain(shown.incident!.id);
    // The viewer reads the same list.
    expect((await list(viewer)).links.map((link) => link.id)).toEqual(links.map((link) => link.id));
  });

  it('searches by issue identifier (any case, or a team key) and by incident number (#7 or 7)', async () => {
    expect((await list(admin(), `?q=${urgent.issue.identifier.toLowerCase()}`)).links.map((link) => link.id)).toEqual([urgent.id]);
    expect((await list(admin(), '?q=ENG')).links).toHaveLength(3);
    expect((await list(admin(), '?q=ENG-99999')).links).toEqual([]);
    const number = high.incident!.number;
    expect((await list(admin(), `?q=${encodeURIComponent(`#${number}`)}`)).links.map((link) => link.id)).toEqual([high.id]);
    expect((await list(admin(), `?q=${number}`)).links.map((link) => link.id)).toEqual([high.id]);
    // A wildcard is a character to match, not a pattern.
    expect((await list(admin(), '?q=%25')).links).toEqual([]);
  });

  it('filters by rule and by status, and pages with an opaque cursor', async () => {
    expect((await list(admin(), `?rule=${highRule.id}`)).links.map((link) => link.id)).toEqual([high.id]);
    expect((await list(admin(), `?rule=${urgentRule.id}`)).links.map((link) => link.id)).toEqual([third.id, urgent.id]);
    expect((await list(admin(), '?status=in_sync')).links).toHaveLength(3);
    expect((await list(admin(), '?status=failed')).links).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const answer: LinksResponse = await list(admin(), `?limit=1${cursor === null ? '' : `&cursor=${cursor}`}`);
      expect(answer.links.length).toBeLessThanOrEqual(1);
      seen.push(...answer.links.map((link) => link.id));
      cursor = answer.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual([third.id, high.id, urgent.id]);

    const bad = await admin().get('/api/links?cursor=not-one-we-gave');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_query');
    expect((await admin().get('/api/links?status=sleeping')).status).toBe(400);
  });

  it('shows the link page: the two-way timeline, oldest first — event received, action taken, echo dropped', async () => {
    await actOnIncidentPage(env.sandbox.pagerdutyUrl, urgent.incident!.id, 'acknowledge');
    await until('the issue In Progress on the link', async () => (await page(urgent.id)).link.issue.state?.name === 'In Progress', 15_000);
    await settled();
    const { link, timeline } = await page(urgent.id);
    expect(link).toMatchObject({ id: urgent.id, status: 'in_sync', incident: { status: 'acknowledged' } });
    const times = timeline.map((entry) => Date.parse(entry.at));
    expect(times).toEqual([...times].sort((x, y) => x - y));
    const kinds = timeline.map((entry) => `${entry.direction} ${entry.kind}`);
    // The issue created paged: received from Linear, the incident opened towards PagerDuty.
    const opened = kinds.indexOf('issue_to_incident action');
    expect(kinds.indexOf('issue_to_incident received')).toBeGreaterThanOrEqual(0);
    expect(kinds.indexOf('issue_to_incident received')).toBeLessThan(opened);
    // The acknowledge came back as a state move in Linear, and the hub's own move as an echo.
    const moved = timeline.findIndex((entry) => entry.direction === 'incident_to_issue' && entry.kind === 'action');
    expect(moved).toBeGreaterThan(opened);
    expect(timeline.slice(moved).some((entry) => entry.kind === 'echo'), JSON.stringify(timeline, null, 1)).toBe(true);
    expect(timeline.every((entry) => entry.summary.length > 0)).toBe(true);
  });

  it('Re-sync now (admins) runs in the pair’s lane and shows on the timeline', async () => {
    const response = await admin().post<{ jobId: string }>(`/api/links/${high.id}/resync`, {});
    expect(response.status, response.text).toBe(200);
    const job = await until('the re-sync job to finish', async () => {
      const row = await db().selectFrom('jobs').select(['status', 'lane', 'kind']).where('id', '=', response.body.jobId).executeTakeFirst();
      return row?.status === 'succeeded' || row?.status === 'dead' ? row : undefined;
    }, 15_000);
    expect(job).toEqual({ status: 'succeeded', kind: 'sync.resync', lane: `linear:issue:${high.issue.id}` });
    const { timeline, link } = await page(high.id);
    expect(timeline.some((entry) => entry.jobId === response.body.jobId && entry.summary.includes('Re-sync now'))).toBe(true);
    expect(link.status).toBe('in_sync');
  });

  it('refuses Re-sync now to viewers, and hides other organisations’ links', async () => {
    const refused = await viewer.post(`/api/links/${high.id}/resync`, {});
    expect(refused.status).toBe(403);
    expect((await viewer.get(`/api/links/${high.id}`)).status).toBe(200);

    const elsewhere = await other.admin.get(`/api/links/${high.id}`);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.error.code).toBe('link_not_found');
    const resync = await other.admin.post(`/api/links/${high.id}/resync`, {});
    expect(resync.status).toBe(404);
    expect(resync.body.error.code).toBe('link_not_found');
    expect((await list(other.admin)).links).toEqual([]);
    expect((await admin().get('/api/links/lnk_nope')).status).toBe(404);
  });

  /**
   * While PagerDuty answers `fault` to incident reads, a Re-sync of the third link shows it
   * Retrying (`check` looks closer); once PagerDuty answers again, it is In sync.
   */
  async function retryingWhile(fault: Record<string, unknown>, check: (link: LinkResponse['link'], jobId: string) => Promise<void>): Promise<void> {
    await sandboxControl(env.sandbox.pagerdutyUrl, 'POST', '/_sandbox/faults', { api: [{ count: 1000, method: 'GET', pathPrefix: '/incidents', ...fault }] });
    try {
      const response = await admin().post<{ jobId: string }>(`/api/links/${third.id}/resync`, {});
      expect(response.status).toBe(200);
      const { link } = await until('the link retrying', async () => {
        const shown = await page(third.id);
        return shown.link.status === 'retrying' ? shown : undefined;
      }, 15_000);
      await check(link, response.body.jobId);
    } finally {
      await sandboxControl(env.sandbox.pagerdutyUrl, 'DELETE', '/_sandbox/faults');
    }
    // Bring the retry forward rather than wait out its backoff.
    await db().updateTable('jobs').set({ run_at: Date.now() }).where('status', '=', 'queued').where('lane', '=', `linear:issue:${third.issue.id}`).execute();
    env.hub.hub.deps.queue.wake();
    await until('in sync again', async () => (await page(third.id)).link.status === 'in_sync', 15_000);
  }

  it('shows Retrying while PagerDuty fails: when it runs again and why, then In sync once it answers', async () => {
    await retryingWhile({ kind: '500' }, async (link) => {
      expect(link.lastError?.message).toBeTruthy();
      expect(Date.parse(link.nextRetryAt!)).toBeGreaterThan(Date.parse(link.lastError!.at) - 1);
      expect((await list(admin(), '?status=retrying')).links.map((l) => l.id)).toEqual([third.id]);
    });
  });

  it('shows Retrying while PagerDuty rate-limits it too, though the wait uses no attempt', async () => {
    await retryingWhile({ kind: '429', retryAfterSeconds: 1 }, async (link, jobId) => {
      expect(link.lastError?.message).toMatch(/rate limit/i);
      // Between its tries (it runs again about every second) the job waits with no attempt used.
      const waiting = await until('the job waiting', async () => {
        const job = await db().selectFrom('jobs').select(['attempts', 'status']).where('id', '=', jobId).executeTakeFirstOrThrow();
        return job.status === 'queued' ? job : undefined;
      }, 15_000);
      expect(waiting.attempts).toBe(0);
    });
  });

  it('shows a failure: a dead job of the lane makes the link Failed with its error', async () => {
    const lane = `linear:issue:${third.issue.id}`;
    const response = await admin().post<{ jobId: string }>(`/api/links/${third.id}/resync`, {});
    expect(response.status).toBe(200);
    await until('the re-sync job to finish', async () => {
      const row = await db().selectFrom('jobs').select('status').where('id', '=', response.body.jobId).executeTakeFirst();
      return row?.status === 'succeeded';
    });
    // What a job that gave up leaves behind (its run failed for good at the vendor).
    await db().updateTable('jobs').set({ status: 'dead', last_error: 'PagerDuty refused the change (400).' }).where('id', '=', response.body.jobId).where('lane', '=', lane).execute();
    const { link } = await page(third.id);
    expect(link).toMatchObject({ status: 'failed', lastError: { message: 'PagerDuty refused the change (400).' }, nextRetryAt: null });
    expect((await list(admin(), '?status=failed')).links.map((l) => l.id)).toEqual([third.id]);
    // Re-sync now again: its success puts the pair back In sync.
    const again = await admin().post<{ jobId: string }>(`/api/links/${third.id}/resync`, {});
    await until('in sync again', async () => (await page(third.id)).link.status === 'in_sync', 15_000);
    expect(again.status).toBe(200);
  });

  it('closes the link when the issue is done and its incident resolved', async () => {
    const done = await gql('mutation($id: String!, $input: IssueUpdateInput!) { issueUpdate(id: $id, input: $input) { success } }', { id: high.issue.id, input: { stateId: ENG_STATE('Done') } });
    expect(done.body.errors).toBeUndefined();
    await until('the link closed', async () => (await page(high.id)).link.status === 'closed', 15_000);
    expect((await list(admin(), '?status=closed')).links.map((link) => link.id)).toEqual([high.id]);
    expect((await list(admin(), '?status=in_sync')).links.map((link) => link.id)).not.toContain(high.id);
  });

  it('Page now: a rule’s skipped issue pages after all, once', async () => {
    await createTeamWebhook(admin(), SUP_TEAM);
    const capped = await createRule(admin(), {
      name: 'Support, one an hour',
      filters: { teamId: SUP_TEAM, priorities: [1], statusTypes: ['unstarted', 'started'] },
      routing: { serviceId: CHECKOUT.id, urgency: 'high' },
      incidentsPerHour: 1,
    });
    const first = await createIssue(SUP_TEAM, 'Tickets pile up', 1, seedId('state', 'acme', 'SUP', 'Todo'));
    await linkOf(first.id);
    const second = await createIssue(SUP_TEAM, 'Chat widget is down', 1, seedId('state', 'acme', 'SUP', 'Todo'));
    const skip = await until('the second issue skipped', async () => (await admin().get<SkippedResponse>(`/api/activity/skipped?rule=${capped.id}`)).body.skipped.find((s) => s.issue.id === second.id), 15_000);
    expect(skip.pagedAt).toBeNull();
    expect((await list(admin())).links.some((link) => link.issue.id === second.id)).toBe(false);

    expect((await viewer.post(`/api/activity/skipped/${skip.id}/page`, {})).status).toBe(403);
    const elsewhere = await other.admin.post(`/api/activity/skipped/${skip.id}/page`, {});
    expect([elsewhere.status, elsewhere.body.error.code]).toEqual([404, 'skip_not_found']);

    const paged = await admin().post<{ jobId: string }>(`/api/activity/skipped/${skip.id}/page`, {});
    expect(paged.status, paged.text).toBe(200);
    const link = await linkOf(second.id);
    expect(link).toMatchObject({ rule: { id: capped.id }, incident: { status: 'triggered' }, service: CHECKOUT });
    const incidents = await pagerdutyRest<{ incidents: Array<{ title: string }> }>(env.sandbox.pagerdutyUrl, 'GET', '/incidents?limit=100');
    expect(incidents.body.incidents.filter((incident) => incident.title.includes(second.identifier))).toHaveLength(1);
    const record = (await admin().get<SkippedResponse>(`/api/activity/skipped?rule=${capped.id}`)).body.skipped.find((s) => s.id === skip.id);
    expect(record?.pagedAt).not.toBeNull();

    const twice = await admin().post(`/api/activity/skipped/${skip.id}/page`, {});
    expect([twice.status, twice.body.error.code]).toEqual([409, 'skip_paged_already']);
    expect((await admin().post('/api/activity/skipped/skp_nope/page', {})).status).toBe(404);
  });

  it('says sync waits while a connection is Disconnected, naming it', async () => {
    const disconnected = await admin().delete('/api/connections/linear');
    expect(disconnected.status, disconnected.text).toBe(200);
    const { link } = await page(urgent.id);
    expect(link.status).toBe('waiting');
    expect(link.waitingFor.map((w) => w.provider)).toEqual(['linear']);
    expect((await list(admin(), '?status=waiting')).links.map((l) => l.id)).toContain(urgent.id);
    // A closed link stays Closed.
    expect((await page(high.id)).link.status).toBe('closed');
  });
});

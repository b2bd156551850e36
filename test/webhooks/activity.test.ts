import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveriesResponse, DeliveryView, JobsResponse, JobView } from '../../src/api/index.js';
import { client, createUser, login, type HubClient } from '../helpers/client.js';
import { testDialects } from '../helpers/databases.js';
import {
  allDeliveries,
  allJobs,
  createTeamWebhook,
  deliveryWhere,
  ensureCheckoutSubscription,
  GLOBEX_WORKSPACE,
  jobRow,
  linearPayload,
  pagerdutyPayload,
  PROCESS_DELIVERY_KIND,
  sendLinear,
  sendPagerDuty,
  signingSecret,
  startConnectedHub,
  until,
  type ConnectedHub,
} from './fixture.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * GET /api/activity/deliveries and /jobs (paging, filters, bad input) and replaying a dead job
 * (POST /api/activity/jobs/:id/replay). Twelve hand-signed deliveries: seven Linear (two of them
 * from another workspace, so `ignored`) and five PagerDuty, each a few ms apart so that
 * "newest first" is a strict order.
 */
describe.each(testDialects())('activity on %s', (dialect) => {
  let env: ConnectedHub;
  let viewer: HubClient;
  /** Entity ids in the order they were sent. */
  const sent: Array<{ entityId: string; provider: 'linear' | 'pagerduty'; ignored: boolean }> = [];
  let linearEndpoint: string;
  let linearSecret: string;
  let pdEndpoint: string;
  let pdSecret: string;
  const admin = () => env.org.admin;

  beforeAll(async () => {
    env = await startConnectedHub(dialect);
    await createUser(admin(), { email: 'viewer@acme.test', password: 'viewer password 1', role: 'viewer' });
    viewer = client(env.hub);
    await login(viewer, 'viewer@acme.test', 'viewer password 1');
    linearEndpoint = (await createTeamWebhook(admin())).id;
    pdEndpoint = (await ensureCheckoutSubscription(env)).id;
    linearSecret = (await signingSecret(env.hub, env.org.organisationId, linearEndpoint))!;
    pdSecret = (await signingSecret(env.hub, env.org.organisationId, pdEndpoint))!;

    const plan: Array<'linear' | 'pagerduty' | 'foreign'> = [
      'linear', 'pagerduty', 'linear', 'foreign', 'pagerduty', 'linear', 'linear',
      'pagerduty', 'foreign', 'linear', 'pagerduty', 'pagerduty',
    ];
    for (const kind of plan) {
      if (kind === 'pagerduty') {
        const payload = pagerdutyPayload();
        const answer = await sendPagerDuty(env.hub, pdEndpoint, pdSecret, payload);
        expect(answer.status, answer.text).toBe(200);
        sent.push({ entityId: ((payload.event as any).data as { id: string }).id, provider: 'pagerduty', ignored: false });
      } else {
        const payload = linearPayload(kind === 'foreign' ? { organizationId: GLOBEX_WORKSPACE } : {});
        const answer = await sendLinear(env.hub, linearEndpoint, linearSecret, payload);
        expect(answer.status, answer.text).toBe(200);
        sent.push({ entityId: (payload.data as { id: string }).id, provider: 'linear', ignored: kind === 'foreign' });
      }
      await sleep(3); // distinct received_at
    }
    await until('every delivery handled', async () => {
      const listed = await allDeliveries(admin());
      return listed.length === 12 && listed.every((d) => d.outcome !== 'received');
    });
  });
  afterAll(async () => env?.close());

  /** Walks every page of `path` with `limit`; the pages as returned. */
  async function pagesOf<T>(c: HubClient, path: string, key: 'deliveries' | 'jobs', query: Record<string, string>): Promise<T[][]> {
    const pages: T[][] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 50; i++) {
      const params = new URLSearchParams(query);
      if (cursor !== null) params.set('cursor', cursor);
      const response = await c.get(`${path}?${params}`);
      expect(response.status, response.text).toBe(200);
      pages.push(response.body[key] as T[]);
      cursor = response.body.nextCursor;
      if (cursor === null) return pages;
    }
    throw new Error('paging did not end');
  }

  describe('GET /api/activity/deliveries', () => {
    it('limit=5 → three pages (5, 5, 2), no overlap, newest first, the last one without a cursor', async () => {
      const pages = await pagesOf<DeliveryView>(admin(), '/api/activity/deliveries', 'deliveries', { limit: '5' });
      expect(pages.map((page) => page.length)).toEqual([5, 5, 2]);
      const flat = pages.flat();
      expect(new Set(flat.map((d) => d.id)).size).toBe(12);
      expect(flat.map((d) => d.entity.id)).toEqual([...sent].reverse().map((s) => s.entityId));
      for (let i = 1; i < flat.length; i++) expect(Date.parse(flat[i - 1]!.receivedAt)).toBeGreaterThanOrEqual(Date.parse(flat[i]!.receivedAt));
      // The same as one page of 50 (the default limit).
      const all = await admin().get<DeliveriesResponse>('/api/activity/deliveries');
      expect(all.body.nextCursor).toBeNull();
      expect(all.body.deliveries.map((d) => d.id)).toEqual(flat.map((d) => d.id));
      // A viewer sees the same list.
      expect((await viewer.get<DeliveriesResponse>('/api/activity/deliveries')).body).toEqual(all.body);
    });

    it('an exact multiple of the limit ends without an empty extra page', async () => {
      const pages = await pagesOf<DeliveryView>(admin(), '/api/activity/deliveries', 'deliveries', { limit: '4' });
      expect(pages.map((page) => page.length)).toEqual([4, 4, 4]);
      const one = await pagesOf<DeliveryView>(admin(), '/api/activity/deliveries', 'deliveries', { limit: '12' });
      expect(one.map((page) => page.length)).toEqual([12]);
    });

    it('the view: scope, event type, entity, outcome, job', async () => {
      const listed = await allDeliveries(admin());
      const pd = listed.find((d) => d.provider === 'pagerduty')!;
      expect(pd).toMatchObject({
        scope: { kind: 'service', id: 'PSVC001', name: 'Checkout API' },
        eventType: 'incident.triggered',
        entity: { type: 'incident', label: '#7 Checkout is slow' },
        outcome: 'processed',
        duplicates: 0,
      });
      const linear = listed.find((d) => d.provider === 'linear' && d.outcome === 'processed')!;
      expect(linear).toMatchObject({ scope: { kind: 'team', name: 'Engineering' }, eventType: 'Issue.create', entity: { type: 'Issue', label: 'ENG-99 Hand-made issue' } });
      expect(Object.keys(linear).sort()).toEqual(['duplicates', 'entity', 'eventType', 'id', 'jobId', 'linkId', 'outcome', 'outcomeDetail', 'provider', 'receivedAt', 'scope']);
      expect(linear.linkId).toBeNull(); // no rule: no link
      // The raw body is not part of the list.
      expect(JSON.stringify(listed)).not.toContain('webhookTimestamp');
    });

    it('filters: provider, outcome, and both, also paged', async () => {
      const linear = await allDeliveries(admin(), 'provider=linear');
      expect(linear.map((d) => d.entity.id)).toEqual([...sent].reverse().filter((s) => s.provider === 'linear').map((s) => s.entityId));
      const pd = await allDeliveries(admin(), 'provider=pagerduty');
      expect(pd).toHaveLength(5);
      expect(pd.every((d) => d.provider === 'pagerduty')).toBe(true);
      const ignored = await allDeliveries(admin(), 'outcome=ignored');
      expect(ignored.map((d) => d.entity.id).sort()).toEqual(sent.filter((s) => s.ignored).map((s) => s.entityId).sort());
      expect(ignored.every((d) => (d.outcomeDetail ?? '').includes('another Linear workspace'))).toBe(true);
      expect(await allDeliveries(admin(), 'outcome=processed')).toHaveLength(10);
      expect(await allDeliveries(admin(), 'outcome=received')).toEqual([]);
      expect(await allDeliveries(admin(), 'outcome=failed')).toEqual([]);
      expect(await allDeliveries(admin(), 'provider=pagerduty&outcome=ignored')).toEqual([]);
      expect(await allDeliveries(admin(), 'provider=linear&outcome=processed')).toHaveLength(5);
      const paged = await pagesOf<DeliveryView>(admin(), '/api/activity/deliveries', 'deliveries', { provider: 'linear', limit: '3' });
      expect(paged.map((page) => page.length)).toEqual([3, 3, 1]);
      expect(paged.flat().map((d) => d.id)).toEqual(linear.map((d) => d.id));
    });

    it('bad input → 400 invalid_query: a forged or foreign cursor, limits out of range, unknown values and parameters', async () => {
      const jobsCursor = (await admin().get<JobsResponse>('/api/activity/jobs?limit=1')).body.nextCursor!;
      const bad = [
        'cursor=not-a-cursor',
        `cursor=${Buffer.from('{"a":1}').toString('base64url')}`,
        `cursor=${Buffer.from('[1,2,3]').toString('base64url')}`,
        `cursor=${Buffer.from('["x","y"]').toString('base64url')}`,
        `cursor=${jobsCursor}`,
        'cursor=',
        'limit=0',
        'limit=101',
        'limit=abc',
        'limit=2.5',
        'provider=github',
        'outcome=lost',
        'status=queued',
        'foo=bar',
      ];
      for (const query of bad) {
        const response = await admin().get(`/api/activity/deliveries?${query}`);
        expect(response.status, query).toBe(400);
        expect(response.body.error.code, query).toBe('invalid_query');
      }
      // And nothing leaks on a bad cursor (no 5xx, the list still works).
      expect((await admin().get('/api/activity/deliveries?limit=1')).status).toBe(200);
    });

    it('a cursor with a non-integer number → 400 invalid_query, on every database (deliveries and jobs)', async () => {
      const forged = (json: string) => Buffer.from(json).toString('base64url');
      const cases = [
        ['deliveries', forged('[1.5,"dlv_x"]')],
        ['deliveries', forged('[1e400,"dlv_x"]')],
        ['jobs', forged('[1.5]')],
        ['jobs', forged('[1e400]')],
      ] as const;
      const answers = [];
      for (const [list, cursor] of cases) {
        const response = await admin().get(`/api/activity/${list}?cursor=${cursor}`);
        answers.push(`${list} ${Buffer.from(cursor, 'base64url').toString()} → ${response.status} ${response.body?.error?.code ?? ''}`.trim());
      }
      expect(answers).toEqual(cases.map(([list, cursor]) => `${list} ${Buffer.from(cursor, 'base64url').toString()} → 400 invalid_query`));
    });
  });

  describe('GET /api/activity/jobs', () => {
    it('one job per delivery; limit=5 → three pages, no overlap, newest first', async () => {
      const deliveries = await allDeliveries(admin());
      const pages = await pagesOf<JobView>(admin(), '/api/activity/jobs', 'jobs', { limit: '5' });
      expect(pages.map((page) => page.length)).toEqual([5, 5, 2]);
      const flat = pages.flat();
      expect(new Set(flat.map((job) => job.id)).size).toBe(12);
      // Deliveries and their jobs are created together, so the orders match.
      expect(flat.map((job) => job.id)).toEqual(deliveries.map((d) => d.jobId));
      for (const job of flat) {
        expect(job).toMatchObject({ kind: PROCESS_DELIVERY_KIND, status: 'succeeded', attempts: 1, maxAttempts: 10, nextRunAt: null, lastError: null });
        expect(job.finishedAt).not.toBeNull();
      }
      expect((await viewer.get<JobsResponse>('/api/activity/jobs')).body.jobs.map((j) => j.id)).toEqual(flat.map((j) => j.id));
    });

    it('filters: status and kind', async () => {
      expect(await allJobs(admin(), 'status=succeeded')).toHaveLength(12);
      expect(await allJobs(admin(), 'status=queued')).toEqual([]);
      expect(await allJobs(admin(), 'status=dead')).toEqual([]);
      expect(await allJobs(admin(), `kind=${PROCESS_DELIVERY_KIND}`)).toHaveLength(12);
      expect(await allJobs(admin(), 'kind=pagerduty.create_incident')).toEqual([]);
      expect(await allJobs(admin(), `kind=${PROCESS_DELIVERY_KIND}&status=running`)).toEqual([]);
      const paged = await pagesOf<JobView>(admin(), '/api/activity/jobs', 'jobs', { status: 'succeeded', limit: '7' });
      expect(paged.map((page) => page.length)).toEqual([7, 5]);
    });

    it('bad input → 400 invalid_query', async () => {
      const deliveriesCursor = (await admin().get<DeliveriesResponse>('/api/activity/deliveries?limit=1')).body.nextCursor!;
      for (const query of ['cursor=garbage', `cursor=${deliveriesCursor}`, `cursor=${Buffer.from('["1"]').toString('base64url')}`, 'limit=0', 'limit=101', 'status=failed', 'kind=', 'provider=linear']) {
        const response = await admin().get(`/api/activity/jobs?${query}`);
        expect(response.status, query).toBe(400);
        expect(response.body.error.code, query).toBe('invalid_query');
      }
    });
  });

  describe('replaying a dead job', () => {
    /**
     * How a delivery job dies in this release: its handler only reads and writes the hub's own
     * database (a Disconnected connection defers it without using attempts), so it dies either
     * after ten failed attempts (≈ an hour of backoff: database trouble) or when the worker running
     * its last attempt stops before finishing (a crash or kill -9 mid-run). The second is set up
     * here: the job row is left as a crashed worker leaves it (running, its lease expired, no
     * attempts left) and the delivery not yet processed; the hub's own worker then buries it
     * (queue/jobs-repository.ts buryAbandonedJobs) — the dead state is the hub's doing.
     */
    async function deadDeliveryJob(): Promise<{ delivery: DeliveryView; jobId: string }> {
      const payload = pagerdutyPayload();
      const entityId = ((payload.event as any).data as { id: string }).id;
      expect((await sendPagerDuty(env.hub, pdEndpoint, pdSecret, payload)).status).toBe(200);
      const delivery = await deliveryWhere(admin(), 'the delivery to kill', (d) => d.entity.id === entityId && d.outcome === 'processed');
      const jobId = delivery.jobId!;
      const db = env.hub.database.db;
      const now = Date.now();
      await db.updateTable('webhook_deliveries').set({ outcome: 'received', outcome_detail: null, processed_at: null }).where('id', '=', delivery.id).execute();
      await db
        .updateTable('jobs')
        .set((eb) => ({ status: 'running', locked_by: 'wrk_crashed', locked_until: now - 1_000, attempts: eb.ref('max_attempts'), finished_at: null, updated_at: now - 60_000 }))
        .where('id', '=', jobId)
        .execute();
      env.hub.hub.deps.queue.wake();
      await until('the worker buried the abandoned job', async () => (await jobRow(env.hub, jobId)).status === 'dead');
      return { delivery, jobId };
    }

    it('a delivery whose job is buried (worker died on the last attempt) is marked failed', async () => {
      const { delivery } = await deadDeliveryJob();
      const outcome = async () => (await allDeliveries(admin())).find((d) => d.id === delivery.id)!;
      await until('the delivery leaves received', async () => (await outcome()).outcome !== 'received', 1_500).catch(() => undefined);
      const now = await outcome();
      expect(now.outcome).toBe('failed');
      expect(now.outcomeDetail).toMatch(/gave up|stopped before finishing/);
    });

    it('dead → listed with its error; a viewer may not replay (403); the admin’s replay runs it again (succeeded, processed)', async () => {
      const { delivery, jobId } = await deadDeliveryJob();
      const dead = (await allJobs(admin(), 'status=dead')).map((job) => job.id);
      expect(dead).toContain(jobId);
      const view = (await allJobs(admin())).find((job) => job.id === jobId)!;
      expect(view).toMatchObject({ status: 'dead', attempts: 10, nextRunAt: null });
      expect(view.lastError).toMatch(/stopped before finishing/);
      expect(view.finishedAt).not.toBeNull();

      const refused = await viewer.post(`/api/activity/jobs/${jobId}/replay`);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
      expect((await jobRow(env.hub, jobId)).status).toBe('dead');

      const replayed = await admin().post<{ job: JobView }>(`/api/activity/jobs/${jobId}/replay`);
      expect(replayed.status, replayed.text).toBe(200);
      expect(replayed.body.job).toMatchObject({ id: jobId, kind: PROCESS_DELIVERY_KIND, status: 'queued', attempts: 0, finishedAt: null });
      expect(replayed.body.job.nextRunAt).not.toBeNull();

      const ran = await until('the replayed job succeeded', async () => {
        const row = await jobRow(env.hub, jobId);
        return row.status === 'succeeded' ? row : undefined;
      });
      expect(ran).toMatchObject({ attempts: 1, last_error: null, locked_by: null });
      const processed = await deliveryWhere(admin(), 'the delivery processed by the replay', (d) => d.id === delivery.id && d.outcome === 'processed');
      expect(processed.outcomeDetail).toMatch(/service Checkout API/);
      expect((await allJobs(admin(), 'status=dead')).map((job) => job.id)).not.toContain(jobId);

      // Now it is not dead: replaying again → 409 job_not_dead, nothing changes.
      const again = await admin().post(`/api/activity/jobs/${jobId}/replay`);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('job_not_dead');
      expect(again.body.error.message).toMatch(/succeeded/);
      expect((await jobRow(env.hub, jobId)).status).toBe('succeeded');
    });

    it('replaying a queued job → 409 job_not_dead; an unknown job → 404', async () => {
      const db = env.hub.database.db;
      // A job that waits (a Disconnected connection's delivery looks like this): queued, later.
      const jobId = (await allJobs(admin()))[0]!.id;
      const original = await jobRow(env.hub, jobId);
      await db.updateTable('jobs').set({ status: 'queued', run_at: Date.now() + 3_600_000, finished_at: null }).where('id', '=', jobId).execute();
      try {
        const response = await admin().post(`/api/activity/jobs/${jobId}/replay`);
        expect(response.status).toBe(409);
        expect(response.body.error.code).toBe('job_not_dead');
        expect((await jobRow(env.hub, jobId)).run_at).toBeGreaterThan(Date.now() + 3_000_000);
      } finally {
        await db.updateTable('jobs').set({ status: original.status, run_at: original.run_at, finished_at: original.finished_at }).where('id', '=', jobId).execute();
      }
      const unknown = await admin().post('/api/activity/jobs/job_doesnotexist/replay');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('not_found');
      const noQuery = await admin().post(`/api/activity/jobs/${jobId}/replay?force=1`);
      expect(noQuery.status).toBe(400);
    });
  });
});

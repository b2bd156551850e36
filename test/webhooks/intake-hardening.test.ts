import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { LinearWebhookView } from '../../src/api/index.js';
import type { Endpoint } from '../../src/webhooks/endpoints-repository.js';
import { testDialects } from '../helpers/databases.js';
import {
  createTeamWebhook,
  deliveryWhere,
  ENG_TEAM,
  ensureCheckoutSubscription,
  hmacHex,
  intakeRowCounts,
  jobRow,
  linearPayload,
  pagerdutyPayload,
  postIntake,
  sendLinear,
  sendPagerDuty,
  signingSecret,
  startConnectedHub,
  until,
  webhooksOf,
  type ConnectedHub,
} from './fixture.js';

/**
 * Issue 14, items 3, 6, 7 and 10 (Content-Type): a signed, well-formed delivery is stored on
 * both databases whatever it contains (NUL, 100 KB ids); replays under a new unsigned delivery
 * id are recognised; refused noise neither writes to the database nor marks a webhook Failing
 * unless it is sustained; an empty or absent Content-Type does not matter.
 * The hub runs on a ManualClock, so Linear deliveries are signed with the hub's time.
 */
describe.each(testDialects())('intake hardening on %s', (dialect) => {
  const clock = new ManualClock(Date.now());
  let env: ConnectedHub;
  let linearHook: LinearWebhookView;
  let pdSub: Endpoint;
  let linearSecret: string;
  let pdSecret: string;
  const admin = () => env.org.admin;
  const linearNow = (overrides: Record<string, unknown> = {}) => linearPayload({ webhookTimestamp: clock.now(), ...overrides });
  const entityOf = (payload: Record<string, unknown>) => (payload.data as { id: string }).id;
  const jobsInLane = (lane: string) => env.hub.database.db.selectFrom('jobs').select('id').where('lane', '=', lane).execute();
  const endpointRow = (id: string) => env.hub.database.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const engineering = async () => (await webhooksOf(admin())).linear.teams.find((row) => row.team.id === ENG_TEAM)!.webhook!;
  const deliveriesCounted = async (outcome: string) => {
    const { values } = await env.hub.hub.deps.metrics.webhookDeliveries.get();
    return values.find((value) => value.labels.outcome === outcome)?.value ?? 0;
  };

  beforeAll(async () => {
    // The tests move the clock by minutes: no scheduled job (e.g. webhook repair, which records
    // each webhook's status) may come due meanwhile and write the rows they compare.
    env = await startConnectedHub(dialect, { CONNECTION_CHECK_INTERVAL_SECONDS: '0', RECONCILE_INTERVAL_SECONDS: '86400' }, { clock });
    linearHook = await createTeamWebhook(admin());
    pdSub = await ensureCheckoutSubscription(env);
    linearSecret = (await signingSecret(env.hub, env.org.organisationId, linearHook.id))!;
    pdSecret = (await signingSecret(env.hub, env.org.organisationId, pdSub.id))!;
  });
  afterAll(async () => env?.close());

  describe('content a database could refuse (item 3)', () => {
    it('a Linear issue titled with a NUL character → 200, stored (NUL shown as U+FFFD), processed', async () => {
      const payload = linearNow();
      (payload.data as Record<string, unknown>).title = 'Checkout\u0000down';
      const answer = await sendLinear(env.hub, linearHook.id, linearSecret, payload);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body).toEqual({ received: true });
      const delivery = await deliveryWhere(admin(), 'the NUL delivery processed', (d) => d.entity.id === entityOf(payload) && d.outcome === 'processed');
      expect(delivery.entity.label).toBe('ENG-99 Checkout\uFFFDdown');
      // The body is kept byte for byte (the escaped NUL included): its signature still verifies.
      const row = await env.hub.database.db.selectFrom('webhook_deliveries').select('body').where('id', '=', delivery.id).executeTakeFirstOrThrow();
      expect(hmacHex(linearSecret, row.body)).toBe(hmacHex(linearSecret, JSON.stringify(payload)));
    });

    it('a Linear delivery whose entity id is 100 KB → 200, stored with a bounded lane and id, processed', async () => {
      const longId = randomBytes(50_000).toString('hex');
      const payload = linearNow({ data: { ...(linearNow().data as object), id: longId } });
      const answer = await sendLinear(env.hub, linearHook.id, linearSecret, payload);
      expect(answer.status, answer.text).toBe(200);
      const delivery = await deliveryWhere(admin(), 'the long-id delivery processed', (d) => d.entity.id.startsWith('sha256:') && d.outcome === 'processed');
      expect(delivery.entity.id).toMatch(/^sha256:[0-9a-f]{64}$/);
      // The handler marks the delivery processed just before the worker records the job succeeded.
      const job = await until('the job recorded succeeded', async () => {
        const row = await jobRow(env.hub, delivery.jobId!);
        return row.status === 'succeeded' ? row : undefined;
      });
      expect(job.lane).toBe(`linear:issue:${delivery.entity.id}`);
    });

    it('a PagerDuty incident with a 100 KB id, type and event id → 200, stored with bounded keys', async () => {
      const incidentId = randomBytes(50_000).toString('hex');
      const payload = pagerdutyPayload({ incidentId, eventId: randomBytes(50_000).toString('hex') });
      const answer = await sendPagerDuty(env.hub, pdSub.id, pdSecret, payload, { webhookId: randomBytes(4_000).toString('hex') });
      expect(answer.status, answer.text).toBe(200);
      const row = await env.hub.database.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', pdSub.id).orderBy('received_at', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(row.entity_id).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(row.external_id).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(row.replay_key).toMatch(/^event:sha256:[0-9a-f]{64}$/);
      expect((await jobRow(env.hub, row.job_id!)).lane).toBe(`pagerduty:incident:${row.entity_id}`);
    });

    it('two distinct long delivery and entity ids sharing a 200-character prefix are two deliveries, in two lanes', async () => {
      const prefix = 'x'.repeat(200);
      const first = linearNow({ data: { ...(linearNow().data as object), id: `${prefix}-first` } });
      const second = linearNow({ data: { ...(linearNow().data as object), id: `${prefix}-second` } });
      const answers = [
        await sendLinear(env.hub, linearHook.id, linearSecret, first, { deliveryId: `${prefix}-first` }),
        await sendLinear(env.hub, linearHook.id, linearSecret, second, { deliveryId: `${prefix}-second` }),
      ];
      expect(answers.map((a) => a.body)).toEqual([{ received: true }, { received: true }]);
      // The only deliveries of this webhook whose delivery id was long enough to be hashed.
      const rows = await env.hub.database.db
        .selectFrom('webhook_deliveries')
        .select(['external_id', 'entity_id', 'job_id'])
        .where('endpoint_id', '=', linearHook.id)
        .where('external_id', 'like', 'sha256:%')
        .execute();
      expect(rows).toHaveLength(2);
      expect(new Set(rows.map((row) => row.external_id)).size).toBe(2);
      expect(new Set(rows.map((row) => row.entity_id)).size).toBe(2);
      const lanes = await Promise.all(rows.map(async (row) => (await jobRow(env.hub, row.job_id!)).lane));
      expect(new Set(lanes).size).toBe(2);
    });

    it('a correctly signed body that is not valid UTF-8 → 400 invalid_delivery (stored text could not be byte-exact)', async () => {
      const before = await intakeRowCounts(env.hub);
      const json = Buffer.from(JSON.stringify(linearNow()));
      const body = Buffer.concat([json.subarray(0, 20), Buffer.from([0xff, 0xfe]), json.subarray(20)]);
      const answer = await postIntake(env.hub, `/webhooks/linear/${linearHook.id}`, body, {
        'content-type': 'application/json',
        'linear-delivery': randomUUID(),
        'linear-signature': hmacHex(linearSecret, body),
      });
      expect(answer.status, answer.text).toBe(400);
      expect(answer.body.error).toMatchObject({ code: 'invalid_delivery', message: 'The body is not valid UTF-8.' });
      expect(await intakeRowCounts(env.hub)).toEqual(before);
    });
  });

  describe('replays (item 6)', () => {
    it('Linear: the same signed bytes resent within 60 s under a new Linear-Delivery → 200 duplicate, one job', async () => {
      const payload = linearNow();
      const body = JSON.stringify(payload);
      const replays = await deliveriesCounted('replay');
      expect((await sendLinear(env.hub, linearHook.id, linearSecret, body)).body).toEqual({ received: true });
      clock.advance(30_000);
      const replay = await sendLinear(env.hub, linearHook.id, linearSecret, body, { deliveryId: randomUUID() });
      expect(replay.status, replay.text).toBe(200);
      expect(replay.body).toEqual({ received: true, duplicate: true });
      const delivery = await deliveryWhere(admin(), 'the replayed delivery', (d) => d.entity.id === entityOf(payload));
      expect(delivery.duplicates).toBe(1);
      expect(await jobsInLane(`linear:issue:${entityOf(payload)}`)).toHaveLength(1);
      expect(await deliveriesCounted('replay')).toBe(replays + 1);
      // After the window the same bytes are refused as stale (the timestamp is signed).
      clock.advance(31_000);
      expect((await sendLinear(env.hub, linearHook.id, linearSecret, body, { deliveryId: randomUUID() })).status).toBe(401);
    });

    it('Linear: a genuine retry (same Linear-Delivery, re-signed with a fresh timestamp) → duplicate', async () => {
      const deliveryId = randomUUID();
      const payload = linearNow();
      expect((await sendLinear(env.hub, linearHook.id, linearSecret, payload, { deliveryId })).body).toEqual({ received: true });
      clock.advance(5_000);
      const retry = { ...payload, webhookTimestamp: clock.now() };
      expect((await sendLinear(env.hub, linearHook.id, linearSecret, retry, { deliveryId })).body).toEqual({ received: true, duplicate: true });
      expect(await jobsInLane(`linear:issue:${entityOf(payload)}`)).toHaveLength(1);
    });

    it('PagerDuty: the same signed delivery under a new X-Webhook-Id (even much later) → 200 duplicate, one job', async () => {
      const incidentId = `PRPL${randomUUID().slice(0, 6).toUpperCase()}`;
      const body = JSON.stringify(pagerdutyPayload({ incidentId }));
      expect((await sendPagerDuty(env.hub, pdSub.id, pdSecret, body, { webhookId: randomUUID() })).body).toEqual({ received: true });
      clock.advance(3_600_000);
      const replay = await sendPagerDuty(env.hub, pdSub.id, pdSecret, body, { webhookId: randomUUID() });
      expect(replay.body).toEqual({ received: true, duplicate: true });
      // Re-serialised but the same signed event.id: still the same event.
      const reformatted = JSON.stringify(JSON.parse(body), null, 2);
      expect((await sendPagerDuty(env.hub, pdSub.id, pdSecret, reformatted, { webhookId: randomUUID() })).body).toEqual({ received: true, duplicate: true });
      expect(await jobsInLane(`pagerduty:incident:${incidentId}`)).toHaveLength(1);
    });
  });

  describe('Content-Type (item 10)', () => {
    it('a signed delivery with an empty, absent or malformed Content-Type → 200', async () => {
      for (const contentType of ['', undefined, 'garbage', ';']) {
        const body = Buffer.from(JSON.stringify(linearNow()));
        const headers: Record<string, string> = { 'linear-delivery': randomUUID(), 'linear-signature': hmacHex(linearSecret, body) };
        if (contentType !== undefined) headers['content-type'] = contentType;
        const answer = await postIntake(env.hub, `/webhooks/linear/${linearHook.id}`, body, headers);
        expect(answer.status, `${JSON.stringify(contentType)}: ${answer.text}`).toBe(200);
        expect(answer.body).toEqual({ received: true });
      }
    });
  });

  describe('Failing from refusals (item 7)', () => {
    const unsigned = () => postIntake(env.hub, `/webhooks/linear/${linearHook.id}`, JSON.stringify(linearNow()), { 'content-type': 'application/json' });

    it('one unsigned POST → 401, the webhook stays Active and its row is not written', async () => {
      clock.advance(60_000); // later than every delivery accepted above
      const before = await endpointRow(linearHook.id);
      const answer = await unsigned();
      expect(answer.status, answer.text).toBe(401);
      expect(answer.body.error.code).toBe('signature_missing');
      expect(await endpointRow(linearHook.id)).toEqual(before);
      expect((await engineering()).status).toBe('active');
    });

    it('a sustained pattern (5 refusals over 5 minutes, none accepted) → Failing with one write; an accepted delivery clears it', async () => {
      // The refusal of the test above is the first of the five.
      const before = await endpointRow(linearHook.id);
      for (let i = 0; i < 3; i++) {
        clock.advance(90_000);
        expect((await unsigned()).status).toBe(401);
      }
      expect(await endpointRow(linearHook.id)).toEqual(before);
      expect((await engineering()).status).toBe('active');
      clock.advance(90_000);
      // Signed but stale: counted like any refusal, and named as the latest reason.
      expect((await sendLinear(env.hub, linearHook.id, linearSecret, linearNow({ webhookTimestamp: clock.now() - 120_000 }))).status).toBe(401);
      const failing = await engineering();
      expect(failing.status).toBe('failing');
      expect(failing.statusDetail).toMatch(/5 requests refused since .*older \(or newer\) than 60 seconds/);
      const marked = await endpointRow(linearHook.id);
      expect(marked.last_refused_at).toBe(clock.now());

      // More refusals within the next 5 minutes write nothing more.
      clock.advance(60_000);
      expect((await unsigned()).status).toBe(401);
      expect(await endpointRow(linearHook.id)).toEqual(marked);

      const accepted = await sendLinear(env.hub, linearHook.id, linearSecret, linearNow());
      expect(accepted.status, accepted.text).toBe(200);
      expect((await engineering()).status).toBe('active');
    });
  });
});

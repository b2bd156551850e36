import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinearWebhookView } from '../../src/api/index.js';
import type { Endpoint } from '../../src/webhooks/endpoints-repository.js';
import { connectProvider, sandboxControl } from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';
import { newOrganisation, type OrganisationAdmin } from '../connections/fixture.js';
import {
  allDeliveries,
  allJobs,
  CHECKOUT,
  createIssueInLinear,
  createTeamWebhook,
  deliveryWhere,
  ENG_TEAM,
  ensureCheckoutSubscription,
  ensureSubscription,
  hmacHex,
  intakeRowCounts,
  finishedJob,
  jobRow,
  linearPayload,
  pagerdutyPayload,
  postIntake,
  PROCESS_DELIVERY_KIND,
  sendLinear,
  sendPagerDuty,
  signingSecret,
  startConnectedHub,
  triggerIncidentOnPage,
  until,
  type ConnectedHub,
} from './fixture.js';

/**
 * The webhook intake (src/webhooks/intake.ts): real signed deliveries from both stand-ins land
 * and are processed; every refusal (signature, timestamp, malformed body, unknown endpoint,
 * oversize body) is a 4xx that stores nothing; duplicates are absorbed; deliveries that arrive
 * while Linear is Disconnected wait and are processed after a reconnect; tenancy.
 */
describe.each(testDialects())('webhook intake on %s', (dialect) => {
  let env: ConnectedHub;
  let linearHook: LinearWebhookView;
  let pdSub: Endpoint;
  let linearSecret: string;
  let pdSecret: string;
  const admin = () => env.org.admin;
  const linearPath = () => `/webhooks/linear/${linearHook.id}`;
  const pdPath = () => `/webhooks/pagerduty/${pdSub.id}`;

  beforeAll(async () => {
    env = await startConnectedHub(dialect);
    linearHook = await createTeamWebhook(admin());
    pdSub = await ensureCheckoutSubscription(env);
    linearSecret = (await signingSecret(env.hub, env.org.organisationId, linearHook.id))!;
    pdSecret = (await signingSecret(env.hub, env.org.organisationId, pdSub.id))!;
    expect(linearSecret).toBeTruthy();
    expect(pdSecret).toBeTruthy();
  });
  afterAll(async () => env?.close());

  describe('real deliveries from the stand-ins', () => {
    it('the endpoint URLs are the hub’s own, with the endpoint id, and each secret is the one the provider signs with', async () => {
      expect(linearHook.url).toBe(`${env.hub.url}${linearPath()}`);
      const { webhooks } = await sandboxControl<{ webhooks: Array<{ url: string; secret: string; teamId: string }> }>(env.sandbox.linearUrl, 'GET', '/_sandbox/webhooks');
      expect(webhooks).toContainEqual(expect.objectContaining({ url: linearHook.url, teamId: ENG_TEAM, secret: linearSecret }));
      const subscription = env.sandbox.pagerduty.state.subscriptions.get(pdSub.externalId!);
      expect(subscription).toMatchObject({ url: `${env.hub.url}${pdPath()}`, secret: pdSecret });
    });

    it('a Linear issue created in the stand-in → Issue.create for team Engineering, processed within ~2 s', async () => {
      const started = Date.now();
      const issue = await createIssueInLinear(env.sandbox.linearUrl, 'Checkout button does nothing');
      const delivery = await deliveryWhere(admin(), 'the Issue.create delivery processed', (d) => d.entity.id === issue.id && d.outcome === 'processed', 3_000);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(delivery).toMatchObject({
        provider: 'linear',
        scope: { kind: 'team', id: ENG_TEAM, name: 'Engineering' },
        eventType: 'Issue.create',
        entity: { type: 'Issue', id: issue.id },
        duplicates: 0,
      });
      expect(delivery.entity.label).toContain(issue.identifier);
      expect(delivery.outcomeDetail).toMatch(/team Engineering/);
      expect(delivery.jobId).not.toBeNull();
      const job = await finishedJob(env.hub, delivery.jobId!);
      expect(job).toMatchObject({ kind: PROCESS_DELIVERY_KIND, status: 'succeeded', attempts: 1, organisation_id: env.org.organisationId, lane: `linear:issue:${issue.id}` });
      // The stand-in saw a 2xx.
      const { deliveries } = await sandboxControl<{ deliveries: Array<{ url: string; status?: number; outcome: string; requestBody: string }> }>(
        env.sandbox.linearUrl,
        'GET',
        '/_sandbox/deliveries?waitIdleMs=2000',
      );
      const mine = deliveries.filter((d) => d.requestBody.includes(issue.id));
      expect(mine.map((d) => [d.status, d.outcome])).toEqual([[200, 'delivered']]);
      // GET /api/webhooks shows the last delivery time.
      const view = (await admin().get('/api/webhooks')).body.linear.teams.find((row: any) => row.team.id === ENG_TEAM).webhook;
      expect(view.lastDeliveryAt).not.toBeNull();
    });

    it('a comment on that issue → Comment.create, in the issue’s lane, labelled with the issue', async () => {
      const issue = await createIssueInLinear(env.sandbox.linearUrl, 'Needs a comment');
      const response = await fetch(`${env.sandbox.linearUrl}/_sandbox/ui/issues/${issue.id}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ as: 'max@acme.example', body: 'Seen it too' }),
      });
      expect(response.status).toBe(200);
      const comment = ((await response.json()) as { comment: { id: string } }).comment;
      const delivery = await deliveryWhere(admin(), 'the Comment.create delivery', (d) => d.entity.id === comment.id && d.outcome === 'processed');
      expect(delivery).toMatchObject({ eventType: 'Comment.create', entity: { type: 'Comment', label: `Comment on ${issue.identifier}` }, scope: { name: 'Engineering' } });
      expect((await jobRow(env.hub, delivery.jobId!)).lane).toBe(`linear:issue:${issue.id}`);
    });

    it('a PagerDuty incident triggered on PSVC001 → incident.triggered for service Checkout API, processed', async () => {
      const incidentId = await triggerIncidentOnPage(env.sandbox.pagerdutyUrl, 'Checkout API returns 502');
      const delivery = await deliveryWhere(admin(), 'the incident.triggered delivery processed', (d) => d.entity.id === incidentId && d.outcome === 'processed', 3_000);
      expect(delivery).toMatchObject({
        provider: 'pagerduty',
        scope: { kind: 'service', id: CHECKOUT.id, name: CHECKOUT.name },
        eventType: 'incident.triggered',
        entity: { type: 'incident', id: incidentId },
        duplicates: 0,
      });
      expect(delivery.entity.label).toMatch(/^#\d+ /);
      expect(delivery.outcomeDetail).toMatch(/service Checkout API/);
      const job = await finishedJob(env.hub, delivery.jobId!);
      expect(job).toMatchObject({ status: 'succeeded', lane: `pagerduty:incident:${incidentId}` });
    });
  });

  describe('refusals: 4xx, and nothing stored', () => {
    let before: { deliveries: number; jobs: number };
    const refusedEntityIds: string[] = [];
    /** A Linear payload whose entity id is remembered, so the final check can look for it. */
    const tracked = (overrides: Record<string, unknown> = {}) => {
      const payload = linearPayload(overrides);
      refusedEntityIds.push((payload.data as { id: string }).id);
      return payload;
    };
    const trackedPd = () => {
      const incidentId = `PREF${randomUUID().slice(0, 8).toUpperCase()}`;
      refusedEntityIds.push(incidentId);
      return pagerdutyPayload({ incidentId });
    };
    const expectRefused = (answer: { status: number; body: any; text: string }, status: number, code?: string) => {
      expect(answer.status, answer.text).toBe(status);
      if (code !== undefined) expect(answer.body?.error?.code, answer.text).toBe(code);
    };

    beforeAll(async () => {
      // Let the real deliveries above settle first: their jobs must not be counted as refusals'.
      before = await intakeRowCounts(env.hub);
    });

    it('Linear: no Linear-Signature → 401 signature_missing (also an empty one)', async () => {
      expectRefused(await sendLinear(env.hub, linearHook.id, linearSecret, tracked(), { headers: { 'linear-signature': undefined } }), 401, 'signature_missing');
      expectRefused(await sendLinear(env.hub, linearHook.id, linearSecret, tracked(), { headers: { 'linear-signature': '' } }), 401, 'signature_missing');
    });

    it('Linear: a signature made with another secret → 401 signature_invalid', async () => {
      const payload = JSON.stringify(tracked());
      const answer = await sendLinear(env.hub, linearHook.id, linearSecret, payload, { headers: { 'linear-signature': hmacHex('not-the-secret', payload) } });
      expectRefused(answer, 401, 'signature_invalid');
    });

    it('Linear: the signature of a different body (tampered in transit) → 401 signature_invalid', async () => {
      const signed = JSON.stringify(tracked({ action: 'create' }));
      const sent = JSON.stringify(tracked({ action: 'remove' }));
      expectRefused(await sendLinear(env.hub, linearHook.id, linearSecret, sent, { headers: { 'linear-signature': hmacHex(linearSecret, signed) } }), 401, 'signature_invalid');
      // One byte more than signed (trailing newline) is a different body too.
      const body = JSON.stringify(tracked());
      expectRefused(await sendLinear(env.hub, linearHook.id, linearSecret, `${body}\n`, { headers: { 'linear-signature': hmacHex(linearSecret, body) } }), 401, 'signature_invalid');
    });

    it('Linear: a signature that is not 64 hex digits (truncated, base64, sha1-sized) → 401 signature_invalid', async () => {
      const body = JSON.stringify(tracked());
      const right = hmacHex(linearSecret, body);
      for (const wrong of [right.slice(0, 63), Buffer.from(right, 'hex').toString('base64'), right.slice(0, 40), `sha256=${right}`]) {
        expectRefused(await sendLinear(env.hub, linearHook.id, linearSecret, body, { headers: { 'linear-signature': wrong } }), 401, 'signature_invalid');
      }
    });

    it('Linear: a correctly signed but stale webhookTimestamp (>60 s old) → 401 timestamp_stale', async () => {
      for (const ageMs of [61_000, 120_000, 24 * 3600_000]) {
        const answer = await sendLinear(env.hub, linearHook.id, linearSecret, tracked({ webhookTimestamp: Date.now() - ageMs }));
        expectRefused(answer, 401, 'timestamp_stale');
      }
    });

    it('Linear: a webhookTimestamp more than 60 s in the future → 401 timestamp_stale', async () => {
      expectRefused(await sendLinear(env.hub, linearHook.id, linearSecret, tracked({ webhookTimestamp: Date.now() + 120_000 })), 401, 'timestamp_stale');
    });

    it('Linear: no webhookTimestamp, or one that is not a number → 401 timestamp_missing', async () => {
      const payload = tracked();
      delete payload.webhookTimestamp;
      expectRefused(await sendLinear(env.hub, linearHook.id, linearSecret, payload), 401, 'timestamp_missing');
      expectRefused(await sendLinear(env.hub, linearHook.id, linearSecret, tracked({ webhookTimestamp: String(Date.now()) })), 401, 'timestamp_missing');
      expectRefused(await sendLinear(env.hub, linearHook.id, linearSecret, tracked({ webhookTimestamp: null })), 401, 'timestamp_missing');
    });

    it('PagerDuty: no X-PagerDuty-Signature → 401 signature_missing; a wrong one → 401 signature_invalid', async () => {
      expectRefused(await sendPagerDuty(env.hub, pdSub.id, pdSecret, trackedPd(), { headers: { 'x-pagerduty-signature': undefined } }), 401, 'signature_missing');
      const body = JSON.stringify(trackedPd());
      expectRefused(await sendPagerDuty(env.hub, pdSub.id, pdSecret, body, { headers: { 'x-pagerduty-signature': `v1=${hmacHex('wrong', body)}` } }), 401, 'signature_invalid');
    });

    it('PagerDuty: only v2= signatures (even of the right HMAC) → 401 signature_invalid', async () => {
      const body = JSON.stringify(trackedPd());
      const right = hmacHex(pdSecret, body);
      expectRefused(await sendPagerDuty(env.hub, pdSub.id, pdSecret, body, { headers: { 'x-pagerduty-signature': `v2=${right}` } }), 401, 'signature_invalid');
      expectRefused(await sendPagerDuty(env.hub, pdSub.id, pdSecret, body, { headers: { 'x-pagerduty-signature': `v2=${right},v0=${right}` } }), 401, 'signature_invalid');
      // The bare hex without the v1= prefix is not a v1 signature either.
      expectRefused(await sendPagerDuty(env.hub, pdSub.id, pdSecret, body, { headers: { 'x-pagerduty-signature': right } }), 401, 'signature_invalid');
    });

    it('PagerDuty: the signature of a different body → 401 signature_invalid', async () => {
      const signed = JSON.stringify(trackedPd());
      const sent = JSON.stringify(trackedPd());
      expectRefused(await sendPagerDuty(env.hub, pdSub.id, pdSecret, sent, { headers: { 'x-pagerduty-signature': `v1=${hmacHex(pdSecret, signed)}` } }), 401, 'signature_invalid');
    });

    it('a Linear signature checked with the PagerDuty endpoint’s secret (endpoints do not share secrets) → 401', async () => {
      const payload = tracked();
      expectRefused(await sendLinear(env.hub, linearHook.id, pdSecret, payload), 401, 'signature_invalid');
    });

    it('correctly signed bodies that are not JSON → 400 invalid_delivery', async () => {
      for (const body of ['not json at all', '{"action":"create",', '[1,2,3]', '"a string"', 'null', '']) {
        expectRefused(await sendLinear(env.hub, linearHook.id, linearSecret, body), 400, 'invalid_delivery');
        expectRefused(await sendPagerDuty(env.hub, pdSub.id, pdSecret, body), 400, 'invalid_delivery');
      }
    });

    it('correctly signed JSON without type/action (Linear) or event/event_type (PagerDuty) → 400 invalid_delivery', async () => {
      for (const drop of ['type', 'action'] as const) {
        const { [drop]: _dropped, ...payload } = tracked();
        expectRefused(await sendLinear(env.hub, linearHook.id, linearSecret, payload), 400, 'invalid_delivery');
      }
      expectRefused(await sendLinear(env.hub, linearHook.id, linearSecret, tracked({ type: '', action: 42 })), 400, 'invalid_delivery');
      expectRefused(await sendPagerDuty(env.hub, pdSub.id, pdSecret, { messages: [] }), 400, 'invalid_delivery');
      expectRefused(await sendPagerDuty(env.hub, pdSub.id, pdSecret, { event: { id: 'x', data: { id: 'PX', type: 'incident' } } }), 400, 'invalid_delivery');
      expectRefused(await sendPagerDuty(env.hub, pdSub.id, pdSecret, { event: 'incident.triggered' }), 400, 'invalid_delivery');
    });

    it('unknown endpoint id, another provider’s endpoint id, or an unknown provider segment → 404', async () => {
      const payload = JSON.stringify(tracked());
      const headers = { 'content-type': 'application/json', 'linear-signature': hmacHex(linearSecret, payload), 'linear-delivery': randomUUID() };
      expectRefused(await postIntake(env.hub, '/webhooks/linear/whk_doesnotexist', payload, headers), 404, 'not_found');
      expectRefused(await postIntake(env.hub, `/webhooks/pagerduty/${linearHook.id}`, payload, headers), 404, 'not_found');
      expectRefused(await postIntake(env.hub, `/webhooks/linear/${pdSub.id}`, payload, headers), 404, 'not_found');
      expectRefused(await postIntake(env.hub, `/webhooks/github/${linearHook.id}`, payload, headers), 404, 'not_found');
      expectRefused(await postIntake(env.hub, `/webhooks/LINEAR/${linearHook.id}`, payload, headers), 404);
      // Only POST is served.
      const get = await fetch(`${env.hub.url}${linearPath()}`);
      expect(get.status).toBeGreaterThanOrEqual(400);
      expect(get.status).toBeLessThan(500);
    });

    it('PagerDuty’s bad_signature delivery fault: the stand-in’s forged delivery is refused with 401 (and PagerDuty drops it)', async () => {
      await sandboxControl(env.sandbox.pagerdutyUrl, 'POST', '/_sandbox/faults', { deliveries: [{ kind: 'bad_signature', count: 1 }] });
      const incidentId = await triggerIncidentOnPage(env.sandbox.pagerdutyUrl, 'Forged delivery');
      refusedEntityIds.push(incidentId);
      const attempts = await until('the stand-in recorded the refused attempt', async () => {
        const { deliveries } = await sandboxControl<{ deliveries: Array<{ status?: number; outcome: string; requestBody: string }> }>(
          env.sandbox.pagerdutyUrl,
          'GET',
          '/_sandbox/deliveries?waitIdleMs=2000',
        );
        const mine = deliveries.filter((d) => d.requestBody.includes(incidentId));
        return mine.length > 0 ? mine : undefined;
      });
      expect(attempts.map((a) => [a.status, a.outcome])).toEqual([[401, 'dropped']]);
      // Back to normal for the next tests (the subscription is not disabled by one drop).
      const sub = env.sandbox.pagerduty.state.subscriptions.get(pdSub.externalId!)!;
      expect(sub.temporarilyDisabled).toBe(false);
      sub.consecutiveDrops = 0;
    });

    it('an endpoint whose secret is not stored yet (a subscription being set up) → 503 webhook_not_ready with Retry-After, so PagerDuty retries', async () => {
      // What ensureServiceSubscription leaves between PagerDuty's answer and storing the secret it returned.
      const db = env.hub.database.db;
      const settingUp = { ...(await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', pdSub.id).executeTakeFirstOrThrow()) };
      Object.assign(settingUp, { id: 'whk_settingup', scope_id: 'PSVC_SETTING_UP', external_id: null, status: 'creating' as const });
      await db.insertInto('webhook_endpoints').values(settingUp).execute();
      try {
        const response = await fetch(`${env.hub.url}/webhooks/pagerduty/whk_settingup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-pagerduty-signature': 'v1=00', 'x-webhook-id': randomUUID() },
          body: JSON.stringify(trackedPd()),
        });
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toBe('5');
        expect((await response.json()).error.code).toBe('webhook_not_ready');
      } finally {
        await db.deleteFrom('webhook_endpoints').where('id', '=', 'whk_settingup').execute();
      }
    });

    it('after all refusals: no delivery row and no job was stored, and none is listed', async () => {
      expect(await intakeRowCounts(env.hub)).toEqual(before);
      const listed = await allDeliveries(admin());
      expect(listed.filter((d) => refusedEntityIds.includes(d.entity.id))).toEqual([]);
      expect(listed).toHaveLength(before.deliveries);
      expect(await allJobs(admin())).toHaveLength(before.jobs);
    });
  });

  describe('oversize bodies', () => {
    it('with WEBHOOK_BODY_LIMIT_BYTES=2048: a correctly signed body of 2049 bytes → 413, 2048 bytes → accepted', async () => {
      const small = await startConnectedHub(dialect, { WEBHOOK_BODY_LIMIT_BYTES: '2048' }, { linear: false });
      try {
        const sub = await ensureSubscription(small.hub, small.org.organisationId);
        const secret = (await signingSecret(small.hub, small.org.organisationId, sub.id))!;
        const sized = (bytes: number) => {
          const payload = pagerdutyPayload() as { event: Record<string, unknown> };
          const base = JSON.stringify({ ...payload, padding: '' });
          const body = JSON.stringify({ ...payload, padding: 'x'.repeat(bytes - Buffer.byteLength(base)) });
          expect(Buffer.byteLength(body)).toBe(bytes);
          return body;
        };
        const tooBig = await sendPagerDuty(small.hub, sub.id, secret, sized(2049));
        expect(tooBig.status, tooBig.text).toBe(413);
        expect(tooBig.body.error.code).toBe('body_too_large');
        const huge = await sendPagerDuty(small.hub, sub.id, secret, sized(200_000));
        expect(huge.status).toBe(413);
        // Refused before anything is looked up: an unknown endpoint gets 413 too, never a 5xx.
        expect((await sendPagerDuty(small.hub, 'whk_nope', secret, sized(4096))).status).toBe(413);
        expect(await intakeRowCounts(small.hub)).toEqual({ deliveries: 0, jobs: 0 });
        const fits = await sendPagerDuty(small.hub, sub.id, secret, sized(2048));
        expect(fits.status, fits.text).toBe(200);
        expect((await intakeRowCounts(small.hub)).deliveries).toBe(1);
      } finally {
        await small.close();
      }
    });
  });

  describe('accepted variants', () => {
    it('PagerDuty: several v1= signatures (a secret rotation), one of them right → 200; order and spaces do not matter', async () => {
      const body = JSON.stringify(pagerdutyPayload());
      const right = hmacHex(pdSecret, body);
      const wrong = hmacHex('previous-secret', body);
      const first = await sendPagerDuty(env.hub, pdSub.id, pdSecret, body, { headers: { 'x-pagerduty-signature': `v1=${wrong},v1=${right}` } });
      expect(first.status, first.text).toBe(200);
      expect(first.body).toEqual({ received: true });
      const body2 = JSON.stringify(pagerdutyPayload());
      const second = await sendPagerDuty(env.hub, pdSub.id, pdSecret, body2, {
        headers: { 'x-pagerduty-signature': `v2=${hmacHex(pdSecret, body2)}, v1=${hmacHex(pdSecret, body2)} , v1=${wrong}` },
      });
      expect(second.status, second.text).toBe(200);
    });

    it('PagerDuty: a real secret rotation at the stand-in (both secrets sign) is still accepted', async () => {
      const rotated = await sandboxControl<{ secret: string; previousSecret: string }>(
        env.sandbox.pagerdutyUrl,
        'POST',
        `/_sandbox/webhook_subscriptions/${pdSub.externalId}/rotate-secret`,
        {},
      );
      try {
        expect(rotated.previousSecret).toBe(pdSecret);
        const incidentId = await triggerIncidentOnPage(env.sandbox.pagerdutyUrl, 'During a rotation');
        const delivery = await deliveryWhere(admin(), 'the delivery signed with two secrets', (d) => d.entity.id === incidentId && d.outcome === 'processed');
        expect(delivery.eventType).toBe('incident.triggered');
      } finally {
        // Put the hub's secret back as the only one (the hub cannot learn a rotated secret).
        const sub = env.sandbox.pagerduty.state.subscriptions.get(pdSub.externalId!)!;
        sub.secret = pdSecret;
        sub.previousSecret = null;
      }
    });

    it('Linear: an upper-case signature and a 50 s old timestamp are accepted', async () => {
      const payload = linearPayload({ webhookTimestamp: Date.now() - 50_000 });
      const body = JSON.stringify(payload);
      const answer = await sendLinear(env.hub, linearHook.id, linearSecret, body, { headers: { 'linear-signature': hmacHex(linearSecret, body).toUpperCase() } });
      expect(answer.status, answer.text).toBe(200);
    });

    it('no Content-Type header: still verified on the raw bytes (a 4xx or 200, never a 5xx)', async () => {
      const counts = await intakeRowCounts(env.hub);
      // Forged without a content type: refused like any forgery.
      const forged = await sendLinear(env.hub, linearHook.id, linearSecret, JSON.stringify(linearPayload()), {
        headers: { 'content-type': undefined, 'linear-signature': hmacHex('wrong', 'x') },
      });
      expect(forged.status, forged.text).toBe(401);
      // Correctly signed without a content type: the raw-body parser takes any (or no) type, the
      // signature verifies, and it is accepted like any other delivery.
      const payload = linearPayload();
      const signed = await sendLinear(env.hub, linearHook.id, linearSecret, payload, { headers: { 'content-type': undefined } });
      expect(signed.status, signed.text).toBe(200);
      await deliveryWhere(admin(), 'the delivery sent without a content type', (d) => d.entity.id === (payload.data as { id: string }).id && d.outcome === 'processed');
      expect((await intakeRowCounts(env.hub)).deliveries).toBe(counts.deliveries + 1);
      // Other content types (form, text) are not parsed either: the signature is what counts.
      const asText = await sendLinear(env.hub, linearHook.id, linearSecret, linearPayload(), { headers: { 'content-type': 'text/plain' } });
      expect(asText.status, asText.text).toBe(200);
      const asForm = await sendLinear(env.hub, linearHook.id, linearSecret, linearPayload(), { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(asForm.status, asForm.text).toBe(200);
    });
  });

  describe('duplicates', () => {
    it('Linear: the same signed body with the same Linear-Delivery 5 times at once → one delivery (duplicates 4), one job', async () => {
      const payload = linearPayload();
      const deliveryId = randomUUID();
      const answers = await Promise.all(Array.from({ length: 5 }, () => sendLinear(env.hub, linearHook.id, linearSecret, payload, { deliveryId })));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      expect(answers.filter((a) => a.body.duplicate === true)).toHaveLength(4);
      expect(answers.filter((a) => a.body.duplicate === undefined)).toHaveLength(1);
      const entityId = (payload.data as { id: string }).id;
      const delivery = await deliveryWhere(admin(), 'the deduplicated delivery processed', (d) => d.entity.id === entityId && d.outcome === 'processed');
      expect(delivery.duplicates).toBe(4);
      expect((await allDeliveries(admin())).filter((d) => d.entity.id === entityId)).toHaveLength(1);
      const rows = await env.hub.database.db.selectFrom('jobs').select(['id']).where('lane', '=', `linear:issue:${entityId}`).execute();
      expect(rows.map((row) => row.id)).toEqual([delivery.jobId]);
    });

    it('Linear: the same Linear-Delivery sent again later (a retry, re-signed with a new timestamp) → still one delivery', async () => {
      const deliveryId = randomUUID();
      const first = linearPayload();
      const entityId = (first.data as { id: string }).id;
      expect((await sendLinear(env.hub, linearHook.id, linearSecret, first, { deliveryId })).body).toEqual({ received: true });
      const retry = { ...first, webhookTimestamp: Date.now() + 5 };
      for (let i = 0; i < 2; i++) {
        expect((await sendLinear(env.hub, linearHook.id, linearSecret, retry, { deliveryId })).body).toEqual({ received: true, duplicate: true });
      }
      const delivery = await deliveryWhere(admin(), 'the retried delivery', (d) => d.entity.id === entityId && d.outcome === 'processed');
      expect(delivery.duplicates).toBe(2);
    });

    it('PagerDuty: the same X-Webhook-Id 5 times (2 in a row, then 3 at once) → one delivery (duplicates 4), one job', async () => {
      const incidentId = `PDUP${randomUUID().slice(0, 6).toUpperCase()}`;
      const payload = pagerdutyPayload({ incidentId });
      const webhookId = randomUUID();
      const sequential = [];
      for (let i = 0; i < 2; i++) sequential.push(await sendPagerDuty(env.hub, pdSub.id, pdSecret, payload, { webhookId }));
      const concurrent = await Promise.all(Array.from({ length: 3 }, () => sendPagerDuty(env.hub, pdSub.id, pdSecret, payload, { webhookId })));
      const answers = [...sequential, ...concurrent];
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      expect(answers[0]!.body).toEqual({ received: true });
      expect(answers.slice(1).every((a) => a.body.duplicate === true)).toBe(true);
      const delivery = await deliveryWhere(admin(), 'the deduplicated PagerDuty delivery', (d) => d.entity.id === incidentId && d.outcome === 'processed');
      expect(delivery.duplicates).toBe(4);
      const jobs = await env.hub.database.db.selectFrom('jobs').select('id').where('lane', '=', `pagerduty:incident:${incidentId}`).execute();
      expect(jobs).toHaveLength(1);
    });

    it('PagerDuty without X-Webhook-Id: the event id deduplicates', async () => {
      const incidentId = `PEVT${randomUUID().slice(0, 6).toUpperCase()}`;
      const payload = pagerdutyPayload({ incidentId, eventId: randomUUID() });
      for (let i = 0; i < 3; i++) {
        const answer = await sendPagerDuty(env.hub, pdSub.id, pdSecret, payload, { headers: { 'x-webhook-id': undefined } });
        expect(answer.status).toBe(200);
      }
      const delivery = await deliveryWhere(admin(), 'the event-id deduplicated delivery', (d) => d.entity.id === incidentId);
      expect(delivery.duplicates).toBe(2);
    });

    it('an empty Linear-Delivery / X-Webhook-Id is treated like a missing one (two different deliveries are two)', async () => {
      const linearAnswers = [];
      for (let i = 0; i < 2; i++) linearAnswers.push((await sendLinear(env.hub, linearHook.id, linearSecret, linearPayload(), { headers: { 'linear-delivery': '' } })).body);
      const pdAnswers = [];
      for (let i = 0; i < 2; i++) pdAnswers.push((await sendPagerDuty(env.hub, pdSub.id, pdSecret, pagerdutyPayload(), { headers: { 'x-webhook-id': '' } })).body);
      expect({ linear: linearAnswers, pagerduty: pdAnswers }).toEqual({
        linear: [{ received: true }, { received: true }],
        pagerduty: [{ received: true }, { received: true }],
      });
    });

    it('a missing Linear-Delivery falls back to the body: the same bytes twice are one delivery, different bytes two', async () => {
      const payload = linearPayload();
      const first = await sendLinear(env.hub, linearHook.id, linearSecret, payload, { headers: { 'linear-delivery': undefined } });
      const second = await sendLinear(env.hub, linearHook.id, linearSecret, payload, { headers: { 'linear-delivery': undefined } });
      const other = await sendLinear(env.hub, linearHook.id, linearSecret, linearPayload(), { headers: { 'linear-delivery': undefined } });
      expect([first.body, second.body, other.body]).toEqual([{ received: true }, { received: true, duplicate: true }, { received: true }]);
    });

    it('the same delivery id at two different endpoints is two deliveries (deduplication is per endpoint)', async () => {
      const sharedId = randomUUID();
      const incidentId = `PTWO${randomUUID().slice(0, 6).toUpperCase()}`;
      const linear = linearPayload();
      expect((await sendLinear(env.hub, linearHook.id, linearSecret, linear, { deliveryId: sharedId })).body).toEqual({ received: true });
      expect((await sendPagerDuty(env.hub, pdSub.id, pdSecret, pagerdutyPayload({ incidentId }), { webhookId: sharedId })).body).toEqual({ received: true });
    });

    it('the stand-in’s own duplicate delivery fault (Linear: same body, same Linear-Delivery twice) → one delivery, duplicates 1', async () => {
      await sandboxControl(env.sandbox.linearUrl, 'POST', '/_sandbox/faults', { deliveries: [{ kind: 'duplicate', count: 1 }] });
      const issue = await createIssueInLinear(env.sandbox.linearUrl, 'Sent twice by Linear');
      await sandboxControl(env.sandbox.linearUrl, 'GET', '/_sandbox/deliveries?waitIdleMs=3000');
      const delivery = await deliveryWhere(admin(), 'the stand-in-duplicated delivery', (d) => d.entity.id === issue.id && d.outcome === 'processed');
      expect(delivery.duplicates).toBe(1);
      expect((await allDeliveries(admin())).filter((d) => d.entity.id === issue.id)).toHaveLength(1);
    });
  });

  describe('the Linear stand-in’s stale-timestamps switch', () => {
    it('the hub refuses the stale delivery with 401 and the stand-in records the 401', async () => {
      await sandboxControl(env.sandbox.linearUrl, 'POST', '/_sandbox/webhooks/stale-timestamps', { count: 1, ageMs: 120_000 });
      const issue = await createIssueInLinear(env.sandbox.linearUrl, 'Delivered with an old timestamp');
      const attempts = await until('the stand-in recorded the refused attempt', async () => {
        const { deliveries } = await sandboxControl<{ deliveries: Array<{ status?: number; outcome: string; requestBody: string; attempt: number }> }>(
          env.sandbox.linearUrl,
          'GET',
          '/_sandbox/deliveries',
        );
        const mine = deliveries.filter((d) => d.requestBody.includes(issue.id));
        return mine.length > 0 ? mine : undefined;
      });
      expect(attempts[0]).toMatchObject({ attempt: 1, status: 401, outcome: 'failed' });
      expect(JSON.parse(attempts[0]!.requestBody).webhookTimestamp).toBeLessThan(Date.now() - 100_000);
      expect((await allDeliveries(admin())).filter((d) => d.entity.id === issue.id)).toEqual([]);
      // Only the next delivery was stale: the one after is accepted.
      const next = await createIssueInLinear(env.sandbox.linearUrl, 'Delivered with a fresh timestamp');
      await deliveryWhere(admin(), 'the next delivery', (d) => d.entity.id === next.id && d.outcome === 'processed');
    });
  });

  describe('while Linear is Disconnected', () => {
    it('a delivery is accepted (200, received), its job waits without using attempts, and is processed after a reconnect', async () => {
      await sandboxControl(env.sandbox.linearUrl, 'POST', '/_sandbox/tokens/revoke', { all: true });
      const teams = await admin().get('/api/connections/linear/teams');
      expect(teams.status, teams.text).toBe(409);
      expect(teams.body.error.code).toBe('connection_disconnected');

      const payload = linearPayload();
      const entityId = (payload.data as { id: string }).id;
      const answer = await sendLinear(env.hub, linearHook.id, linearSecret, payload);
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body).toEqual({ received: true });
      // The stand-in still delivers (webhooks do not depend on the hub's token): accepted too.
      const issue = await createIssueInLinear(env.sandbox.linearUrl, 'Filed while the hub is disconnected');

      const waiting = await deliveryWhere(admin(), 'the delivery listed', (d) => d.entity.id === entityId);
      expect(waiting.outcome).toBe('received');
      const deferred = await until('the job deferred by the worker', async () => {
        const row = await jobRow(env.hub, waiting.jobId!);
        return row.status === 'queued' && row.last_error !== null ? row : undefined;
      });
      expect(deferred.attempts).toBe(0);
      expect(deferred.run_at).toBeGreaterThan(Date.now());
      expect(deferred.last_error).toMatch(/not connected|reconnect/i);
      const view = (await allJobs(admin())).find((job) => job.id === waiting.jobId)!;
      expect(view).toMatchObject({ status: 'queued', attempts: 0 });
      expect(Date.parse(view.nextRunAt!)).toBeGreaterThan(Date.now());
      const real = await deliveryWhere(admin(), 'the stand-in’s delivery listed', (d) => d.entity.id === issue.id);
      expect(real.outcome).toBe('received');

      // Reconnect, then let the deferred jobs run now instead of at their next re-check (30 s).
      const { attempt } = await connectProvider(admin(), 'linear');
      expect(attempt?.outcome).toBe('succeeded');
      await env.hub.database.db.updateTable('jobs').set({ run_at: Date.now() }).where('id', 'in', [waiting.jobId!, real.jobId!]).execute();
      env.hub.hub.deps.queue.wake();
      const processed = await deliveryWhere(admin(), 'the waiting delivery processed', (d) => d.entity.id === entityId && d.outcome === 'processed');
      expect(processed.outcomeDetail).toMatch(/team Engineering/);
      await deliveryWhere(admin(), 'the stand-in’s delivery processed', (d) => d.entity.id === issue.id && d.outcome === 'processed');
      const done = await finishedJob(env.hub, waiting.jobId!);
      expect(done).toMatchObject({ status: 'succeeded', attempts: 1 });
    });

    it('a delivery from another Linear workspace is ignored, not processed', async () => {
      const payload = linearPayload({ organizationId: '912db33b-7c74-4c6d-8640-59da096f5e5f' });
      expect((await sendLinear(env.hub, linearHook.id, linearSecret, payload)).status).toBe(200);
      const delivery = await deliveryWhere(admin(), 'the foreign delivery handled', (d) => d.entity.id === (payload.data as { id: string }).id && d.outcome !== 'received');
      expect(delivery.outcome).toBe('ignored');
      expect(delivery.outcomeDetail).toMatch(/another Linear workspace/);
    });
  });

  describe('tenancy', () => {
    let orgB: OrganisationAdmin;
    beforeAll(async () => {
      orgB = await newOrganisation(env.hub);
    });

    it('org B sees none of org A’s deliveries, jobs or webhooks, and cannot delete, enable or replay them (404)', async () => {
      const mineA = await allDeliveries(admin());
      expect(mineA.length).toBeGreaterThan(0);
      const jobA = mineA[0]!.jobId!;
      expect((await orgB.admin.get('/api/activity/deliveries')).body).toEqual({ deliveries: [], nextCursor: null });
      expect((await orgB.admin.get('/api/activity/jobs')).body).toEqual({ jobs: [], nextCursor: null });
      expect((await orgB.admin.get('/api/activity/deliveries?provider=linear&outcome=processed')).body.deliveries).toEqual([]);
      const webhooks = await orgB.admin.get('/api/webhooks');
      expect(webhooks.status).toBe(200);
      expect(webhooks.body.linear.teams).toEqual([]);
      expect(webhooks.body.linear.blockedBy.code).toBe('not_connected');
      expect(webhooks.body.pagerduty.subscriptions).toEqual([]);

      const del = await orgB.admin.delete(`/api/webhooks/linear/${linearHook.id}`);
      expect(del.status, del.text).toBe(404);
      const enable = await orgB.admin.post(`/api/webhooks/pagerduty/${pdSub.id}/enable`);
      expect(enable.status, enable.text).toBe(404);
      // Force the job dead so that "not dead" cannot be the reason for refusing org B.
      await env.hub.database.db.updateTable('jobs').set({ status: 'dead' }).where('id', '=', jobA).execute();
      const replay = await orgB.admin.post(`/api/activity/jobs/${jobA}/replay`);
      expect(replay.status, replay.text).toBe(404);
      expect((await jobRow(env.hub, jobA)).status).toBe('dead');
      // Org A's things are untouched.
      const stillThere = await admin().get('/api/webhooks');
      expect(stillThere.body.linear.teams.find((row: any) => row.team.id === ENG_TEAM).webhook.id).toBe(linearHook.id);
      await env.hub.database.db.updateTable('jobs').set({ status: 'succeeded' }).where('id', '=', jobA).execute();
    });
  });
});

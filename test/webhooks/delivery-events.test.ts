import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { createTestDatabase, testDialects, type TestDatabase } from '../helpers/databases.js';
import {
  ACME_WORKSPACE,
  createTeamWebhook,
  deliveryWhere,
  ensureCheckoutSubscription,
  linearPayload,
  pagerdutyPayload,
  sendLinear,
  sendPagerDuty,
  signingSecret,
  startConnectedHub,
  type ConnectedHub,
} from './fixture.js';

/**
 * Issue 9, item 2: the intake stores each delivery's provider-neutral event once (entity and
 * event kinds, the subject it belongs to, actor, time, account), and the delivery's job reads
 * those columns instead of parsing the body again (migration 0009).
 */
describe.each(testDialects())('delivery events on %s', (dialect) => {
  const clock = new ManualClock(Date.now());
  let env: ConnectedHub;
  const stored = (id: string) => env.hub.database.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    env = await startConnectedHub(dialect, { CONNECTION_CHECK_INTERVAL_SECONDS: '0' }, { clock });
  });
  afterAll(async () => env?.close());

  it('a Linear comment: stored as a comment of its issue, with actor, time and workspace', async () => {
    const hook = await createTeamWebhook(env.org.admin);
    const secret = (await signingSecret(env.hub, env.org.organisationId, hook.id))!;
    const issueId = randomUUID();
    const payload = linearPayload({
      type: 'Comment',
      createdAt: '2027-01-15T08:00:00.000Z',
      actor: { id: 'usr_ada', name: 'Ada Admin', type: 'user' },
      data: { id: randomUUID(), body: 'Seen it', issueId, issue: { id: issueId, identifier: 'ENG-99' } },
      webhookTimestamp: clock.now(),
    });
    expect((await sendLinear(env.hub, hook.id, secret, payload)).status).toBe(200);
    const delivery = await deliveryWhere(env.org.admin, 'the comment processed', (d) => d.entity.type === 'Comment' && d.outcome === 'processed');
    expect(await stored(delivery.id)).toMatchObject({
      event_type: 'Comment.create',
      event_kind: 'created',
      entity_kind: 'comment',
      entity_label: 'Comment on ENG-99',
      subject_kind: 'issue',
      subject_id: issueId,
      actor_id: 'usr_ada',
      actor_name: 'Ada Admin',
      occurred_at: Date.parse('2027-01-15T08:00:00.000Z'),
      account_id: ACME_WORKSPACE,
    });
  });

  it('a PagerDuty incident event: the incident, its agent and time; no account in the envelope', async () => {
    const subscription = await ensureCheckoutSubscription(env);
    const secret = (await signingSecret(env.hub, env.org.organisationId, subscription.id))!;
    const payload = pagerdutyPayload({ eventType: 'incident.acknowledged' }) as { event: Record<string, unknown> };
    payload.event.agent = { id: 'PUSR001', summary: 'Pat Responder', type: 'user_reference' };
    payload.event.occurred_at = '2027-01-15T09:00:00.000Z';
    expect((await sendPagerDuty(env.hub, subscription.id, secret, payload)).status).toBe(200);
    const incidentId = (payload.event.data as { id: string }).id;
    const delivery = await deliveryWhere(env.org.admin, 'the incident event processed', (d) => d.entity.id === incidentId && d.outcome === 'processed');
    expect(await stored(delivery.id)).toMatchObject({
      event_kind: 'updated',
      entity_kind: 'incident',
      subject_kind: 'incident',
      subject_id: incidentId,
      actor_id: 'PUSR001',
      actor_name: 'Pat Responder',
      occurred_at: Date.parse('2027-01-15T09:00:00.000Z'),
      account_id: null,
    });
  });
});

describe.each(testDialects())('migration 0009 on %s', (dialect) => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.destroy();
    database = undefined;
  });

  it('fills in the Linear workspace of deliveries a job may still process, and only theirs', async () => {
    database = await createTestDatabase(dialect, { migrate: false });
    const names = Object.keys(migrations);
    const before = Object.fromEntries(names.slice(0, names.indexOf('2026_12_04_0009_delivery_events')).map((name) => [name, migrations[name]!]));
    await migrateToLatest(database, before);
    const db = database.db;
    await db.insertInto('organisations').values({ id: 'org_1', name: 'Acme', created_at: 1 }).execute();
    const row = (id: string, provider: string, outcome: string, body: unknown) => ({
      id, organisation_id: 'org_1', endpoint_id: 'whk_1', provider, scope_kind: 'team', scope_id: 'T', scope_name: 'Team',
      external_id: id, replay_key: null, event_type: 'Issue.create', entity_type: 'Issue', entity_id: 'I', entity_label: null,
      body: JSON.stringify(body), outcome, outcome_detail: null, duplicates: 0, job_id: null, received_at: 1, processed_at: null,
    });
    await db
      .insertInto('webhook_deliveries')
      .values([
        row('dlv_received', 'linear', 'received', { organizationId: 'ws_1' }),
        row('dlv_failed', 'linear', 'failed', { organizationId: 'ws_2' }),
        row('dlv_processed', 'linear', 'processed', { organizationId: 'ws_3' }),
        row('dlv_long', 'linear', 'received', { organizationId: 'w'.repeat(201) }),
        row('dlv_pagerduty', 'pagerduty', 'received', { organizationId: 'ws_4', event: {} }),
      ] as never)
      .execute();
    await migrateToLatest(database);
    const accounts = await db.selectFrom('webhook_deliveries').select(['id', 'account_id', 'event_kind', 'occurred_at']).orderBy('id').execute();
    expect(accounts).toEqual([
      { id: 'dlv_failed', account_id: 'ws_2', event_kind: null, occurred_at: null },
      { id: 'dlv_long', account_id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), event_kind: null, occurred_at: null },
      { id: 'dlv_pagerduty', account_id: null, event_kind: null, occurred_at: null },
      { id: 'dlv_processed', account_id: null, event_kind: null, occurred_at: null },
      { id: 'dlv_received', account_id: 'ws_1', event_kind: null, occurred_at: null },
    ]);
  });
});

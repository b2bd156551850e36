import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPS } from './operations.js';
import { SEED_IDS, seedId } from './seed.js';
import { eventually, startLinearSandbox, startReceiver, type Receiver, type RunningLinearSandbox } from './testing.js';

interface Envelope {
  action: string;
  type: string;
  actor: Record<string, unknown>;
  createdAt: string;
  data: Record<string, unknown>;
  updatedFrom?: Record<string, unknown>;
  url: string;
  organizationId: string;
  webhookId: string;
  webhookTimestamp: number;
}

const parse = (body: string) => JSON.parse(body) as Envelope;

describe('Linear stand-in: webhook deliveries', () => {
  let sb: RunningLinearSandbox;
  let receiver: Receiver;
  let token: string;
  beforeAll(async () => {
    sb = await startLinearSandbox({ disableWebhookAfterDrops: 1 });
  });
  afterAll(async () => sb?.close());
  beforeEach(async () => {
    await sb.reset();
    receiver = await startReceiver();
    token = await sb.token();
  });
  afterEach(async () => receiver.close());

  const hook = async (teamId: string, resourceTypes = ['Issue', 'Comment'], secret = 'shh-its-a-secret') => {
    const res = await sb.graphql<{ webhookCreate: { webhook: { id: string } } }>(OPS.Hook, { url: receiver.url, teamId, resourceTypes, secret }, token);
    return res.body.data!.webhookCreate.webhook.id;
  };

  it('signs and labels each delivery as Linear does', async () => {
    const webhookId = await hook('ENG');
    await sb.graphql(OPS.Comment, { issueId: 'ENG-3', body: 'On it' }, token);
    const [got] = await eventually(() => receiver.received.length === 1 && receiver.received);
    const h = got!.headers;
    expect(h['content-type']).toBe('application/json; charset=utf-8');
    expect(h['user-agent']).toBe('Linear-Webhook');
    expect(h['linear-event']).toBe('Comment');
    expect(h['linear-delivery']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(h['linear-signature']).toBe(createHmac('sha256', 'shh-its-a-secret').update(got!.body).digest('hex'));
    const body = parse(got!.body);
    expect(body).toMatchObject({ action: 'create', type: 'Comment', organizationId: SEED_IDS.acme.organization, webhookId, data: { body: 'On it', issueId: seedId('issue', 'acme', 'ENG-3') } });
    expect(Math.abs(body.webhookTimestamp - Date.now())).toBeLessThan(5000);
    expect(body.url).toMatch(/#comment-/);
    expect(Object.keys(body)).toEqual(['action', 'type', 'actor', 'createdAt', 'data', 'url', 'organizationId', 'webhookId', 'webhookTimestamp']);
  });

  it('sends updatedFrom with the previous values of the changed fields only', async () => {
    await hook('ENG');
    const before = await sb.graphql<{ issue: { updatedAt: string } }>(OPS.Issue, { id: 'ENG-4' }, token);
    await sb.graphql(OPS.Move, { id: 'ENG-4', stateId: seedId('state', 'acme', 'ENG', 'In Progress') }, token);
    const [got] = await eventually(() => receiver.received.length === 1 && receiver.received);
    const body = parse(got!.body);
    expect(body.action).toBe('update');
    expect(body.data).toMatchObject({ identifier: 'ENG-4', stateId: seedId('state', 'acme', 'ENG', 'In Progress'), state: { name: 'In Progress', type: 'started' } });
    expect(body.updatedFrom).toEqual({
      stateId: seedId('state', 'acme', 'ENG', 'Triage'),
      updatedAt: before.body.data!.issue.updatedAt,
      startedAt: null,
      triagedAt: null,
    });
  });

  it('delivers only the webhook’s team and resource types; a disabled webhook gets nothing', async () => {
    const sup = await hook('SUP', ['Comment']);
    await hook('PRD', ['Issue']);
    const disabled = await hook('ENG');
    await sb.graphql(OPS.WebhookUpdate, { id: disabled, input: { enabled: false } }, token);
    await sb.graphql(OPS.IssueUpdate, { id: 'SUP-1', input: { priority: 2 } }, token); // SUP Issue: not subscribed
    await sb.graphql(OPS.Comment, { issueId: 'SUP-1', body: 'hello' }, token); // SUP Comment: delivered
    await sb.graphql(OPS.Comment, { issueId: 'PRD-1', body: 'hello' }, token); // PRD Comment: not subscribed
    await sb.graphql(OPS.IssueUpdate, { id: 'ENG-1', input: { priority: 3 } }, token); // ENG: disabled
    await sb.dispatcher.idle();
    expect(receiver.received.map((r) => [parse(r.body).webhookId, parse(r.body).type])).toEqual([[sup, 'Comment']]);
  });

  it('covers every team with allPublicTeams', async () => {
    await sb.graphql(OPS.HookAllTeams, { url: receiver.url }, token);
    await sb.graphql(OPS.IssueCreate, { input: { teamId: 'SUP', title: 'Anywhere' } }, token);
    await sb.graphql(OPS.IssueCreate, { input: { teamId: 'PRD', title: 'Anywhere too' } }, token);
    await eventually(() => receiver.received.length === 2);
  });

  it('echoes API changes with the OAuth user, or the OAuth app for actor=app tokens, as actor', async () => {
    await hook('ENG');
    await sb.graphql(OPS.IssueCreate, { input: { teamId: 'ENG', title: 'By Ada' } }, token);
    const app = await sb.token({ actor: 'app', scopes: ['read', 'write'] });
    await sb.graphql(OPS.IssueCreate, { input: { teamId: 'ENG', title: 'By the app' } }, app);
    await eventually(() => receiver.received.length === 2);
    const byTitle = (title: string) => receiver.received.map((r) => parse(r.body)).find((b) => b.data.title === title)!;
    const [byUser, byApp] = [byTitle('By Ada'), byTitle('By the app')];
    expect(byUser.actor).toEqual({ id: SEED_IDS.acme.admin, type: 'user', name: 'Ada Admin', email: 'ada@acme.example', url: `${sb.url}/acme/profiles/ada`, avatarUrl: null });
    expect(byApp.actor).toEqual({ id: 'integration-hub-sandbox', type: 'OauthClient', name: 'Integration Hub (sandbox)' });
  });

  it('reports removals and a user acting on the page', async () => {
    await hook('ENG');
    await sb.graphql(OPS.IssueDelete, { id: 'ENG-7' }, token);
    const res = await fetch(`${sb.url}/_sandbox/ui/issues/${seedId('issue', 'acme', 'ENG-8')}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ as: 'max@acme.example', priority: 1 }),
    });
    expect(res.status).toBe(200);
    await eventually(() => receiver.received.length === 2);
    const bodies = receiver.received.map((r) => parse(r.body));
    const [removed, byPage] = [bodies.find((b) => b.action === 'remove'), bodies.find((b) => b.action === 'update')];
    expect(removed).toMatchObject({ action: 'remove', type: 'Issue', data: { identifier: 'ENG-7', trashed: true } });
    expect(byPage).toMatchObject({ action: 'update', actor: { id: SEED_IDS.acme.member, type: 'user' }, updatedFrom: { priority: 0 } });
  });

  it('retries a failing delivery on the (compressed) schedule with the same Linear-Delivery and a fresh webhookTimestamp', async () => {
    // Each failed attempt is followed by 90 s of sandbox time, longer than the receiver's 60 s window.
    receiver.respond = (_r, index) => {
      sb.clock.advance(90_000);
      return { status: index < 2 ? 500 : 200 };
    };
    const webhookId = await hook('ENG');
    await sb.graphql(OPS.Comment, { issueId: 'ENG-1', body: 'retry me' }, token);
    await sb.dispatcher.idle();
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.headers['linear-delivery'])).size).toBe(1);
    const stamps = receiver.received.map((r) => (JSON.parse(r.body) as { webhookTimestamp: number }).webhookTimestamp);
    expect(stamps[1]! - stamps[0]!).toBeGreaterThanOrEqual(90_000);
    expect(stamps[2]! - stamps[1]!).toBeGreaterThanOrEqual(90_000);
    const attempts = await sb.control<{ deliveries: Array<{ attempt: number; outcome: string; status: number }> }>(`/_sandbox/deliveries?subscriptionId=${webhookId}`);
    expect(attempts.deliveries.map((d) => [d.attempt, d.status, d.outcome])).toEqual([
      [1, 500, 'failed'],
      [2, 500, 'failed'],
      [3, 200, 'delivered'],
    ]);
  });

  it('gives up after the last retry, counts a slow answer as a failure, and disables a persistently failing webhook', async () => {
    await sb.close();
    sb = await startLinearSandbox({ deliveryTimeoutMs: 100, retryScheduleMs: [10, 10], disableWebhookAfterDrops: 1 });
    token = await sb.token();
    receiver.respond = () => ({ status: 200, delayMs: 300 });
    const webhookId = await hook('ENG');
    await sb.graphql(OPS.Comment, { issueId: 'ENG-1', body: 'too slow' }, token);
    await sb.dispatcher.idle();
    const attempts = await sb.control<{ deliveries: Array<{ outcome: string; error?: string }> }>('/_sandbox/deliveries');
    expect(attempts.deliveries.map((d) => d.outcome)).toEqual(['failed', 'failed', 'dropped']);
    expect(attempts.deliveries[0]?.error).toMatch(/timeout/);
    const hooks = await sb.control<{ webhooks: Array<{ id: string; enabled: boolean }> }>('/_sandbox/webhooks');
    expect(hooks.webhooks.find((w) => w.id === webhookId)?.enabled).toBe(false);
  });
});

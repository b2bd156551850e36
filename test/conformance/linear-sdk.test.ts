import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthenticationLinearError, ForbiddenLinearError, InvalidInputLinearError, LinearClient, RatelimitedLinearError } from '@linear/sdk';
import { LinearWebhookClient } from '@linear/sdk/webhooks';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SandboxClock } from '../../sandbox/common/clock.js';
import { OPS } from '../../sandbox/linear/operations.js';
import { seedApiKey } from '../../sandbox/linear/seed.js';
import { eventually, startLinearSandbox, startReceiver, type Receiver, type RunningLinearSandbox } from '../../sandbox/linear/testing.js';
import { referenceAvailable } from '../helpers/reference.js';

/**
 * Linear's official SDK (@linear/sdk 98, written by Linear, not by us) talks to the stand-in:
 * its GraphQL client sends the stand-in's operations and classifies its errors, and its
 * webhook client verifies the stand-in's real deliveries.
 */
describe.skipIf(!referenceAvailable())('Linear stand-in with the official @linear/sdk', () => {
  let sb: RunningLinearSandbox;
  beforeAll(async () => {
    sb = await startLinearSandbox();
  });
  afterAll(async () => sb?.close());
  beforeEach(async () => sb.reset());

  const client = (auth: { accessToken: string } | { apiKey: string }) => new LinearClient({ ...auth, apiUrl: `${sb.url}/graphql` });

  it('serves rawRequest with an OAuth access token and with a personal API key', async () => {
    const oauth = await client({ accessToken: await sb.token() }).client.rawRequest<{ viewer: { email: string } }, Record<string, never>>(OPS.Viewer, {});
    expect(oauth.data?.viewer.email).toBe('ada@acme.example');
    expect(oauth.headers?.get('x-ratelimit-requests-limit')).toBe('1200');
    const key = await client({ apiKey: seedApiKey('acme', 'member') }).client.rawRequest<{ viewer: { email: string } }, Record<string, never>>(OPS.Viewer, {});
    expect(key.data?.viewer.email).toBe('max@acme.example');
  });

  it('sends mutations and pages with variables', async () => {
    const sdk = client({ accessToken: await sb.token() });
    const created = await sdk.client.rawRequest<{ issueCreate: { issue: { identifier: string } } }, { input: Record<string, unknown> }>(OPS.IssueCreate, { input: { teamId: 'ENG', title: 'From the SDK' } });
    expect(created.data?.issueCreate.issue.identifier).toBe('ENG-13');
    const page = await sdk.client.rawRequest<{ issues: { pageInfo: { hasNextPage: boolean } } }, { first: number }>(OPS.IssuesPage, { first: 5 });
    expect(page.data?.issues.pageInfo.hasNextPage).toBe(true);
  });

  it('classifies the stand-in’s errors as the SDK’s error classes', async () => {
    await expect(client({ accessToken: 'lin_oauth_nope' }).client.rawRequest(OPS.Viewer, {})).rejects.toBeInstanceOf(AuthenticationLinearError);
    const readOnly = client({ accessToken: await sb.token({ scopes: ['read'] }) });
    await expect(readOnly.client.rawRequest(OPS.Move, { id: 'ENG-1', stateId: 'x' })).rejects.toBeInstanceOf(ForbiddenLinearError);
    await expect(readOnly.client.rawRequest(OPS.Issue, { id: 'ENG-999' })).rejects.toBeInstanceOf(InvalidInputLinearError);
    await sb.control('/_sandbox/settings', { rateLimits: { oauth: { requests: 1, complexity: 100_000 } } });
    const limited = client({ accessToken: await sb.token() });
    await limited.client.rawRequest(OPS.Viewer, {});
    const error = await limited.client.rawRequest(OPS.Viewer, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RatelimitedLinearError);
    expect(error).toMatchObject({ requestsLimit: 1, requestsRemaining: 0, retryAfter: 3600 });
  });
});

describe.skipIf(!referenceAvailable())('Linear stand-in deliveries with the SDK’s LinearWebhookClient', () => {
  let sb: RunningLinearSandbox;
  let receiver: Receiver;
  const SECRET = 'sdk-verified-secret';
  beforeAll(async () => {
    sb = await startLinearSandbox();
  });
  afterAll(async () => sb?.close());
  beforeEach(async () => {
    await sb.reset();
    receiver = await startReceiver();
  });
  afterEach(async () => receiver.close());

  const deliverOne = async (url: string) => {
    const token = await sb.token();
    await sb.graphql(OPS.Hook, { url, teamId: 'ENG', resourceTypes: ['Issue', 'Comment'], secret: SECRET }, token);
    await sb.graphql(OPS.Move, { id: 'ENG-2', stateId: (await stateId(token, 'Done'))! }, token);
  };
  const stateId = async (token: string, name: string) => {
    const res = await sb.graphql<{ team: { states: { nodes: Array<{ id: string; name: string }> } } }>(OPS.Team, { id: 'ENG' }, token);
    return res.body.data?.team.states.nodes.find((s) => s.name === name)?.id;
  };

  it('verifies a captured delivery and rejects a tampered body or a wrong secret', async () => {
    await deliverOne(receiver.url);
    const [got] = await eventually(() => receiver.received.length === 1 && receiver.received);
    const signature = got!.headers['linear-signature'] as string;
    const webhooks = new LinearWebhookClient(SECRET);
    const payload = webhooks.parseData(Buffer.from(got!.body), signature);
    expect(payload).toMatchObject({ type: 'Issue', action: 'update', data: { identifier: 'ENG-2' } });
    const tampered = got!.body.replace('"Done"', '"Canceled"');
    expect(() => webhooks.parseData(Buffer.from(tampered), signature)).toThrow();
    expect(() => new LinearWebhookClient('other-secret').parseData(Buffer.from(got!.body), signature)).toThrow();
  });

  it('rejects a delivery whose webhookTimestamp is older than 60 s', async () => {
    await sb.control('/_sandbox/webhooks/stale-timestamps', { count: 1, ageMs: 90_000 });
    await deliverOne(receiver.url);
    const [got] = await eventually(() => receiver.received.length === 1 && receiver.received);
    expect(() => new LinearWebhookClient(SECRET).parseData(Buffer.from(got!.body), got!.headers['linear-signature'] as string)).toThrow(/timestamp/i);
  });

  it('is accepted (200) by the SDK’s own Node handler, which refuses (400) a wrong signature', async () => {
    const handler = new LinearWebhookClient(SECRET).createHandler();
    const seen: string[] = [];
    handler.on('*', (payload) => {
      seen.push(`${payload.type} ${payload.action}`);
    });
    const server = http.createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/linear`;
      // The fault corrupts every attempt of one delivery (common/webhook-dispatcher.ts).
      await sb.control('/_sandbox/faults', { deliveries: [{ kind: 'bad_signature', count: 1 }] });
      await deliverOne(url);
      await sb.graphql(OPS.Comment, { issueId: 'ENG-2', body: 'signed properly' }, await sb.token());
      await sb.dispatcher.idle();
      const outcome = (type: string) => sb.dispatcher.attempts().filter((a) => a.eventType === type).map((a) => [a.status, a.outcome]);
      expect(outcome('Issue')).toEqual([
        [400, 'failed'],
        [400, 'failed'],
        [400, 'failed'],
        [400, 'dropped'],
      ]);
      expect(outcome('Comment')).toEqual([[200, 'delivered']]);
      expect(seen).toEqual(['Comment create']);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('is refused by the SDK when the sandbox clock runs ahead of real time', async () => {
    await sb.close();
    sb = await startLinearSandbox({ clock: new SandboxClock(() => Date.now() + 5 * 60_000) });
    await deliverOne(receiver.url);
    const [got] = await eventually(() => receiver.received.length === 1 && receiver.received);
    expect(() => new LinearWebhookClient(SECRET).parseData(Buffer.from(got!.body), got!.headers['linear-signature'] as string)).toThrow();
  });
});

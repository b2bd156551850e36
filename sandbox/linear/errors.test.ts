import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPS } from './operations.js';
import { SEED_IDS, seedApiKey } from './seed.js';
import { startLinearSandbox, type RunningLinearSandbox } from './testing.js';

const HOUR = 3_600_000;

describe('Linear stand-in: error shapes, scopes and rate limits', () => {
  let sb: RunningLinearSandbox;
  beforeAll(async () => {
    sb = await startLinearSandbox();
  });
  afterAll(async () => sb?.close());
  beforeEach(async () => sb.reset());

  it('answers AUTHENTICATION_ERROR for no, unknown, expired or Bearer-prefixed API-key credentials', async () => {
    const expected = { code: 'AUTHENTICATION_ERROR', type: 'authentication error', userPresentableMessage: expect.any(String) };
    for (const auth of [null, 'lin_oauth_nope', { apiKey: 'lin_api_nope' }, seedApiKey('acme', 'admin')]) {
      const res = await sb.graphql(OPS.Viewer, {}, auth);
      expect(res.status).toBe(400);
      expect(res.body.errors?.[0]?.extensions).toMatchObject(expected);
      expect(res.body.errors?.[0]?.message).toBe('Authentication required, not authenticated');
    }
    const token = await sb.token();
    await sb.control('/_sandbox/clock', { advanceMs: 24 * HOUR });
    expect((await sb.graphql(OPS.Viewer, {}, token)).body.errors?.[0]?.extensions.code).toBe('AUTHENTICATION_ERROR');
  });

  it('can answer AUTHENTICATION_ERROR with HTTP 401 instead', async () => {
    await sb.control('/_sandbox/settings', { authErrorStatus: 401 });
    expect((await sb.graphql(OPS.Viewer, {}, 'nope')).status).toBe(401);
  });

  it('forbids writes to a read-only token and webhooks without the admin scope (FORBIDDEN)', async () => {
    const readOnly = await sb.token({ scopes: ['read'] });
    const write = await sb.graphql(OPS.Move, { id: 'ENG-1', stateId: 'x' }, readOnly);
    expect(write.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', type: 'forbidden' });
    expect(write.body.errors?.[0]?.message).toBe('Invalid scope: `write` required');
    const noAdmin = await sb.token({ scopes: ['read', 'write'] });
    const hook = await sb.graphql(OPS.Hook, { url: 'http://127.0.0.1:9/h', teamId: 'ENG', resourceTypes: ['Issue'] }, noAdmin);
    expect(hook.body.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect(hook.body.data).toBeNull();
    expect((await sb.graphql(OPS.Webhooks, {}, noAdmin)).body.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
  });

  it('lets the narrower issues:create and comments:create scopes do just that', async () => {
    const creator = await sb.token({ scopes: ['read', 'issues:create', 'comments:create'] });
    const created = await sb.graphql(OPS.IssueCreate, { input: { teamId: 'ENG', title: 'From a narrow token' } }, creator);
    expect(created.body.errors).toBeUndefined();
    expect((await sb.graphql(OPS.Comment, { issueId: 'ENG-1', body: 'hi' }, creator)).body.errors).toBeUndefined();
    expect((await sb.graphql(OPS.IssueUpdate, { id: 'ENG-1', input: { priority: 2 } }, creator)).body.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
  });

  it('gives a member’s API key no webhook access, an admin’s API key full access', async () => {
    const member = await sb.graphql(OPS.Webhooks, {}, { apiKey: seedApiKey('acme', 'member') });
    expect(member.body.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    const admin = await sb.graphql(OPS.Webhooks, {}, { apiKey: seedApiKey('acme', 'admin') });
    expect(admin.body.errors).toBeUndefined();
  });

  it('answers INPUT_ERROR "Entity not found" for unknown ids, with path, HTTP 400 when no data', async () => {
    const res = await sb.graphql(OPS.Issue, { id: 'ENG-999' }, await sb.token());
    expect(res.status).toBe(400);
    expect(res.body.data).toBeNull();
    expect(res.body.errors?.[0]).toMatchObject({ message: 'Entity not found: Issue', path: ['issue'], extensions: { code: 'INPUT_ERROR', type: 'invalid input', userError: true } });
  });

  it('rejects fields the stand-in does not serve with GRAPHQL_VALIDATION_FAILED, and bad syntax with GRAPHQL_PARSE_FAILED', async () => {
    const token = await sb.token();
    const invalid = await sb.graphql(OPS.ViewerTimezone, {}, token);
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors?.[0]).toMatchObject({ message: 'Cannot query field "timezone" on type "User".', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', type: 'graphql error' } });
    const syntax = await sb.graphql('query {', {}, token); // deliberately not a document
    expect(syntax.body.errors?.[0]?.extensions.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('sends X-RateLimit and X-Complexity headers on every authenticated response', async () => {
    const res = await sb.graphql(OPS.Viewer, {}, { apiKey: seedApiKey('acme', 'admin') });
    expect(res.headers.get('x-ratelimit-requests-limit')).toBe('1500');
    expect(res.headers.get('x-ratelimit-requests-remaining')).toBe('1499');
    expect(Number(res.headers.get('x-ratelimit-requests-reset'))).toBeGreaterThan(sb.clock.now());
    expect(res.headers.get('x-ratelimit-complexity-limit')).toBe('250000');
    expect(Number(res.headers.get('x-complexity'))).toBeGreaterThan(0);
    expect(res.headers.get('x-ratelimit-complexity-remaining')).toBe(String(250_000 - Number(res.headers.get('x-complexity'))));
  });

  it('rate-limits per token: RATELIMITED as HTTP 400 with Retry-After, refilled by the clock', async () => {
    await sb.control('/_sandbox/settings', { rateLimits: { oauth: { requests: 3, complexity: 100_000 } } });
    const token = await sb.token();
    const other = await sb.token({ user: 'max@acme.example' });
    for (let i = 0; i < 3; i += 1) expect((await sb.graphql(OPS.Viewer, {}, token)).status).toBe(200);
    const limited = await sb.graphql(OPS.Viewer, {}, token);
    expect(limited.status).toBe(400);
    expect(limited.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATELIMITED', type: 'ratelimited', statusCode: 429 });
    expect(limited.headers.get('x-ratelimit-requests-remaining')).toBe('0');
    expect(Number(limited.headers.get('retry-after'))).toBe(1200); // one request refills in period / limit
    expect((await sb.graphql(OPS.Viewer, {}, other)).status).toBe(200); // another token has its own bucket
    await sb.control('/_sandbox/clock', { advanceMs: 20 * 60_000 });
    expect((await sb.graphql(OPS.Viewer, {}, token)).status).toBe(200);
  });

  it('rate-limits on complexity and rejects a query above 10 000 points', async () => {
    await sb.control('/_sandbox/settings', { rateLimits: { oauth: { requests: 100, complexity: 100 } } });
    const token = await sb.token();
    const big = await sb.graphql(OPS.IssuesPage, { first: 100 }, token);
    expect(big.body.errors?.[0]?.extensions.code).toBe('RATELIMITED');
    await sb.control('/_sandbox/settings', { rateLimits: { oauth: { requests: 100, complexity: 1_000_000 } } });
    const huge = await sb.graphql(OPS.IssuesPage, { first: 5000 }, token);
    expect(huge.body.errors?.[0]?.message).toMatch(/^Query too complex/);
  });

  it('keeps tokens of one workspace away from another workspace’s admin routes', async () => {
    const globex = await sb.token({ workspace: 'Globex' });
    const res = await sb.graphql(OPS.Team, { id: SEED_IDS.acme.teams.ENG }, globex);
    expect(res.body.errors?.[0]?.message).toBe('Entity not found: Team');
  });
});

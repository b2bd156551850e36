import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPS } from './operations.js';
import { SEED_IDS } from './seed.js';
import { startLinearSandbox, type RunningLinearSandbox } from './testing.js';

interface TokenRow {
  value: string;
  kind: string;
  revoked: boolean;
  expiresAt: number | null;
  owner: { workspace: string; user: string };
}

describe('Linear stand-in: control API', () => {
  let sb: RunningLinearSandbox;
  beforeAll(async () => {
    sb = await startLinearSandbox();
  });
  afterAll(async () => sb?.close());
  beforeEach(async () => sb.reset());

  it('issues tokens for a workspace (default its admin, read,write,admin) and lists them with owner and expiry', async () => {
    const issued = await sb.control<{ access_token: string; refresh_token: string; expires_in: number; scope: string }>('/_sandbox/tokens', { workspace: 'Globex', user: 'mia@globex.example', scopes: ['read'] });
    expect(issued).toMatchObject({ expires_in: 86399, scope: 'read' });
    const viewer = await sb.graphql<{ viewer: { id: string } }>(OPS.Viewer, {}, issued.access_token);
    expect(viewer.body.data?.viewer.id).toBe(SEED_IDS.globex.member);
    const admin = await sb.control<{ scope: string }>('/_sandbox/tokens', { workspace: 'Acme' });
    expect(admin.scope).toBe('read write admin');
    const { tokens, apiKeys } = await sb.control<{ tokens: TokenRow[]; apiKeys: Array<{ key: string; user: string }> }>('/_sandbox/tokens');
    const row = tokens.find((t) => t.value === issued.access_token)!;
    expect(row).toMatchObject({ kind: 'access', revoked: false, owner: { workspace: 'Globex', user: 'mia@globex.example' } });
    expect(row.expiresAt).toBeGreaterThan(sb.clock.now());
    expect(apiKeys.map((k) => k.user)).toContain('ada@acme.example');
  });

  it('rejects bad token requests in the hub’s error shape', async () => {
    const res = await fetch(`${sb.url}/_sandbox/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workspace: 'Nowhere' }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'unknown_workspace' } });
    const invalid = await fetch(`${sb.url}/_sandbox/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nope: 1 }) });
    expect(await invalid.json()).toMatchObject({ error: { code: 'invalid_body' } });
  });

  it('revokes one token’s authorization or all of a workspace’s', async () => {
    const a = await sb.token();
    const b = await sb.token({ user: 'max@acme.example' });
    const g = await sb.token({ workspace: 'Globex' });
    expect(await sb.control('/_sandbox/tokens/revoke', { token: a })).toEqual({ revoked: 2 });
    expect((await sb.graphql(OPS.Viewer, {}, a)).status).toBe(400);
    expect((await sb.graphql(OPS.Viewer, {}, b)).status).toBe(200);
    await sb.control('/_sandbox/tokens/revoke', { all: true, workspace: 'Acme' });
    expect((await sb.graphql(OPS.Viewer, {}, b)).status).toBe(400);
    expect((await sb.graphql(OPS.Viewer, {}, g)).status).toBe(200);
  });

  it('records API calls (not the page or the control API) for inspection', async () => {
    const token = await sb.token();
    await sb.graphql(OPS.Viewer, {}, token);
    await fetch(`${sb.url}/`);
    const { requests } = await sb.control<{ requests: Array<{ method: string; path: string; headers: Record<string, string>; body: { query: string }; status: number }> }>('/_sandbox/requests');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ method: 'POST', path: '/graphql', status: 200, headers: { authorization: `Bearer ${token}` }, body: { query: OPS.Viewer } });
  });

  it('resets data, tokens, clock and settings to the seed', async () => {
    const token = await sb.token();
    await sb.graphql(OPS.IssueCreate, { input: { teamId: 'ENG', title: 'Temporary' } }, token);
    await sb.control('/_sandbox/clock', { advanceMs: 3_600_000 });
    await sb.control('/_sandbox/settings', { pageSize: 3 });
    expect(await sb.control('/_sandbox/reset', {})).toEqual({ ok: true });
    expect((await sb.graphql(OPS.Viewer, {}, token)).status).toBe(400);
    const fresh = await sb.token();
    const res = await sb.graphql(OPS.IssueCreate, { input: { teamId: 'ENG', title: 'Again' } }, fresh);
    expect(res.body.data).toMatchObject({ issueCreate: { issue: { identifier: 'ENG-13' } } });
    expect((await sb.control<{ offsetMs: number }>('/_sandbox/clock')).offsetMs).toBe(0);
    expect((await sb.control<{ pageSize: number }>('/_sandbox/settings')).pageSize).toBe(10);
  });
});

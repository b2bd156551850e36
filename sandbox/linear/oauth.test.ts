import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPS } from './operations.js';
import { SEED_IDS } from './seed.js';
import { pkcePair, startLinearSandbox, type RunningLinearSandbox } from './testing.js';

const CLIENT = 'integration-hub-sandbox';
const SECRET = 'integration-hub-sandbox-secret';
const REDIRECT = 'http://localhost:3000/oauth/linear/callback';

describe('Linear stand-in: OAuth', () => {
  let sb: RunningLinearSandbox;
  beforeAll(async () => {
    sb = await startLinearSandbox();
  });
  afterAll(async () => sb?.close());
  beforeEach(async () => sb.reset());

  const authorizeParams = (extra: Record<string, string> = {}) => ({
    client_id: CLIENT,
    redirect_uri: REDIRECT,
    response_type: 'code',
    scope: 'read,write,admin',
    state: 'st-123',
    ...extra,
  });
  /** Submits the consent form the way a browser would. */
  const decide = async (params: Record<string, string>, choice: { decision: string; workspace?: string; user?: string }) => {
    const form = new URLSearchParams({ ...params, workspace: SEED_IDS.acme.organization, user: SEED_IDS.acme.admin, ...choice });
    return fetch(`${sb.url}/oauth/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  };
  const exchange = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${sb.url}/oauth/token`, { method: 'POST', headers, body: new URLSearchParams(fields) });
  const codeFrom = (res: Response) => {
    const location = new URL(res.headers.get('location')!);
    return { code: location.searchParams.get('code')!, state: location.searchParams.get('state'), location };
  };

  it('shows a consent page: app, permissions in words, workspace and user pickers, Authorize and Deny, no script', async () => {
    const res = await fetch(`${sb.url}/oauth/authorize?${new URLSearchParams(authorizeParams())}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const page = await res.text();
    expect(page).toContain('Integration Hub (sandbox)');
    expect(page).toContain('create and manage webhooks');
    expect(page).toContain('name="workspace"');
    expect(page).toContain('name="user"');
    expect(page).toContain('Ada Admin');
    expect(page).toMatch(/<button[^>]*value="authorize"[^>]*>Authorize<\/button>/);
    expect(page).toMatch(/<button[^>]*value="deny"[^>]*>Deny<\/button>/);
    expect(page).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
  });

  it('runs the code flow with PKCE S256 and no client secret, echoing state', async () => {
    const { verifier, challenge } = pkcePair();
    const params = authorizeParams({ code_challenge: challenge, code_challenge_method: 'S256' });
    const approved = await decide(params, { decision: 'authorize' });
    expect(approved.status).toBe(302);
    const { code, state, location } = codeFrom(approved);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(state).toBe('st-123');
    const res = await exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT, code_verifier: verifier });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 86399, scope: 'read write admin' });
    expect(body.access_token).toMatch(/^lin_oauth_/);
    expect(body.refresh_token).toEqual(expect.any(String));
    const viewer = await sb.graphql<{ viewer: { id: string } }>(OPS.Viewer, {}, body.access_token as string);
    expect(viewer.body.data?.viewer.id).toBe(SEED_IDS.acme.admin);
  });

  it('rejects a wrong PKCE verifier, a reused code and a changed redirect URI with invalid_grant', async () => {
    const { verifier, challenge } = pkcePair();
    const params = authorizeParams({ code_challenge: challenge, code_challenge_method: 'S256' });
    const { code } = codeFrom(await decide(params, { decision: 'authorize' }));
    const wrongVerifier = await exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT, code_verifier: pkcePair().verifier });
    expect(wrongVerifier.status).toBe(400);
    expect(await wrongVerifier.json()).toMatchObject({ error: 'invalid_grant' });

    const second = codeFrom(await decide(params, { decision: 'authorize' })).code;
    const otherRedirect = await exchange({ grant_type: 'authorization_code', code: second, redirect_uri: 'http://localhost:3000/elsewhere', client_id: CLIENT, code_verifier: verifier });
    expect(await otherRedirect.json()).toMatchObject({ error: 'invalid_grant' });

    const third = codeFrom(await decide(params, { decision: 'authorize' })).code;
    const fields = { grant_type: 'authorization_code', code: third, redirect_uri: REDIRECT, client_id: CLIENT, code_verifier: verifier };
    const first = (await (await exchange(fields)).json()) as { access_token: string };
    const reused = await exchange(fields);
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('already been used') });
    // Reusing a code also revokes what it produced.
    expect((await sb.graphql(OPS.Viewer, {}, first.access_token)).body.errors?.[0]?.extensions.code).toBe('AUTHENTICATION_ERROR');
  });

  it('accepts a plain PKCE challenge and the client secret over HTTP Basic', async () => {
    const { verifier } = pkcePair();
    const { code } = codeFrom(await decide(authorizeParams({ code_challenge: verifier, code_challenge_method: 'plain' }), { decision: 'authorize' }));
    const basic = `Basic ${Buffer.from(`${CLIENT}:${SECRET}`).toString('base64')}`;
    const res = await exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }, { authorization: basic });
    expect(res.status).toBe(200);
  });

  it('refuses an unregistered redirect URI with an error page, not a redirect', async () => {
    const res = await fetch(`${sb.url}/oauth/authorize?${new URLSearchParams(authorizeParams({ redirect_uri: 'http://evil.example/cb' }))}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('is not registered');
  });

  it('redirects unknown scopes and actor=app with admin back with invalid_scope', async () => {
    for (const extra of [{ scope: 'read,everything' }, { scope: 'read,admin', actor: 'app' }]) {
      const res = await fetch(`${sb.url}/oauth/authorize?${new URLSearchParams(authorizeParams(extra))}`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location')!);
      expect(location.searchParams.get('error')).toBe('invalid_scope');
      expect(location.searchParams.get('state')).toBe('st-123');
    }
  });

  it('redirects with access_denied and the state when the user denies', async () => {
    const res = await decide(authorizeParams(), { decision: 'deny' });
    const location = new URL(res.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('st-123');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('keeps the consent page up when a member tries to grant admin or picks another workspace’s user', async () => {
    const member = await decide(authorizeParams(), { decision: 'authorize', user: SEED_IDS.acme.member });
    expect(member.status).toBe(400);
    expect(await member.text()).toContain('Only workspace admins can grant');
    const wrongWorkspace = await decide(authorizeParams(), { decision: 'authorize', user: SEED_IDS.globex.admin });
    expect(await wrongWorkspace.text()).toContain('is not a member of Acme');
    const ok = await decide(authorizeParams({ scope: 'read,write' }), { decision: 'authorize', user: SEED_IDS.acme.member });
    expect(ok.status).toBe(302);
  });

  it('accepts only form-encoded token requests', async () => {
    const res = await fetch(`${sb.url}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'refresh_token' }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('rotates both tokens on refresh and refuses the old refresh token', async () => {
    const { code } = codeFrom(await decide(authorizeParams(), { decision: 'authorize' }));
    const first = (await (await exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT, client_secret: SECRET })).json()) as Record<string, string>;
    const refresh = () => exchange({ grant_type: 'refresh_token', refresh_token: first.refresh_token!, client_id: CLIENT, client_secret: SECRET });
    const rotated = (await (await refresh()).json()) as Record<string, string>;
    expect(rotated.access_token).not.toBe(first.access_token);
    expect(rotated.refresh_token).not.toBe(first.refresh_token);
    expect((await sb.graphql(OPS.Viewer, {}, rotated.access_token)).status).toBe(200);
    const reused = await refresh();
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('expired or revoked') });
    const badSecret = await exchange({ grant_type: 'refresh_token', refresh_token: rotated.refresh_token!, client_id: CLIENT, client_secret: 'wrong' });
    expect(badSecret.status).toBe(401);
  });

  it('expires access tokens after the configured lifetime', async () => {
    await sb.control('/_sandbox/settings', { accessTokenTtlMs: 60_000 });
    const res = await sb.control<{ access_token: string; expires_in: number }>('/_sandbox/tokens', { workspace: 'Acme' });
    expect(res.expires_in).toBe(59);
    await sb.control('/_sandbox/clock', { advanceMs: 60_000 });
    expect((await sb.graphql(OPS.Viewer, {}, res.access_token)).body.errors?.[0]?.extensions.code).toBe('AUTHENTICATION_ERROR');
  });

  it('revokes by Bearer header or refresh_token field: 200, then 400 when already revoked, 401 when unknown', async () => {
    const tokens = await sb.control<{ access_token: string; refresh_token: string }>('/_sandbox/tokens', { workspace: 'Acme' });
    const revoke = (headers: Record<string, string>, form?: Record<string, string>) =>
      fetch(`${sb.url}/oauth/revoke`, { method: 'POST', headers, ...(form ? { body: new URLSearchParams(form) } : {}) });
    expect((await revoke({ authorization: `Bearer ${tokens.access_token}` })).status).toBe(200);
    expect((await sb.graphql(OPS.Viewer, {}, tokens.access_token)).body.errors?.[0]?.extensions.code).toBe('AUTHENTICATION_ERROR');
    expect((await revoke({ authorization: `Bearer ${tokens.access_token}` })).status).toBe(400);
    expect((await revoke({ authorization: 'Bearer lin_oauth_unknown' })).status).toBe(401);
    const other = await sb.control<{ access_token: string; refresh_token: string }>('/_sandbox/tokens', { workspace: 'Acme' });
    expect((await revoke({}, { refresh_token: other.refresh_token })).status).toBe(200);
    expect((await sb.graphql(OPS.Viewer, {}, other.access_token)).status).toBe(400);
  });

  it('installs as the app with actor=app: viewer is the app user', async () => {
    const { code } = codeFrom(await decide(authorizeParams({ scope: 'read,write', actor: 'app' }), { decision: 'authorize' }));
    const body = (await (await exchange({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT, client_secret: SECRET })).json()) as { access_token: string };
    const viewer = await sb.graphql<{ viewer: { app: boolean; name: string; organization: { name: string } } }>(OPS.Viewer, {}, body.access_token);
    expect(viewer.body.data?.viewer).toMatchObject({ app: true, name: 'Integration Hub (sandbox)', organization: { name: 'Acme' } });
  });

  it('registers a client’s redirect URIs through the control API', async () => {
    const callback = 'http://127.0.0.1:4567/oauth/linear/callback';
    await sb.control('/_sandbox/clients', { clientId: CLIENT, redirectUris: [callback] });
    const res = await decide(authorizeParams({ redirect_uri: callback }), { decision: 'authorize' });
    expect(res.headers.get('location')).toMatch(new RegExp(`^${callback}\\?code=`));
    const clients = await sb.control<{ clients: Array<{ clientId: string; clientSecret: string }> }>('/_sandbox/clients');
    expect(clients.clients.find((c) => c.clientId === CLIENT)?.clientSecret).toBe(SECRET);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPublicKey, createVerify } from 'node:crypto';
import { pkcePair, startSandbox, type RunningSandbox } from './testing.js';

const CLIENT = 'integration-hub-sandbox';
const SECRET = 'integration-hub-sandbox-secret';
const REDIRECT = 'http://localhost:3000/oauth/pagerduty/callback';
const SCOPE = 'services.read incidents.read incidents.write webhook_subscriptions.read webhook_subscriptions.write users.read priorities.read';

let sb: RunningSandbox;
beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

function authorizeQuery(extra: Record<string, string> = {}, challenge = pkcePair().challenge) {
  return new URLSearchParams({ client_id: CLIENT, redirect_uri: REDIRECT, response_type: 'code', scope: SCOPE, state: 'st-123', code_challenge: challenge, code_challenge_method: 'S256', ...extra });
}

async function consent(query: URLSearchParams, form: Record<string, string>) {
  const body = new URLSearchParams({ ...Object.fromEntries(query), account: 'acme', user: 'PUSR002', decision: 'authorize', ...form });
  return fetch(`${sb.url}/oauth/authorize`, { method: 'POST', body, redirect: 'manual' });
}

async function code(scope = SCOPE): Promise<{ code: string; verifier: string }> {
  const { verifier, challenge } = pkcePair();
  const res = await consent(authorizeQuery({ scope }, challenge), {});
  expect(res.status).toBe(302);
  const location = new URL(res.headers.get('location')!);
  expect(location.searchParams.get('state')).toBe('st-123');
  return { code: location.searchParams.get('code')!, verifier };
}

function token(fields: Record<string, string>, json = false) {
  const all = { client_id: CLIENT, client_secret: SECRET, ...fields };
  return fetch(`${sb.url}/oauth/token`, json
    ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(all) }
    : { method: 'POST', body: new URLSearchParams(all) });
}

describe('PagerDuty OAuth', () => {
  it('shows a consent page naming the app, the permissions, a user and an account picker, without inline script', async () => {
    const res = await fetch(`${sb.url}/oauth/authorize?${authorizeQuery()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const page = await res.text();
    for (const text of ['Integration Hub (sandbox)', 'Read services', 'Write incidents', 'Create and manage webhooks', 'Read user information', 'name="user"', 'name="account"', '>Authorize<', '>Deny<', 'Rita Responder', 'Globex Corporation']) {
      expect(page).toContain(text);
    }
    expect(page).not.toMatch(/<script|style=|onclick/i);
  });

  it('completes the authorization-code flow with PKCE (form body) and returns what PagerDuty returns', async () => {
    const { code: c, verifier } = await code();
    const res = await token({ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 86400, client_info: 'prefix_legacy_app' });
    expect(body.access_token).toMatch(/^pdus\+_0[A-Z0-9]{6}_/);
    expect(body.refresh_token).toMatch(/^pdus\+_1/);
    expect(String(body.scope).split(' ').sort()).toEqual(['openid', ...SCOPE.split(' ')].sort());
    // The ID token names the account (API-NOTES §1.7) and verifies against the JWKS.
    const [h, p, s] = String(body.id_token).split('.');
    const jwks = (await (await fetch(`${sb.url}/global/oauth/anonymous/jwks`)).json()) as { keys: Array<Record<string, unknown>> };
    const key = createPublicKey({ key: jwks.keys[0] as never, format: 'jwk' });
    expect(createVerify('RSA-SHA256').update(`${h}.${p}`).verify(key, Buffer.from(s!, 'base64url'))).toBe(true);
    const claims = JSON.parse(Buffer.from(p!, 'base64url').toString());
    expect(claims).toMatchObject({ subdomain: 'acme', region: 'UnitedStates', account_id: 'PACME00', user_id: 'PUSR002', aud: [sb.url, CLIENT] });
    const me = await sb.api('/users/me', { token: String(body.access_token) });
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe('manager@acme.example');
  });

  it('accepts a JSON token request (the official sample sends JSON)', async () => {
    const { code: c, verifier } = await code();
    const res = await token({ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT, code_verifier: verifier }, true);
    expect(res.status).toBe(200);
  });

  it('refuses an unregistered redirect URI with an error page, never a redirect', async () => {
    const res = await fetch(`${sb.url}/oauth/authorize?${authorizeQuery({ redirect_uri: 'http://localhost:3000/other' })}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('is not registered');
    const posted = await consent(authorizeQuery({ redirect_uri: `${REDIRECT}/` }), {});
    expect(posted.status).toBe(400);
  });

  it('requires PKCE S256 and refuses plain', async () => {
    for (const extra of [{ code_challenge: '' }, { code_challenge_method: 'plain' }]) {
      const res = await fetch(`${sb.url}/oauth/authorize?${authorizeQuery(extra)}`, { redirect: 'manual' });
      const location = new URL(res.headers.get('location')!);
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('state')).toBe('st-123');
    }
  });

  it('redirects with access_denied, the documented description and the state when the user denies', async () => {
    const res = await consent(authorizeQuery(), { decision: 'deny' });
    expect(res.status).toBe(302);
    const location = res.headers.get('location')!;
    expect(location).toBe(`${REDIRECT}?error=access_denied&error_description=The+resource+owner+or+authorization+server+denied+the+request.&state=st-123`);
  });

  it('re-shows the consent page when the user is not in the chosen account', async () => {
    const res = await consent(authorizeQuery(), { account: 'globex', user: 'PUSR002' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('is not a user of Globex Corporation');
  });

  it('makes codes single use: a second redemption is invalid_grant and revokes the first tokens', async () => {
    const { code: c, verifier } = await code();
    const first = (await (await token({ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT, code_verifier: verifier })).json()) as { access_token: string };
    const again = await token({ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await sb.api('/users/me', { token: first.access_token })).status).toBe(401);
  });

  it('binds the code to redirect_uri and code_verifier', async () => {
    const { code: c, verifier } = await code();
    const wrongUri = await token({ grant_type: 'authorization_code', code: c, redirect_uri: 'http://localhost:3000/x', code_verifier: verifier });
    expect(await wrongUri.json()).toMatchObject({ error: 'invalid_grant' });
    const wrongVerifier = await token({ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT, code_verifier: pkcePair().verifier });
    expect(await wrongVerifier.json()).toMatchObject({ error: 'invalid_grant', error_description: expect.stringContaining('code_verifier') });
  });

  it('expires codes after 30 s of sandbox time', async () => {
    const { code: c, verifier } = await code();
    await sb.control('/_sandbox/clock', { advanceMs: 30_000 });
    const res = await token({ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_grant', error_description: 'The authorization code has expired.' });
  });

  it('answers invalid_client for a wrong secret or unknown client', async () => {
    const { code: c, verifier } = await code();
    const res = await token({ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT, code_verifier: verifier, client_secret: 'nope' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_client' });
    expect((await token({ grant_type: 'refresh_token', refresh_token: 'x', client_id: 'ghost' })).status).toBe(401);
  });

  it('rotates both tokens on refresh and invalidates the old refresh token', async () => {
    const { code: c, verifier } = await code();
    const first = (await (await token({ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT, code_verifier: verifier })).json()) as Record<string, string>;
    const second = (await (await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token! })).json()) as Record<string, string>;
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.scope).toBe(first.scope);
    const reused = await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token! });
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await sb.api('/users/me', { token: second.access_token! })).status).toBe(200);
  });

  it('expires access tokens after the configured lifetime (401) while refresh still works', async () => {
    const { code: c, verifier } = await code();
    const t = (await (await token({ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT, code_verifier: verifier })).json()) as Record<string, string>;
    await sb.control('/_sandbox/clock', { advanceMs: 86_400_000 });
    const res = await sb.api('/services', { token: t.access_token! });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { message: 'Authentication failed', code: 2006 } });
    expect((await token({ grant_type: 'refresh_token', refresh_token: t.refresh_token! })).status).toBe(200);
  });

  it('grants only the valid part of the requested scopes and always adds openid', async () => {
    const { code: c, verifier } = await code('services.read made.up.scope incidents.write schedules.write');
    const body = (await (await token({ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT, code_verifier: verifier })).json()) as { scope: string };
    expect(body.scope).toBe('openid services.read incidents.write');
    const nothing = await code('bogus');
    const only = (await (await token({ grant_type: 'authorization_code', code: nothing.code, redirect_uri: REDIRECT, code_verifier: nothing.verifier })).json()) as { scope: string };
    expect(only.scope).toBe('openid');
  });

  it('issues app tokens by client_credentials only with an as_account scope', async () => {
    const bad = await token({ grant_type: 'client_credentials', scope: 'services.read' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'invalid_request', error_description: 'Invalid scope' });
    const ok = (await (await token({ grant_type: 'client_credentials', scope: 'as_account-eu.globex services.read' })).json()) as Record<string, unknown>;
    expect(ok).toMatchObject({ scope: 'as_account-eu.globex services.read', token_type: 'bearer', expires_in: 86400 });
    expect(ok.refresh_token).toBeUndefined();
    const services = await sb.api('/services', { token: String(ok.access_token) });
    expect(((await services.json()) as { services: unknown[] }).services).toHaveLength(3);
    expect((await sb.api('/users/me', { token: String(ok.access_token) })).status).toBe(404);
  });

  it('lets a client register its redirect URIs at runtime', async () => {
    const uri = 'http://127.0.0.1:9999/oauth/pagerduty/callback';
    await sb.control('/_sandbox/clients', { clientId: CLIENT, redirectUris: [uri] });
    const res = await fetch(`${sb.url}/oauth/authorize?${authorizeQuery({ redirect_uri: uri })}`);
    expect(res.status).toBe(200);
    expect((await fetch(`${sb.url}/oauth/authorize?${authorizeQuery()}`)).status).toBe(400);
  });
});

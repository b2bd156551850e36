import { describe, expect, it } from 'vitest';
import { SandboxClock } from './clock.js';
import { OAuthStore } from './oauth-store.js';
import { s256Challenge } from './pkce.js';

const verifier = 'v'.repeat(43);
function store() {
  const clock = new SandboxClock(() => 1_000_000);
  return { clock, store: new OAuthStore({ clock, codeTtlMs: 30_000, accessTtlMs: 3_600_000, refreshTtlMs: null, tokenPrefix: 'lin_oauth_' }) };
}
const grant = { clientId: 'c', redirectUri: 'http://x/cb', account: 'a', user: 'u', scopes: ['read'], codeChallenge: s256Challenge(verifier), codeChallengeMethod: 'S256' };

describe('OAuthStore', () => {
  it('redeems a code once, with PKCE, before it expires', () => {
    const { store: s, clock } = store();
    const code = s.issueCode(grant);
    expect(s.redeemCode(code, 'c', 'http://x/cb', 'w'.repeat(43))).toMatchObject({ ok: false, error: 'invalid_grant' });
    const ok = s.redeemCode(code, 'c', 'http://x/cb', verifier);
    expect(ok.ok).toBe(true);
    expect(s.redeemCode(code, 'c', 'http://x/cb', verifier)).toMatchObject({ ok: false });
    const late = s.issueCode(grant);
    clock.advance(30_000);
    expect(s.redeemCode(late, 'c', 'http://x/cb', verifier)).toMatchObject({ ok: false, description: 'The authorization code has expired.' });
  });

  it('rotates on refresh, refuses the old refresh token, and expires access tokens on the clock', () => {
    const { store: s, clock } = store();
    const { access, refresh } = s.issueTokens({ clientId: 'c', account: 'a', user: 'u', scopes: ['read'] });
    expect(access.value).toMatch(/^lin_oauth_/);
    const rotated = s.refresh(refresh.value, 'c');
    if (!rotated.ok) throw new Error('refresh failed');
    expect(rotated.refresh.family).toBe(refresh.family);
    expect(s.refresh(refresh.value, 'c')).toMatchObject({ ok: false, error: 'invalid_grant' });
    expect(s.refresh(rotated.refresh.value, 'other')).toMatchObject({ ok: false });
    expect(s.authenticate(rotated.access.value)).toBeDefined();
    clock.advance(3_600_000);
    expect(s.authenticate(rotated.access.value)).toBeUndefined();
  });

  it('revokes a whole authorization, or everything of an account', () => {
    const { store: s } = store();
    const one = s.issueTokens({ clientId: 'c', account: 'a', user: 'u', scopes: [] });
    const two = s.issueTokens({ clientId: 'c', account: 'b', user: 'u', scopes: [] });
    expect(s.revoke(one.access.value)).toBe(true);
    expect(s.refresh(one.refresh.value, 'c').ok).toBe(false);
    expect(s.authenticate(two.access.value)).toBeDefined();
    expect(s.revokeAll({ account: 'b' })).toBe(2);
    expect(s.list().every((t) => t.revoked)).toBe(true);
    s.reset();
    expect(s.list()).toEqual([]);
  });
});

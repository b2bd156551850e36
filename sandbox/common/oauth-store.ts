import { randomBytes, randomUUID } from 'node:crypto';
import type { CodeRequest, Grant, IssuedToken, OAuthFailure, OAuthStoreOptions } from './oauth-types.js';
import { verifyS256 } from './pkce.js';

export type { CodeRequest, Grant, IssuedToken, OAuthFailure, OAuthStoreOptions } from './oauth-types.js';

interface StoredCode extends CodeRequest {
  expiresAt: number;
  used: boolean;
  family?: string;
}

/**
 * Authorization codes and tokens for one stand-in, vendor-agnostic. The vendor's routes decide
 * the wire format (scope separator, error bodies); this store decides validity.
 */
export class OAuthStore {
  private codes = new Map<string, StoredCode>();
  private tokens = new Map<string, IssuedToken>();
  private lifetimes: { codeTtlMs: number; accessTtlMs: number; refreshTtlMs: number | null };

  constructor(private readonly opts: OAuthStoreOptions) {
    this.lifetimes = { codeTtlMs: opts.codeTtlMs, accessTtlMs: opts.accessTtlMs, refreshTtlMs: opts.refreshTtlMs };
  }

  issueCode(g: CodeRequest): string {
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { ...g, scopes: [...g.scopes], expiresAt: this.opts.clock.now() + this.lifetimes.codeTtlMs, used: false });
    return code;
  }

  /**
   * Single use, bound to client and redirect URI, expiring, and PKCE S256 when the code was
   * issued with a challenge. Reusing a code also revokes the tokens it produced (RFC 6749 §4.1.2).
   */
  redeemCode(code: string, clientId: string, redirectUri: string, codeVerifier?: string): { ok: true; grant: Grant } | OAuthFailure {
    const stored = this.codes.get(code);
    if (!stored) return fail('The authorization code is invalid.');
    if (stored.used) {
      if (stored.family) this.revokeFamily(stored.family);
      return fail('The authorization code has already been used.');
    }
    if (stored.clientId !== clientId) return fail('The authorization code was issued to another client.');
    if (this.opts.clock.now() >= stored.expiresAt) return fail('The authorization code has expired.');
    if (stored.redirectUri !== redirectUri) return fail('The redirect_uri does not match the authorization request.');
    if (stored.codeChallenge !== undefined) {
      if (stored.codeChallengeMethod !== 'S256') return fail('Unsupported code_challenge_method.');
      if (codeVerifier === undefined) return fail('code_verifier is required.');
      if (!verifyS256(codeVerifier, stored.codeChallenge)) return fail('The code_verifier does not match the code_challenge.');
    }
    stored.used = true;
    stored.family = randomUUID();
    const { clientId: c, account, user, scopes } = stored;
    return { ok: true, grant: { clientId: c, account, user, scopes: [...scopes], family: stored.family } };
  }

  /** Mints an access and a refresh token for the grant (a new family unless `grant.family`). */
  issueTokens(grant: Grant): { access: IssuedToken; refresh: IssuedToken } {
    const family = grant.family ?? randomUUID();
    return { access: this.mint('access', grant, family), refresh: this.mint('refresh', grant, family) };
  }

  /** Mints only an access token (client-credentials grants have no refresh token). */
  issueAccessToken(grant: Grant): IssuedToken {
    return this.mint('access', grant, grant.family ?? randomUUID());
  }

  /** Rotates both tokens; the presented refresh token is invalid afterwards. */
  refresh(refreshToken: string, clientId: string): { ok: true; access: IssuedToken; refresh: IssuedToken } | OAuthFailure {
    const t = this.tokens.get(refreshToken);
    if (t?.kind !== 'refresh') return fail('The refresh token is invalid.');
    if (t.revoked) return fail('The refresh token has been revoked or already used.');
    if (t.clientId !== clientId) return fail('The refresh token was issued to another client.');
    if (t.expiresAt !== null && this.opts.clock.now() >= t.expiresAt) return fail('The refresh token has expired.');
    t.revoked = true;
    const { account, user, scopes, family } = t;
    return { ok: true, ...this.issueTokens({ clientId, account, user, scopes: [...scopes], family }) };
  }

  /** The live access token with this value; undefined when unknown, a refresh token, expired or revoked. */
  authenticate(accessToken: string): IssuedToken | undefined {
    const t = this.tokens.get(accessToken);
    if (t?.kind !== 'access' || t.revoked) return undefined;
    if (t.expiresAt !== null && this.opts.clock.now() >= t.expiresAt) return undefined;
    return t;
  }

  /** Looks a token up whatever its state (for telling "revoked" from "unknown"). */
  find(value: string): IssuedToken | undefined {
    return this.tokens.get(value);
  }

  /**
   * Revokes the authorization this token belongs to: every access and refresh token of its
   * family, as a user's "revoke app access" does. False when the token is unknown.
   */
  revoke(token: string): boolean {
    const t = this.tokens.get(token);
    if (!t) return false;
    this.revokeFamily(t.family);
    return true;
  }

  /** Revokes every token (optionally only one account's / client's / user's); returns how many changed. */
  revokeAll(filter: { account?: string; clientId?: string; user?: string } = {}): number {
    let n = 0;
    for (const t of this.tokens.values()) {
      if (t.revoked) continue;
      if (filter.account !== undefined && t.account !== filter.account) continue;
      if (filter.clientId !== undefined && t.clientId !== filter.clientId) continue;
      if (filter.user !== undefined && t.user !== filter.user) continue;
      t.revoked = true;
      n += 1;
    }
    return n;
  }

  /** Every token ever issued since the last reset, oldest first (copies). */
  list(): IssuedToken[] {
    return [...this.tokens.values()].map((t) => ({ ...t, scopes: [...t.scopes] }));
  }

  reset(): void {
    this.codes.clear();
    this.tokens.clear();
    this.lifetimes = { codeTtlMs: this.opts.codeTtlMs, accessTtlMs: this.opts.accessTtlMs, refreshTtlMs: this.opts.refreshTtlMs };
  }

  /** Changes lifetimes for tokens and codes issued from now on. */
  setLifetimes(p: Partial<{ codeTtlMs: number; accessTtlMs: number; refreshTtlMs: number | null }>): void {
    this.lifetimes = { ...this.lifetimes, ...definedOnly(p) };
  }

  /** Current lifetimes (ms). */
  getLifetimes(): { codeTtlMs: number; accessTtlMs: number; refreshTtlMs: number | null } {
    return { ...this.lifetimes };
  }

  private revokeFamily(family: string): void {
    for (const t of this.tokens.values()) if (t.family === family) t.revoked = true;
  }

  private mint(kind: IssuedToken['kind'], grant: Grant, family: string): IssuedToken {
    const now = this.opts.clock.now();
    const ttl = kind === 'access' ? this.lifetimes.accessTtlMs : this.lifetimes.refreshTtlMs;
    const value = this.opts.mintToken?.(kind) ?? `${this.opts.tokenPrefix}${randomBytes(24).toString('hex')}`;
    const token: IssuedToken = {
      value,
      kind,
      clientId: grant.clientId,
      account: grant.account,
      user: grant.user,
      scopes: [...grant.scopes],
      issuedAt: now,
      expiresAt: ttl === null ? null : now + ttl,
      revoked: false,
      family,
    };
    this.tokens.set(value, token);
    return token;
  }
}

function fail(description: string): OAuthFailure {
  return { ok: false, error: 'invalid_grant', description };
}

function definedOnly<T extends object>(p: T): Partial<T> {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as Partial<T>;
}

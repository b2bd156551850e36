import type { SandboxClock } from './clock.js';

/** Types of the OAuth store (re-exported by oauth-store.ts, import them from there). */

export interface IssuedToken {
  value: string;
  kind: 'access' | 'refresh';
  clientId: string;
  account: string;
  /** The user the token acts as; '' for an app token (client credentials, no user). */
  user: string;
  scopes: string[];
  issuedAt: number;
  /** Epoch ms (sandbox clock), or null = never expires. */
  expiresAt: number | null;
  revoked: boolean;
  /** One authorization (a "delegation"): shared by every token minted from it and its refreshes. */
  family: string;
}

/** What a user approved: everything a code, and then its tokens, carry. */
export interface Grant {
  clientId: string;
  account: string;
  user: string;
  scopes: string[];
  /** Present when redeeming a code or refreshing; issueTokens starts a new family without it. */
  family?: string;
}

export interface CodeRequest extends Omit<Grant, 'family'> {
  redirectUri: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
}

export interface OAuthFailure {
  ok: false;
  error: 'invalid_grant';
  description: string;
}

export interface OAuthStoreOptions {
  clock: SandboxClock;
  codeTtlMs: number;
  accessTtlMs: number;
  /** null = refresh tokens never expire. */
  refreshTtlMs: number | null;
  /** Prefix of every token value, e.g. "lin_oauth_". */
  tokenPrefix: string;
  /** Overrides how token values look (default `${tokenPrefix}${48 hex chars}`). */
  mintToken?(kind: IssuedToken['kind']): string;
}

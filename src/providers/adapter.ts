import type { Config } from '../config/index.js';
import type { ProviderName } from '../db/tables.js';

/**
 * What the connections module needs to know about one provider, as data plus small functions.
 * A new provider is a new folder beside pagerduty/ and linear/ exporting one of these;
 * nothing in connections/ knows a vendor's details.
 */
export interface ProviderAdapter {
  name: ProviderName;
  /** OAuth endpoints and client credentials for this configuration. */
  oauth(config: Config): ProviderOAuthSettings;
  /**
   * Adjusts a successful token-endpoint JSON body before oauth4webapi validates it (vendor
   * quirks), returning hints the body carried that identify() may use. Mutates `body`.
   */
  normaliseTokenBody(body: Record<string, unknown>): Record<string, unknown> | undefined;
  /** Who and what a fresh token belongs to; an expected refusal (e.g. a role) is a value. */
  identify(config: Config, token: FreshToken): Promise<IdentifyResult>;
  /** Gives the authorization back; undefined when the provider offers no way to. */
  revoke: ((config: Config, tokens: { accessToken: string | undefined; refreshToken: string | undefined }) => Promise<'revoked' | 'already_gone'>) | undefined;
}

export interface ProviderOAuthSettings {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  requestedScopes: string[];
  /** Scopes the granted set must contain. */
  requiredScopes: string[];
  /** How the authorize request joins scopes (PagerDuty: space, Linear: comma). */
  scopeSeparator: ' ' | ',';
  /** Extra authorize parameters (Linear: prompt=consent). */
  extraAuthorizeParameters: Record<string, string>;
  /** Advice shown when scopes are missing. */
  missingScopeAdvice: string;
}

export interface FreshToken {
  accessToken: string;
  scopes: string[];
  /** What normaliseTokenBody returned. */
  hints: Record<string, unknown> | undefined;
}

/** Who and what was connected. */
export interface IdentifiedAccount {
  /** Stable account id: reconnecting must land on the same one. */
  accountId: string;
  accountName: string;
  subdomain: string | null;
  accountUrl: string | null;
  region: 'us' | 'eu' | null;
  /** The API base this connection calls (PagerDuty: by region). */
  apiUrl: string;
  user: { id: string; name: string; email: string | null; role: string | null };
}

export type IdentifyResult = { ok: true; account: IdentifiedAccount } | { ok: false; code: 'insufficient_role'; message: string };

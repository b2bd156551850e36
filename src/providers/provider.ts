import type { Config } from '../config/index.js';
import type { Result } from '../core/result.js';
import type { ProviderName } from './names.js';
import type { RateHeaderReader } from './pacing.js';
import type { IncidentPager, IssueTracker } from './roles.js';
import type { ProviderRequest } from './request.js';
import type { ProviderScope, ProviderWebhooks, ScopeKind } from './webhooks.js';

/**
 * One provider, as the rest of the hub sees it: data plus the few functions where vendors
 * differ. Each vendor folder (pagerduty/, linear/) exports one; registry.ts lists them. Code
 * outside src/providers/ reaches a vendor only through this interface and never compares a
 * provider name with a literal — adding a vendor is a folder and a registry entry.
 */
export interface Provider {
  name: ProviderName;
  /** For people: `PagerDuty`. */
  displayName: string;
  /** What one connection reaches: a PagerDuty `account`, a Linear `workspace`. */
  accountNoun: 'account' | 'workspace';
  /** Prefix of the hub's environment variables for its OAuth client (`PAGERDUTY` → PAGERDUTY_CLIENT_ID). */
  configEnvPrefix: string;
  /** Added to "the authorization code expired" (PagerDuty: codes live 30 seconds). */
  codeLifetimeNote: string | undefined;
  /** Where a person revokes the hub's access at the vendor (for messages): `PagerDuty (Settings → OAuth Applications)`. */
  revokePlace: string;
  /** Providers that must be connected before this one, and why (Linear after PagerDuty). */
  requires: readonly ProviderRequirement[];
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
  /** What the Connections tab says after a successful connect. */
  connectedMessage(account: IdentifiedAccount): string;
  /** Reads the rate budget from a response's headers (the connection's pacer uses it). */
  readRateHeaders: RateHeaderReader;
  /**
   * The documented request limit per connection and the window it counts over. The limit the
   * headers state wins once seen (vendors change it); the window is never in the headers.
   */
  rateLimit: { requests: number; windowMs: number };
  /** One cheap authenticated call: the keeper's proof that the token still works. */
  healthCheck(request: ProviderRequest): Promise<unknown>;
  /** The teams or services webhooks watch (and rules pick from), every page. */
  scopes: { kind: ScopeKind; list(request: ProviderRequest): Promise<ProviderScope[]> };
  webhooks: ProviderWebhooks;
  /** Set when this provider is the issue tracker rules watch; exactly one provider plays it (registry.ts). */
  issueTracker?: IssueTracker;
  /** Set when this provider is the incident pager rules page; exactly one provider plays it (registry.ts). */
  incidentPager?: IncidentPager;
}

export interface ProviderRequirement {
  provider: ProviderName;
  /** Ends "Connect PagerDuty first: Linear is connected after PagerDuty, …". */
  why: string;
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

export type IdentifyResult = Result<IdentifiedAccount, 'insufficient_role'>;

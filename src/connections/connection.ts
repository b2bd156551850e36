import type { ProviderName } from '../providers/names.js';
import type { ConnectionStatusReason } from './outcome-codes.js';

export type ConnectionStatus = 'not_connected' | 'connected' | 'disconnected';

/**
 * An organisation's connection to one provider, as the hub sees it (one per organisation and
 * provider, kept across disconnects). The tokens are not part of it: they live in the vault
 * ({@link tokenRef}); the refresh lease is the repositories' business.
 */
export interface Connection {
  id: string;
  organisationId: string;
  provider: ProviderName;
  status: ConnectionStatus;
  /** Why it is not connected; null while connected. */
  statusReason: ConnectionStatusReason | null;
  statusMessage: string | null;
  statusChangedAt: number;
  /** PagerDuty account id / Linear organization id: reconnecting must land on the same one. */
  externalAccountId: string;
  accountName: string;
  /** PagerDuty subdomain / Linear urlKey. */
  accountSubdomain: string | null;
  accountUrl: string | null;
  /** PagerDuty: 'us' | 'eu'. */
  region: string | null;
  /** REST base (PagerDuty, by region) or GraphQL endpoint (Linear) this connection calls. */
  apiUrl: string;
  providerUserId: string;
  providerUserName: string;
  /** PagerDuty: sent as the From header on incident writes. */
  providerUserEmail: string | null;
  providerUserRole: string | null;
  /** The scopes the provider granted. */
  scopes: string[];
  connectedByUserId: string | null;
  connectedByEmail: string;
  connectedAt: number;
  accessTokenExpiresAt: number | null;
  /** The access token's lifetime as the provider stated it (`expires_in`), null when it did not. */
  accessTokenLifetimeMs: number | null;
  /** Bumped by every stored token change; refreshes are conditional on it. */
  tokenVersion: number;
  /** Transient refresh failures in a row, and when the next refresh may be tried. */
  refreshFailures: number;
  refreshRetryAt: number | null;
  /** When the tokens were last refreshed (the per-connection rate limit counts from it). */
  lastRefreshedAt: number | null;
  /** Access tokens in a row that proved too short-lived to use (see refresh-policy.ts). */
  shortLivedTokens: number;
  /** When a keeper last checked the token. */
  lastCheckedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

/** The vault reference of a connection's token (owner `connections`/<id>). */
export const tokenRef = (connection: Pick<Connection, 'organisationId' | 'id'>, field: 'access_token' | 'refresh_token') => ({
  organisationId: connection.organisationId,
  ownerTable: 'connections',
  ownerId: connection.id,
  field,
});

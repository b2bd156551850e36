import type { ProviderName } from '../../providers/names.js';

/** Connections to providers and the OAuth attempts that make them (src/connections/). */

export interface ConnectionsTable {
  id: string;
  organisation_id: string;
  provider: ProviderName;
  status: 'not_connected' | 'connected' | 'disconnected';
  /** Machine code of why it is not connected (ConnectionStatusReasonCode), null while connected. */
  status_reason: string | null;
  status_message: string | null;
  status_changed_at: number;
  /** PagerDuty account id / Linear organization id: reconnecting must land on the same one. */
  external_account_id: string;
  account_name: string;
  /** PagerDuty subdomain / Linear urlKey. */
  account_subdomain: string | null;
  account_url: string | null;
  /** PagerDuty: 'us' | 'eu'. */
  region: string | null;
  /** REST base (PagerDuty, by region) or GraphQL endpoint (Linear) this connection calls. */
  api_url: string;
  provider_user_id: string;
  provider_user_name: string;
  /** PagerDuty: sent as the From header on incident writes. */
  provider_user_email: string | null;
  provider_user_role: string | null;
  /** Granted scopes, space-separated. */
  scopes: string;
  connected_by_user_id: string | null;
  connected_by_email: string;
  connected_at: number;
  /** The tokens themselves live in vault_secrets (owner 'connections', fields access_token/refresh_token). */
  access_token_expires_at: number | null;
  /** The access token's lifetime as the provider stated it (`expires_in`), null when it did not. */
  access_token_lifetime_ms: number | null;
  /** Bumped by every stored token change; refreshes are conditional on it. */
  token_version: number;
  /** Cross-process refresh lock: who holds it and until when (see connections/tokens). */
  refresh_lease_owner: string | null;
  refresh_lease_until: number | null;
  /** Transient refresh failures in a row, and when the next refresh may be tried. */
  refresh_failures: number;
  refresh_retry_at: number | null;
  /** When the tokens were last refreshed (the per-connection rate limit counts from it). */
  last_refreshed_at: number | null;
  /** Access tokens in a row that proved too short-lived to use (see connections/refresh-policy). */
  short_lived_tokens: number;
  /** When a keeper last checked the token (claimed by one process per interval). */
  last_checked_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface OAuthAttemptsTable {
  id: string;
  organisation_id: string;
  user_id: string;
  /** The session that clicked Connect: the callback must arrive in the same session. */
  session_id_hash: string;
  provider: ProviderName;
  /** SHA-256 (hex) of the one-time `state`; the PKCE verifier is in the vault. */
  state_hash: string;
  /** pending → exchanging (the callback claimed it) → succeeded | failed. */
  status: 'pending' | 'exchanging' | 'succeeded' | 'failed';
  error_code: string | null;
  message: string | null;
  created_at: number;
  expires_at: number;
  finished_at: number | null;
}

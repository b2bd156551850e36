/**
 * The connections module's words for outcomes, shown to people through the API (the contract,
 * src/api/connections.ts, declares the same lists; src/http/vocabulary.ts proves they are equal).
 */

/** Why a Connect attempt failed (the attempt's `error_code`). */
export type ConnectFailureCode =
  | 'access_denied'
  | 'authorization_error'
  | 'state_missing'
  | 'state_unknown'
  | 'state_reused'
  | 'state_expired'
  | 'state_other_session'
  | 'state_wrong_provider'
  | 'code_missing'
  | 'code_rejected'
  | 'token_exchange_failed'
  | 'token_exchange_timeout'
  | 'provider_unavailable'
  | 'insufficient_scope'
  | 'insufficient_role'
  | 'wrong_account'
  | 'already_connected'
  | 'account_lookup_failed'
  | 'not_admin'
  | 'session_required';

/** Why a connection is not connected (the connection's `status_reason`). */
export type ConnectionStatusReason =
  | 'disconnected_by_user'
  | 'access_revoked'
  | 'refresh_failed'
  | 'unauthorized_after_refresh'
  | 'token_lifetime_too_short';

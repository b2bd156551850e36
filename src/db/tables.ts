import type { Generated } from 'kysely';
import type { ProviderName } from '../providers/names.js';

/**
 * Row types of every table, as Kysely sees them. Conventions (both dialects):
 * - ids are text with a prefix (see core/ids.ts);
 * - times are integer milliseconds since the epoch (`bigint` on PostgreSQL, parsed to number);
 * - booleans are integers 0/1; JSON is text;
 * - every table that holds organisation data carries `organisation_id`, and every query on
 *   it filters by that column.
 * Row ⇄ domain mapping lives beside each repository.
 */

export interface OrganisationsTable {
  id: string;
  name: string;
  created_at: number;
}

export interface UsersTable {
  id: string;
  organisation_id: string;
  /** Lower-cased; unique across the installation (log-in resolves the organisation). */
  email: string;
  name: string;
  password_hash: string;
  role: 'admin' | 'viewer';
  created_at: number;
  updated_at: number;
  /** Set while an admin has deactivated the user (no log-in, no session honoured); null: active. */
  deactivated_at: number | null;
  /** 1 after an admin reset the password: the user's sessions may only change it. */
  must_change_password: Generated<number>;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the session cookie value; the value itself is never stored. */
  id_hash: string;
  organisation_id: string;
  user_id: string;
  /** Per-session anti-CSRF token, sent back by the web app in the X-CSRF-Token header. */
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface LoginThrottlesTable {
  /** "account:<email>" or "address:<ip>". */
  key: string;
  failures: number;
  first_failure_at: number;
  locked_until: number;
}

export interface VaultSecretsTable {
  id: string;
  organisation_id: string;
  /** What the secret belongs to, bound into the ciphertext as associated data. */
  owner_table: string;
  owner_id: string;
  field: string;
  /** Id of the master key that wraps this secret's data key (also inside the envelope). */
  key_id: string;
  /** The envelope: see vault/envelope.ts. Never plaintext. */
  envelope: string;
  created_at: number;
  updated_at: number;
}

export interface VaultStateTable {
  /** Always 1: a single row. */
  id: number;
  /** Key id new secrets are wrapped with; changed by `integration-hub rotate-key`. */
  active_key_id: string;
  updated_at: number;
}

export interface VaultRetiredKeysTable {
  /** A master key id that a rotation moved away from; never made active again. */
  key_id: string;
  retired_at: number;
}

/** The registry's keys (providers/names.ts); the CHECK constraints of the provider columns list them too. */
export type { ProviderName } from '../providers/names.js';

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

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'dead';

export interface JobsTable {
  /** Enqueue order (autoincrement / bigserial); a lane's jobs run in this order. */
  seq: Generated<number>;
  id: string;
  /** The organisation the job works for (null for installation-wide jobs). */
  organisation_id: string | null;
  /** A kind of the job catalog (queue/catalog.ts). */
  kind: string;
  /** JSON, valid against the kind's payload schema. */
  payload: string;
  /** Ordering key: jobs sharing a lane run one at a time, in seq order. */
  lane: string | null;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  /** Not before this time (retry backoff, deferral). */
  run_at: number;
  /** Worker holding the lease, and until when; an expired lease makes the job runnable again. */
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  /** What a deferred job waits for (`connection:<provider>`); that event brings it forward. */
  waiting_for: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export type EndpointStatus = 'creating' | 'active' | 'disabled' | 'temporarily_disabled' | 'missing' | 'unknown';

/** A webhook the hub created at a provider: a Linear team webhook or a PagerDuty service subscription. */
export interface WebhookEndpointsTable {
  /** In the delivery URL: ${PUBLIC_URL}/webhooks/<provider>/<id>. */
  id: string;
  organisation_id: string;
  connection_id: string;
  provider: ProviderName;
  scope_kind: 'team' | 'service';
  /** Linear team id / PagerDuty service id. */
  scope_id: string;
  scope_name: string;
  /** Linear webhook id / PagerDuty subscription id; null while being created. */
  external_id: string | null;
  status: EndpointStatus;
  status_detail: string | null;
  status_checked_at: number | null;
  last_delivery_at: number | null;
  /** The last request to this endpoint the intake refused (bad signature, stale, malformed), and why. */
  last_refused_at: number | null;
  last_refusal: string | null;
  created_by_email: string | null;
  created_at: number;
  updated_at: number;
}

export type DeliveryOutcome = 'received' | 'processed' | 'ignored' | 'failed';

/** One accepted webhook request (verified, deduplicated by the provider's delivery id). */
export interface WebhookDeliveriesTable {
  id: string;
  organisation_id: string;
  endpoint_id: string;
  provider: ProviderName;
  scope_kind: 'team' | 'service';
  scope_id: string;
  scope_name: string;
  /**
   * Linear-Delivery / X-Webhook-Id (unsigned headers): the same on every retry of one delivery.
   * At most 200 characters; longer ones are stored as `sha256:<hex>` (core/stored-text.ts).
   */
  external_id: string;
  /**
   * From signed content only — Linear: `sha256:` of the body; PagerDuty: `event:` + event.id —
   * so a replay under a new header is still recognised (webhooks/delivery-keys.ts). Null on rows
   * stored before migration 0007. Unique per endpoint.
   */
  replay_key: string | null;
  /** `Issue.create`, `Comment.update`, `incident.acknowledged`… (no NUL, at most 200 characters) */
  event_type: string;
  entity_type: string;
  /** The vendor's id, or `sha256:<hex>` of it when longer than 200 characters. */
  entity_id: string;
  entity_label: string | null;
  /**
   * The rest of the provider-neutral event (providers/events.ts), stored by the intake so the
   * delivery's job never parses the body again. Null on rows stored before migration 0009.
   */
  event_kind: string | null;
  entity_kind: string | null;
  /** What the event belongs to (a comment's issue, a note's incident): its kind and id. */
  subject_kind: string | null;
  subject_id: string | null;
  actor_id: string | null;
  actor_name: string | null;
  occurred_at: number | null;
  /** The provider account / workspace the delivery says it comes from (Linear organizationId). */
  account_id: string | null;
  /** The raw JSON body as received (signature-verified, valid UTF-8: byte for byte as signed). */
  body: string;
  outcome: DeliveryOutcome;
  outcome_detail: string | null;
  /** Further copies of the same delivery that were absorbed. */
  duplicates: number;
  job_id: string | null;
  received_at: number;
  processed_at: number | null;
}

export interface Database {
  organisations: OrganisationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_throttles: LoginThrottlesTable;
  vault_secrets: VaultSecretsTable;
  vault_state: VaultStateTable;
  vault_retired_keys: VaultRetiredKeysTable;
  connections: ConnectionsTable;
  oauth_attempts: OAuthAttemptsTable;
  jobs: JobsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
}

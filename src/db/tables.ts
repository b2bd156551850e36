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

export interface Database {
  organisations: OrganisationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_throttles: LoginThrottlesTable;
  vault_secrets: VaultSecretsTable;
  vault_state: VaultStateTable;
  vault_retired_keys: VaultRetiredKeysTable;
}

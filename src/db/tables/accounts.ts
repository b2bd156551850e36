import type { Generated } from 'kysely';

/** Organisations, users, sessions and log-in throttles (src/accounts/). */

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

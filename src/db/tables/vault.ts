/** Encrypted secrets and the master-key bookkeeping (src/vault/). */

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

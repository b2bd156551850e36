/**
 * Contract: the Vault service — the only way the hub stores and reads secrets (OAuth tokens,
 * webhook signing secrets, client secrets). Each secret lives in vault_secrets as an envelope
 * (see envelope.ts) bound to its organisation, record and field; every query filters by
 * organisation_id. New secrets are sealed under the key vault_state.active_key_id names (cached,
 * re-read whenever a write finds it moved). Meeting a key id it does not hold, a vault on the
 * key file re-reads that file once and retries: that is how a running hub follows
 * `integration-hub rotate-key`. Plaintexts are never logged nor put in errors.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { Dialect } from '../db/database.js';
import type { Database } from '../db/tables.js';
import { envelopeKeyId, type SecretRef } from './envelope.js';
import { VaultError, VaultKeyUnavailableError } from './errors.js';
import type { Keyring } from './keyring.js';
import {
  deleteOwnerSecrets,
  deleteSecret,
  findSecretEnvelope,
  readActiveKeyId,
  upsertSecretIfKeyActive,
} from './repository.js';

export type { SecretRef } from './envelope.js';

export interface VaultOptions {
  keyring: Keyring;
  dialect: Dialect;
  /** vault_state.active_key_id as last seen. */
  activeKeyId: string;
  clock: Clock;
  /** Re-reads the key source and returns the key ids learned (file source only). */
  reloadKeys?: () => Promise<string[]>;
}

const MAX_WRITE_ATTEMPTS = 3;

/** "connections/con_1 field access_token of organisation org_1": safe to show. */
export function describeRef(ref: SecretRef): string {
  return `secret ${ref.ownerTable}/${ref.ownerId} field ${ref.field} of organisation ${ref.organisationId}`;
}

function assertRef(ref: SecretRef): void {
  for (const [name, value] of Object.entries(ref)) {
    if (typeof value !== 'string' || value === '') throw new TypeError(`vault: ${name} must be a non-empty string`);
  }
}

export class Vault {
  readonly #keyring: Keyring;
  readonly #dialect: Dialect;
  readonly #clock: Clock;
  readonly #reloadKeys: (() => Promise<string[]>) | undefined;
  #activeKeyId: string;
  #reloading: Promise<string[]> | undefined;

  constructor(options: VaultOptions) {
    this.#keyring = options.keyring;
    this.#dialect = options.dialect;
    this.#clock = options.clock;
    this.#reloadKeys = options.reloadKeys;
    this.#activeKeyId = options.activeKeyId;
  }

  /** The key id new secrets were last sealed under (diagnostics; not secret). */
  get activeKeyId(): string {
    return this.#activeKeyId;
  }

  /** Stores (or replaces) the secret for `ref`. Works inside a transaction handle too. */
  async put(db: Kysely<Database>, ref: SecretRef, plaintext: string): Promise<void> {
    assertRef(ref);
    if (typeof plaintext !== 'string') throw new TypeError('vault: a secret must be a string');
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      const keyId = this.#activeKeyId;
      await this.#ensureKey(keyId);
      const envelope = this.#keyring.encrypt(ref, plaintext, keyId);
      if (await upsertSecretIfKeyActive(db, this.#dialect, ref, keyId, envelope, this.#clock.now())) return;
      // A rotation switched the active key: follow it.
      const current = await readActiveKeyId(db);
      if (current === undefined) throw new VaultError('vault_state is empty: the vault was not opened on this database');
      this.#activeKeyId = current;
    }
    throw new VaultError(`could not store ${describeRef(ref)}: the active master key kept changing`);
  }

  /** The secret for `ref`, or undefined when none is stored. */
  async get(db: Kysely<Database>, ref: SecretRef): Promise<string | undefined> {
    assertRef(ref);
    const envelope = await findSecretEnvelope(db, ref);
    if (envelope === undefined) return undefined;
    const subject = describeRef(ref);
    await this.#ensureKey(envelopeKeyId(envelope, subject));
    return this.#keyring.decrypt(envelope, ref, subject);
  }

  /** Deletes one secret; true when it existed. */
  async delete(db: Kysely<Database>, ref: SecretRef): Promise<boolean> {
    assertRef(ref);
    return deleteSecret(db, ref);
  }

  /** Deletes every secret of one record (e.g. when a connection is removed); returns how many. */
  async deleteOwner(db: Kysely<Database>, organisationId: string, ownerTable: string, ownerId: string): Promise<number> {
    assertRef({ organisationId, ownerTable, ownerId, field: '*' });
    return deleteOwnerSecrets(db, organisationId, ownerTable, ownerId);
  }

  async #ensureKey(keyId: string): Promise<void> {
    if (this.#keyring.has(keyId)) return;
    if (this.#reloadKeys !== undefined) {
      // One re-read shared by every caller that is waiting for it.
      this.#reloading ??= this.#reloadKeys().finally(() => {
        this.#reloading = undefined;
      });
      await this.#reloading;
      if (this.#keyring.has(keyId)) return;
    }
    throw new VaultKeyUnavailableError(
      keyId,
      this.#reloadKeys === undefined
        ? 'set HUB_MASTER_KEY (or HUB_MASTER_KEY_PREVIOUS) to include it'
        : 'the master key file does not hold it',
    );
  }
}

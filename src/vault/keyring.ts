/**
 * Contract: the master keys one process holds, by key id. `decrypt`/`rewrap` pick the key the
 * envelope names and throw VaultKeyUnavailableError when it is not held. `activeKeyId` is the
 * key this process was configured with; which key NEW secrets use is decided by the database
 * (vault_state.active_key_id, see vault.ts). Keys never leave this object except to the
 * envelope functions.
 */
import { type SecretRef, envelopeKeyId, keyIdOf, openEnvelope, rewrapEnvelope, sealEnvelope } from './envelope.js';
import { VaultKeyUnavailableError } from './errors.js';

export class Keyring {
  readonly #keys = new Map<string, Buffer>();
  readonly activeKeyId: string;

  constructor(active: Buffer, previous: readonly Buffer[] = []) {
    this.activeKeyId = keyIdOf(active);
    this.add([active, ...previous]);
  }

  /** Adds keys (e.g. after re-reading the key file); returns the ids that were new. */
  add(keys: readonly Buffer[]): string[] {
    const added: string[] = [];
    for (const key of keys) {
      const id = keyIdOf(key);
      if (!this.#keys.has(id)) {
        this.#keys.set(id, Buffer.from(key));
        added.push(id);
      }
    }
    return added;
  }

  has(keyId: string): boolean {
    return this.#keys.has(keyId);
  }

  /** Every key id held, the active one first. */
  keyIds(): string[] {
    return [this.activeKeyId, ...[...this.#keys.keys()].filter((id) => id !== this.activeKeyId)];
  }

  #key(keyId: string): Buffer {
    const key = this.#keys.get(keyId);
    if (key === undefined) throw new VaultKeyUnavailableError(keyId);
    return key;
  }

  /** Seals `plaintext` for `ref` under the key `keyId` (default: this process's active key). */
  encrypt(ref: SecretRef, plaintext: string, keyId: string = this.activeKeyId): string {
    return sealEnvelope(this.#key(keyId), ref, plaintext);
  }

  decrypt(envelope: string, ref: SecretRef, subject?: string): string {
    return openEnvelope(this.#key(envelopeKeyId(envelope, subject)), envelope, ref, subject);
  }

  /** Re-wraps the envelope's data key under `toKeyId`; the encrypted data is unchanged. */
  rewrap(envelope: string, toKeyId: string, subject?: string): string {
    return rewrapEnvelope(this.#key(envelopeKeyId(envelope, subject)), this.#key(toKeyId), envelope, subject);
  }
}

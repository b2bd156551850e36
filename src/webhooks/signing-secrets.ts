import type { HubDatabase } from '../db/database.js';
import type { Vault } from '../vault/vault.js';
import { signingSecretRef, type Endpoint } from './endpoints-repository.js';

/**
 * Endpoint signing secrets for the intake, decrypted once per endpoint and process instead of
 * on every delivery. Safe to keep: an endpoint's secret never changes (a new secret means a
 * new endpoint id), and a deleted endpoint is refused before its secret is looked up (within
 * the endpoint cache's bound: intake-endpoints.ts). Bounded;
 * the oldest entry goes first. A secret not stored yet is not remembered.
 */
export class SigningSecrets {
  readonly #known = new Map<string, string>();
  readonly #database: HubDatabase;
  readonly #vault: Vault;
  readonly #max: number;

  constructor(database: HubDatabase, vault: Vault, max = 10_000) {
    this.#database = database;
    this.#vault = vault;
    this.#max = max;
  }

  async of(endpoint: Pick<Endpoint, 'organisationId' | 'id'>): Promise<string | undefined> {
    const known = this.#known.get(endpoint.id);
    if (known !== undefined) return known;
    const secret = await this.#vault.get(this.#database.db, signingSecretRef(endpoint));
    if (secret === undefined) return undefined;
    const oldest = this.#known.keys().next();
    if (this.#known.size >= this.#max && oldest.done !== true) this.#known.delete(oldest.value);
    this.#known.set(endpoint.id, secret);
    return secret;
  }
}

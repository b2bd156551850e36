import type { Kysely } from 'kysely';
import type { Database, ProviderName } from '../db/tables.js';
import { findEndpointForIntake, type Endpoint } from './endpoints-repository.js';

/**
 * How long the intake trusts an endpoint it looked up, in this process, without reading it
 * again. What the intake uses of an endpoint never changes while it exists (organisation,
 * provider, scope; a new secret means a new endpoint), so the only staleness is a deletion:
 * in the process that deletes it, the intake refuses the endpoint at once (`endpointForgotten`);
 * in another process (several web processes on one PostgreSQL), for at most this long after the
 * deletion commits, a delivery to it can still be accepted and processed — the same as one that
 * raced the deletion before (docs/webhooks.md).
 */
export const INTAKE_ENDPOINT_TTL_MS = 1000;

/**
 * Bumped after a deletion commits, in this process: every cached endpoint looked up before is
 * read again. Deletions are rare (an admin removing a webhook), so one counter for all is enough.
 */
let forgettings = 0;

/** Call after the transaction that deleted an endpoint has committed. */
export function endpointForgotten(): void {
  forgettings += 1;
}

interface Cached {
  endpoint: Endpoint;
  /** `forgettings` when the row was read (before the read: a deletion during it still counts). */
  generation: number;
  readAt: number;
}

/**
 * The intake's endpoint lookups, each endpoint read at most once per INTAKE_ENDPOINT_TTL_MS per
 * process (one statement per delivery before: on PostgreSQL a round trip each). Only endpoints
 * found are kept, so a new endpoint is found at once. Bounded; the oldest entry goes first.
 * Time is the process's monotonic clock, not the hub's Clock (a test's frozen clock must not
 * freeze the cache).
 */
export class IntakeEndpoints {
  readonly #db: Kysely<Database>;
  readonly #known = new Map<string, Cached>();
  readonly #max: number;

  constructor(db: Kysely<Database>, max = 10_000) {
    this.#db = db;
    this.#max = max;
  }

  async find(provider: ProviderName, id: string): Promise<Endpoint | undefined> {
    const cached = this.#known.get(id);
    const now = performance.now();
    if (cached?.generation === forgettings && now - cached.readAt < INTAKE_ENDPOINT_TTL_MS) {
      return cached.endpoint.provider === provider ? cached.endpoint : undefined;
    }
    const generation = forgettings;
    const endpoint = await findEndpointForIntake(this.#db, provider, id);
    this.#known.delete(id);
    if (endpoint === undefined) return undefined;
    const oldest = this.#known.keys().next();
    if (this.#known.size >= this.#max && oldest.done !== true) this.#known.delete(oldest.value);
    this.#known.set(id, { endpoint, generation, readAt: now });
    return endpoint;
  }
}

import { isUtf8 } from 'node:buffer';
import type { Clock } from '../core/clock.js';
import { newId } from '../core/ids.js';
import { fail, ok, type Failure, type Result } from '../core/result.js';
import type { HubDatabase } from '../db/database.js';
import { isProviderName } from '../providers/names.js';
import { providers } from '../providers/registry.js';
import type { HeaderReader, ParseRefusal, SignatureRefusal } from '../providers/webhooks.js';
import type { JobQueue } from '../queue/queue.js';
import type { Vault } from '../vault/vault.js';
import type { StoreOutcome } from './deliveries-repository.js';
import { deliveryKeys } from './delivery-keys.js';
import { recordRefusal, type Endpoint } from './endpoints-repository.js';
import { IntakeEndpoints } from './intake-endpoints.js';
import { RefusalTracker } from './refusal-tracker.js';
import { SigningSecrets } from './signing-secrets.js';
import { storedEvent } from './stored-event.js';
import { deliveryWriter, type DeliveryToStore } from './store-deliveries.js';

/** A request to /webhooks/:provider/:id, as received: the raw bytes and the headers. */
export interface RawDelivery {
  provider: string;
  endpointId: string;
  body: Buffer;
  header: HeaderReader;
}

/** Why a delivery is refused; nothing is stored for any of them. */
export type IntakeRefusal = 'not_found' | 'webhook_not_ready' | SignatureRefusal | ParseRefusal;

export interface IntakeDeps {
  database: HubDatabase;
  vault: Vault;
  clock: Clock;
  queue: JobQueue;
}

interface IntakeLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/**
 * The webhook intake, the same for every provider: find the endpoint (cached for a second:
 * intake-endpoints.ts), verify the signature
 * over the raw bytes before anything is parsed, read the body (valid UTF-8 only), parse it into
 * the provider-neutral event (where the provider signs a timestamp, within its window), then
 * store the delivery and its event with its processing job in one transaction (shared with the
 * deliveries arriving at the same time: store-deliveries.ts). A repeated
 * delivery (a vendor's retry) or a replay (delivery-keys.ts) is only counted. The route
 * (http/routes/webhooks/intake.ts) turns refusals into statuses; nothing a signed delivery
 * contains can make storing fail (stored-event.ts).
 * Refusals are counted in memory; an endpoint is recorded Failing only on a sustained pattern
 * (refusal-tracker.ts), so a refused request normally writes nothing.
 */
export class DeliveryIntake {
  readonly #deps: IntakeDeps;
  readonly #endpoints: IntakeEndpoints;
  readonly #secrets: SigningSecrets;
  readonly #refusals: RefusalTracker;
  readonly #writer: { submit(item: DeliveryToStore): Promise<StoreOutcome> };

  constructor(deps: IntakeDeps, refusals = new RefusalTracker()) {
    this.#deps = deps;
    this.#endpoints = new IntakeEndpoints(deps.database.db);
    this.#secrets = new SigningSecrets(deps.database, deps.vault);
    this.#refusals = refusals;
    this.#writer = deliveryWriter(deps.database, deps.queue);
  }

  async receive(raw: RawDelivery, log: IntakeLog): Promise<Result<StoreOutcome, IntakeRefusal>> {
    if (!isProviderName(raw.provider)) return fail('not_found', 'No such webhook.');
    const endpoint = await this.#endpoints.find(raw.provider, raw.endpointId);
    if (endpoint === undefined) return fail('not_found', 'No such webhook.');
    const secret = await this.#secrets.of(endpoint);
    // A PagerDuty subscription between its creation and the storing of the secret PagerDuty
    // returned: the route asks for a retry (503) instead of a 4xx that PagerDuty would drop.
    if (secret === undefined) return fail('webhook_not_ready', 'This webhook is being set up; try again shortly.');
    const webhooks = providers.get(endpoint.provider).webhooks;
    const refuse = async <Code extends IntakeRefusal>(failure: Failure<Code>) => {
      await this.#countRefusal(endpoint, failure, log);
      return failure;
    };
    const verified = webhooks.verify(raw.body, raw.header, secret);
    if (!verified.ok) return refuse(verified);
    // JSON between systems is UTF-8 (RFC 8259 §8.1) and the body is stored as text: only valid
    // UTF-8 reads back byte for byte (so its signature still verifies); anything else is refused.
    if (!isUtf8(raw.body)) return refuse(fail('invalid_delivery', 'The body is not valid UTF-8.'));
    const text = raw.body.toString('utf8');
    const parsed = webhooks.parse(text, this.#deps.clock.now());
    if (!parsed.ok) return refuse(parsed);
    const keys = deliveryKeys(raw.body, raw.header(webhooks.deliveryIdHeader), parsed.value.signedEventId);
    const { subject } = parsed.value.event;

    // Stored with its job in a transaction shared with the deliveries arriving with it (group
    // commit); answered only after that commit. One lane per subject (an issue, an incident) — or
    // its link's, as the queue decides.
    const outcome = await this.#writer.submit({
      delivery: {
        id: newId('dlv'),
        organisationId: endpoint.organisationId,
        endpointId: endpoint.id,
        provider: endpoint.provider,
        scopeKind: endpoint.scopeKind,
        scopeId: endpoint.scopeId,
        scopeName: endpoint.scopeName,
        ...keys,
        ...storedEvent(parsed.value.event),
        body: text,
        receivedAt: this.#deps.clock.now(),
      },
      laneOf: { provider: endpoint.provider, kind: subject.kind, id: subject.id },
    });
    this.#refusals.accepted(endpoint.id);
    if (outcome === 'stored') this.#deps.queue.wake();
    return ok(outcome);
  }

  /**
   * Counts a refused request in memory; writes the endpoint's Failing record only when the
   * tracker says the pattern holds (at most once per endpoint per interval). A failed write is
   * logged, never turned into a 5xx: the sender still gets its 4xx. Logged as `webhook refused`
   * only when the tracker finds it worth it (the first of a streak, then every 100th).
   */
  async #countRefusal(endpoint: Endpoint, refusal: Failure, log: IntakeLog): Promise<void> {
    const now = this.#deps.clock.now();
    const mark = this.#refusals.refused(endpoint, now);
    if (this.#refusals.worthLogging(endpoint.id)) {
      log.info({ endpointId: endpoint.id, code: refusal.code, refusedInStreak: this.#refusals.streakLength(endpoint.id) }, 'webhook refused');
    }
    if (mark === undefined) return;
    const summary = `${mark.count} requests refused since ${new Date(mark.since).toISOString()}, none accepted; the latest: ${refusal.message}`;
    try {
      await recordRefusal(this.#deps.database.db, endpoint.id, summary, now);
      log.warn({ endpointId: endpoint.id, refusals: mark.count }, 'webhook failing');
    } catch (error) {
      log.error({ err: error, endpointId: endpoint.id }, 'could not record the webhook as failing');
    }
  }
}

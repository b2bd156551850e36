import type { Result } from '../core/result.js';
import type { ProviderEvent } from './events.js';
import type { ProviderRequest } from './request.js';

/** What one webhook of a provider watches: a Linear team, a PagerDuty service. */
export type ScopeKind = 'team' | 'service';

/** One team or service, as listed by the provider (fields a provider lacks are null). */
export interface ProviderScope {
  id: string;
  name: string;
  /** Linear: the team key (ENG). */
  key: string | null;
  /** PagerDuty: the service status (active, warning, critical, maintenance, disabled). */
  status: string | null;
  /** Where a person opens it at the provider. */
  url: string | null;
}

/** Why the intake refuses a delivery: answered 401 (signature, timestamp) or 400 (invalid_delivery). */
export type SignatureRefusal = 'signature_missing' | 'signature_invalid';
export type ParseRefusal = 'invalid_delivery' | 'timestamp_missing' | 'timestamp_stale';

/** A request header by lower-case name; an empty header reads as absent. */
export type HeaderReader = (name: string) => string | undefined;

export interface ParsedDelivery {
  event: ProviderEvent;
  /**
   * An id unique to the event inside the signed body (PagerDuty `event.id`): a copy under
   * another delivery id is a replay. Undefined where the provider signs none; the body's
   * digest serves instead (webhooks/delivery-keys.ts).
   */
  signedEventId: string | undefined;
}

/** A webhook as the provider reports it. */
export interface RemoteWebhook {
  id: string;
  status: 'active' | 'disabled' | 'temporarily_disabled';
  /** Why it is not active, for people; null when active. */
  detail: string | null;
  /** The signing secret, when the provider made it and returned it (PagerDuty, on create only). */
  secret: string | null;
}

/** A webhook as the provider lists it, with the URL it delivers to (how the hub recognises its own). */
export interface ListedWebhook extends RemoteWebhook {
  url: string | null;
}

/**
 * Everything the hub does with one provider's webhooks: verify and parse what it delivers,
 * and create, check, re-enable and delete the webhooks themselves. The webhooks module
 * (src/webhooks/) runs the same pipeline and lifecycle for every provider through this.
 */
export interface ProviderWebhooks {
  scopeKind: ScopeKind;
  /** Who asks for a webhook: people, on the Webhooks tab (Linear teams); or rules (PagerDuty services). */
  managedBy: 'people' | 'rules';
  /** Who makes the signing secret: the hub, sent on create (Linear); or the provider, returned on create (PagerDuty). */
  secretMadeBy: 'hub' | 'provider';
  words: WebhookWords;
  /** The unsigned header with the vendor's delivery id, the same on each retry of one delivery. */
  deliveryIdHeader: string;
  /** Checks the signature over the raw bytes, before anything is parsed. */
  verify(body: Buffer, header: HeaderReader, secret: string): Result<void, SignatureRefusal>;
  /** The verified body (valid UTF-8) as an event; where the provider signs a timestamp, also its replay window. */
  parse(text: string, now: number): Result<ParsedDelivery, ParseRefusal>;
  create(request: ProviderRequest, input: { url: string; scope: { id: string; name: string }; secret: string | undefined }): Promise<RemoteWebhook>;
  /** The webhooks among `externalIds` the provider still has; one it no longer has is absent. */
  check(request: ProviderRequest, externalIds: readonly string[]): Promise<Map<string, RemoteWebhook>>;
  /**
   * Every webhook of the connected account (all pages), for repair: one listing per pass finds
   * the hub's webhooks, their statuses, and orphans by URL (webhooks/repair-webhooks.ts).
   */
  list(request: ProviderRequest): Promise<ListedWebhook[]>;
  /** Deletes it; false when the provider no longer had it. */
  remove(request: ProviderRequest, externalId: string): Promise<boolean>;
  /**
   * Re-enables one the provider (or someone) disabled, whichever way it is disabled; undefined
   * when the provider no longer has it. Absent where the provider has no such call.
   */
  enable: ((request: ProviderRequest, externalId: string) => Promise<RemoteWebhook | undefined>) | undefined;
}

/** The provider's words, for messages people read. */
export interface WebhookWords {
  /** `webhook` (Linear), `subscription` (PagerDuty). */
  webhook: string;
  /** `Team Engineering already has a hub webhook.` */
  exists(scopeName: string): string;
  /** The status detail of one the provider no longer has. */
  missing: string;
}

import type { ProviderName } from '../../providers/names.js';

/** Webhooks the hub created at providers and the deliveries they brought (src/webhooks/). */

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
  /** When webhook repair last changed something about it, and what (migration 2026_12_05_0013). */
  last_repair_at: number | null;
  last_repair: string | null;
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

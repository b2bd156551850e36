/**
 * A verified delivery in the hub's words, whatever the vendor: what happened to what, who did
 * it and when. Each provider's `webhooks.parse` makes one from its payload; the intake stores
 * its fields once (webhook_deliveries) and the delivery's job reads them from there — no
 * code after the intake reads a vendor payload. Values are as the vendor sent them: the
 * intake bounds them for storage (webhooks/stored-text.ts).
 */
export interface ProviderEvent {
  /** The vendor's name of the event, for people: `Issue.create`, `incident.acknowledged`. */
  eventType: string;
  /** What happened, in the hub's words (the vendor's detail stays in eventType). */
  eventKind: EventKind;
  /** The vendor's type of the entity: `Issue`, `Comment`, `incident`, `service`… */
  entityType: string;
  /** The hub's kind of the entity. */
  entityKind: EntityKind;
  entityId: string;
  /** For people: `ENG-12 Checkout fails`, `#7 Checkout is slow`. */
  label: string | null;
  /**
   * What the event belongs to, for ordering: a comment's issue, a note's incident, else the
   * entity itself. Events of one subject are processed one at a time, in order (one lane).
   */
  subject: { kind: string; id: string };
  /** Who did it at the provider; null for automation or when the payload does not say. */
  actor: { id: string; name: string | null } | null;
  /** When it happened at the provider (epoch ms); null when the payload does not say. */
  occurredAt: number | null;
  /** The provider account or workspace the delivery says it comes from (Linear: organizationId). */
  accountId: string | null;
}

/**
 * `created`, `updated`, `removed`: the entity was; `commented`: a comment or note was added to
 * it (PagerDuty incident.annotated); `other`: anything else (pings, app events).
 */
export type EventKind = 'created' | 'updated' | 'removed' | 'commented' | 'other';

export type EntityKind = 'issue' | 'comment' | 'incident' | 'other';

/** Epoch ms of an ISO 8601 time in a payload, or null. */
export function timeOf(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

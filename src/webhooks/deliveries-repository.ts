import type { Kysely, Selectable } from 'kysely';
import { sql } from 'kysely';
import type { Database, DeliveryOutcome, ProviderName, WebhookDeliveriesTable } from '../db/tables.js';
import type { EntityKind, EventKind } from '../providers/events.js';
import type { ScopeKind } from '../providers/webhooks.js';

type Db = Kysely<Database>;

/**
 * One accepted webhook request and the provider-neutral event it carried, as stored once by
 * the intake (every text bounded: core/stored-text.ts). The event fields after `entityLabel`
 * are null on deliveries stored before they existed (migration 0009).
 */
export interface Delivery {
  id: string;
  organisationId: string;
  endpointId: string;
  provider: ProviderName;
  scopeKind: ScopeKind;
  scopeId: string;
  scopeName: string;
  /** The vendor's delivery id (unsigned header), or a digest: the same on every retry. */
  externalId: string;
  /** From signed content only (delivery-keys.ts); null on rows older than migration 0007. */
  replayKey: string | null;
  eventType: string;
  entityType: string;
  entityId: string;
  entityLabel: string | null;
  eventKind: EventKind | null;
  entityKind: EntityKind | null;
  subjectKind: string | null;
  subjectId: string | null;
  actorId: string | null;
  actorName: string | null;
  occurredAt: number | null;
  accountId: string | null;
  /** The raw JSON body (valid UTF-8, byte for byte as signed). */
  body: string;
  outcome: DeliveryOutcome;
  outcomeDetail: string | null;
  /** Further copies of the same delivery that were absorbed. */
  duplicates: number;
  jobId: string | null;
  receivedAt: number;
  processedAt: number | null;
}

/** What the intake stores; the rest starts as received, no copies, no job yet. */
export type NewDelivery = Omit<Delivery, 'outcome' | 'outcomeDetail' | 'duplicates' | 'jobId' | 'processedAt'>;

/** What became of a delivery the intake tried to store. */
export type StoreOutcome = 'stored' | 'duplicate' | 'replay';

/** A delivery as lists show it: without the body and the replay key. */
export type DeliverySummary = Omit<Delivery, 'body' | 'replayKey'>;

export const fromDeliveryRow = (row: Omit<Selectable<WebhookDeliveriesTable>, 'body' | 'replay_key'>): DeliverySummary => ({
  id: row.id,
  organisationId: row.organisation_id,
  endpointId: row.endpoint_id,
  provider: row.provider,
  scopeKind: row.scope_kind,
  scopeId: row.scope_id,
  scopeName: row.scope_name,
  externalId: row.external_id,
  eventType: row.event_type,
  entityType: row.entity_type,
  entityId: row.entity_id,
  entityLabel: row.entity_label,
  eventKind: row.event_kind as EventKind | null,
  entityKind: row.entity_kind as EntityKind | null,
  subjectKind: row.subject_kind,
  subjectId: row.subject_id,
  actorId: row.actor_id,
  actorName: row.actor_name,
  occurredAt: row.occurred_at,
  accountId: row.account_id,
  outcome: row.outcome,
  outcomeDetail: row.outcome_detail,
  duplicates: row.duplicates,
  jobId: row.job_id,
  receivedAt: row.received_at,
  processedAt: row.processed_at,
});

/**
 * Stores each delivery unless one with the same provider delivery id (`externalId`) or the same
 * key from signed content (`replayKey`) arrived at the same endpoint before (or earlier in the
 * same batch); then only counts the copy on the earlier row. Per delivery, in order: `stored`,
 * `duplicate` when the delivery id matched (a vendor's retry), `replay` when only the signed
 * content did (the same delivery under another delivery id). One INSERT for the whole batch,
 * plus one UPDATE per copy; safe under concurrency (the unique indexes decide). `jobId` is the
 * id of the processing job the caller writes in the same transaction for a stored delivery.
 */
export async function insertDeliveriesOnce(db: Db, deliveries: ReadonlyArray<NewDelivery & { jobId: string }>): Promise<StoreOutcome[]> {
  if (deliveries.length === 0) return [];
  const inserted = await db
    .insertInto('webhook_deliveries')
    .values(deliveries.map((delivery) => ({
      id: delivery.id,
      organisation_id: delivery.organisationId,
      endpoint_id: delivery.endpointId,
      provider: delivery.provider,
      scope_kind: delivery.scopeKind,
      scope_id: delivery.scopeId,
      scope_name: delivery.scopeName,
      external_id: delivery.externalId,
      replay_key: delivery.replayKey,
      event_type: delivery.eventType,
      entity_type: delivery.entityType,
      entity_id: delivery.entityId,
      entity_label: delivery.entityLabel,
      event_kind: delivery.eventKind,
      entity_kind: delivery.entityKind,
      subject_kind: delivery.subjectKind,
      subject_id: delivery.subjectId,
      actor_id: delivery.actorId,
      actor_name: delivery.actorName,
      occurred_at: delivery.occurredAt,
      account_id: delivery.accountId,
      body: delivery.body,
      outcome: 'received' as const,
      outcome_detail: null,
      duplicates: 0,
      job_id: delivery.jobId,
      received_at: delivery.receivedAt,
      processed_at: null,
    })))
    // No conflict target: either unique key (external_id or replay_key, per endpoint) absorbs a row.
    .onConflict((conflict) => conflict.doNothing())
    .returning('id')
    .execute();
  const stored = new Set(inserted.map((row) => row.id));
  const outcomes: StoreOutcome[] = [];
  for (const delivery of deliveries) outcomes.push(stored.has(delivery.id) ? 'stored' : await countCopy(db, delivery));
  return outcomes;
}

/** A delivery absorbed by an earlier one: counted on the earlier row. */
async function countCopy(db: Db, delivery: NewDelivery): Promise<StoreOutcome> {
  const { endpointId, externalId, replayKey } = delivery;
  const earlier = await db
    .updateTable('webhook_deliveries')
    .set({ duplicates: sql<number>`duplicates + 1` })
    .where('endpoint_id', '=', endpointId)
    .where((eb) => {
      const sameId = eb('external_id', '=', externalId);
      return replayKey === null ? sameId : eb.or([sameId, eb('replay_key', '=', replayKey)]);
    })
    .returning('external_id')
    .execute();
  return earlier.some((match) => match.external_id === externalId) ? 'duplicate' : 'replay';
}

export async function findDelivery(db: Db, id: string): Promise<Delivery | undefined> {
  const row = await db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  return row && { ...fromDeliveryRow(row), replayKey: row.replay_key, body: row.body };
}

export async function setDeliveryOutcome(db: Db, id: string, outcome: DeliveryOutcome, detail: string | null, now: number): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ outcome, outcome_detail: detail, processed_at: outcome === 'received' ? null : now })
    .where('id', '=', id)
    .execute();
}

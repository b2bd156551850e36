import type { Kysely } from 'kysely';
import type { Database, DeliveryOutcome, ProviderName } from '../db/tables.js';
import { fromDeliveryRow, type DeliverySummary } from './deliveries-repository.js';

export type { DeliverySummary } from './deliveries-repository.js';

export interface DeliveryFilter {
  provider?: ProviderName | undefined;
  outcome?: DeliveryOutcome | undefined;
  /** Only those listed after this one (newest first: received earlier, or at the same time with a smaller id). */
  after?: { receivedAt: number; id: string } | undefined;
  limit: number;
}

/** The organisation's deliveries, newest first. */
export async function listDeliveries(db: Kysely<Database>, organisationId: string, filter: DeliveryFilter): Promise<DeliverySummary[]> {
  let select = db
    .selectFrom('webhook_deliveries')
    .select([
      'id', 'organisation_id', 'endpoint_id', 'provider', 'scope_kind', 'scope_id', 'scope_name', 'external_id', 'event_type',
      'entity_type', 'entity_id', 'entity_label', 'event_kind', 'entity_kind', 'subject_kind', 'subject_id', 'actor_id',
      'actor_name', 'occurred_at', 'account_id', 'outcome', 'outcome_detail', 'duplicates', 'job_id', 'received_at', 'processed_at',
    ])
    .where('organisation_id', '=', organisationId);
  if (filter.provider !== undefined) select = select.where('provider', '=', filter.provider);
  if (filter.outcome !== undefined) select = select.where('outcome', '=', filter.outcome);
  const after = filter.after;
  if (after !== undefined) {
    select = select.where((eb) =>
      eb.or([eb('received_at', '<', after.receivedAt), eb.and([eb('received_at', '=', after.receivedAt), eb('id', '<', after.id)])]),
    );
  }
  const rows = await select.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(fromDeliveryRow);
}

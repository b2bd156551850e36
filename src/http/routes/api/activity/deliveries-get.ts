import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DeliveryRow } from '../../../../webhooks/deliveries-repository.js';
import type { DeliveriesResponse, DeliveryView } from '../../../api-types.js';
import type { AppDeps } from '../../../deps.js';
import { requireSession } from '../../../guards.js';
import { parseInput } from '../../../validation.js';
import { decodeCursor, encodeCursor } from './cursor.js';

const querySchema = z.strictObject({
  provider: z.enum(['pagerduty', 'linear']).optional(),
  outcome: z.enum(['received', 'processed', 'ignored', 'failed']).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export function deliveryView(row: Omit<DeliveryRow, 'body' | 'replay_key'>): DeliveryView {
  return {
    id: row.id,
    provider: row.provider,
    scope: { kind: row.scope_kind, id: row.scope_id, name: row.scope_name },
    eventType: row.event_type,
    entity: { type: row.entity_type, id: row.entity_id, label: row.entity_label },
    receivedAt: new Date(row.received_at).toISOString(),
    outcome: row.outcome,
    outcomeDetail: row.outcome_detail,
    duplicates: row.duplicates,
    jobId: row.job_id,
  };
}

/** GET /api/activity/deliveries — the organisation's accepted deliveries, newest first, paged. */
export function registerGetDeliveries(app: FastifyInstance, deps: AppDeps): void {
  app.get('/api/activity/deliveries', async (request): Promise<DeliveriesResponse> => {
    const { organisation } = requireSession(request);
    const query = parseInput(querySchema, request.query, 'query');
    const after = decodeCursor(query.cursor, ['number', 'string']);
    let select = deps.database.db
      .selectFrom('webhook_deliveries')
      .select([
        'id', 'organisation_id', 'endpoint_id', 'provider', 'scope_kind', 'scope_id', 'scope_name', 'external_id', 'event_type',
        'entity_type', 'entity_id', 'entity_label', 'outcome', 'outcome_detail', 'duplicates', 'job_id', 'received_at', 'processed_at',
      ])
      .where('organisation_id', '=', organisation.id);
    if (query.provider !== undefined) select = select.where('provider', '=', query.provider);
    if (query.outcome !== undefined) select = select.where('outcome', '=', query.outcome);
    if (after !== undefined) {
      const [receivedAt, id] = after as [number, string];
      select = select.where((eb) => eb.or([eb('received_at', '<', receivedAt), eb.and([eb('received_at', '=', receivedAt), eb('id', '<', id)])]));
    }
    const rows = await select.orderBy('received_at', 'desc').orderBy('id', 'desc').limit(query.limit + 1).execute();
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      deliveries: page.map(deliveryView),
      nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor([last.received_at, last.id]) : null,
    };
  });
}

import type { FastifyInstance } from 'fastify';
import { activityApi, type DeliveryView } from '../../../../api/activity.js';
import { linkIdsOf } from '../../../../sync/links-repository.js';
import { listDeliveries, type DeliverySummary } from '../../../../webhooks/deliveries-listing.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { requireSession } from '../../../guards.js';
import { decodeCursor, encodeCursor } from './cursor.js';

export function deliveryView(delivery: DeliverySummary, linkId: string | null = null): DeliveryView {
  return {
    id: delivery.id,
    provider: delivery.provider,
    scope: { kind: delivery.scopeKind, id: delivery.scopeId, name: delivery.scopeName },
    eventType: delivery.eventType,
    entity: { type: delivery.entityType, id: delivery.entityId, label: delivery.entityLabel },
    receivedAt: new Date(delivery.receivedAt).toISOString(),
    outcome: delivery.outcome,
    outcomeDetail: delivery.outcomeDetail,
    duplicates: delivery.duplicates,
    jobId: delivery.jobId,
    linkId,
  };
}

/** What a delivery is about: a comment's issue, a note's incident, else the entity itself. */
const subjectOf = (delivery: DeliverySummary) => delivery.subjectId ?? delivery.entityId;

/** GET /api/activity/deliveries — the organisation's accepted deliveries, newest first, paged. */
export function registerGetDeliveries(app: FastifyInstance, deps: AppDeps): void {
  route(app, activityApi.deliveries, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    const query = input.query();
    const after = decodeCursor(query.cursor, ['number', 'string']) as [number, string] | undefined;
    const rows = await listDeliveries(deps.database.db, organisation.id, {
      provider: query.provider,
      outcome: query.outcome,
      after: after === undefined ? undefined : { receivedAt: after[0], id: after[1] },
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    const links = await linkIdsOf(deps.database.db, organisation.id, page.map(subjectOf));
    return {
      deliveries: page.map((delivery) => deliveryView(delivery, links.get(subjectOf(delivery)) ?? null)),
      nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor([last.receivedAt, last.id]) : null,
    };
  });
}

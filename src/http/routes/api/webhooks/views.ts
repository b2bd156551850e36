import type { EndpointRow } from '../../../../webhooks/endpoints-repository.js';
import type { WebhooksService } from '../../../../webhooks/webhooks-service.js';
import type { LinearWebhookView, PagerDutySubscriptionView } from '../../../api-types.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * An endpoint the provider reports active but whose requests the hub kept refusing (and none
 * accepted since) is `failing`, with the reason: the person sees deliveries are not landing.
 * The intake records it only on a sustained pattern (webhooks/refusal-tracker.ts).
 */
function failing(row: EndpointRow): { status: 'failing'; statusDetail: string } | undefined {
  if (row.status !== 'active' || row.last_refused_at === null) return undefined;
  if (row.last_delivery_at !== null && row.last_delivery_at >= row.last_refused_at) return undefined;
  return {
    status: 'failing',
    statusDetail: `The hub keeps refusing requests to this webhook (as of ${new Date(row.last_refused_at).toISOString()}): ${row.last_refusal ?? 'unknown reason'}`,
  };
}

/** While being created, an endpoint shows as `unknown`; everything else maps one to one. */
export function linearWebhookView(service: WebhooksService, row: EndpointRow): LinearWebhookView {
  return {
    id: row.id,
    teamId: row.scope_id,
    teamName: row.scope_name,
    status: row.status === 'active' || row.status === 'disabled' || row.status === 'missing' ? row.status : 'unknown',
    statusDetail: row.status_detail,
    ...failing(row),
    url: service.endpointUrl(row),
    lastDeliveryAt: iso(row.last_delivery_at),
    createdAt: new Date(row.created_at).toISOString(),
    createdBy: row.created_by_email,
  };
}

export function subscriptionView(service: WebhooksService, row: EndpointRow): PagerDutySubscriptionView {
  return {
    id: row.id,
    serviceId: row.scope_id,
    serviceName: row.scope_name,
    status: row.status === 'creating' ? 'unknown' : row.status,
    statusDetail: row.status_detail,
    ...failing(row),
    url: service.endpointUrl(row),
    lastDeliveryAt: iso(row.last_delivery_at),
    createdAt: new Date(row.created_at).toISOString(),
  };
}

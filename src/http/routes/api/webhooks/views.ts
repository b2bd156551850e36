import type { Endpoint } from '../../../../webhooks/endpoints-repository.js';
import type { WebhooksService } from '../../../../webhooks/webhooks-service.js';
import type { LinearWebhookView, PagerDutySubscriptionView } from '../../../../api/webhooks.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The last check and the last repair, as the Webhooks tab shows them. */
const checkAndRepair = (endpoint: Endpoint) => ({
  lastCheckedAt: iso(endpoint.statusCheckedAt),
  lastRepair: endpoint.lastRepairAt === null || endpoint.lastRepair === null ? null : { at: new Date(endpoint.lastRepairAt).toISOString(), what: endpoint.lastRepair },
});

/**
 * An endpoint the provider reports active but whose requests the hub kept refusing (and none
 * accepted since) is `failing`, with the reason: the person sees deliveries are not landing.
 * The intake records it only on a sustained pattern (webhooks/refusal-tracker.ts).
 */
function failing(endpoint: Endpoint): { status: 'failing'; statusDetail: string } | undefined {
  if (endpoint.status !== 'active' || endpoint.lastRefusedAt === null) return undefined;
  if (endpoint.lastDeliveryAt !== null && endpoint.lastDeliveryAt >= endpoint.lastRefusedAt) return undefined;
  return {
    status: 'failing',
    statusDetail: `The hub keeps refusing requests to this webhook (as of ${new Date(endpoint.lastRefusedAt).toISOString()}): ${endpoint.lastRefusal ?? 'unknown reason'}`,
  };
}

/** While being created, an endpoint shows as `unknown`; everything else maps one to one. */
export function linearWebhookView(service: WebhooksService, endpoint: Endpoint): LinearWebhookView {
  const status = endpoint.status;
  return {
    id: endpoint.id,
    teamId: endpoint.scopeId,
    teamName: endpoint.scopeName,
    status: status === 'active' || status === 'disabled' || status === 'missing' ? status : 'unknown',
    statusDetail: endpoint.statusDetail,
    ...failing(endpoint),
    url: service.endpointUrl(endpoint),
    lastDeliveryAt: iso(endpoint.lastDeliveryAt),
    ...checkAndRepair(endpoint),
    createdAt: new Date(endpoint.createdAt).toISOString(),
    createdBy: endpoint.createdByEmail,
  };
}

/**
 * `rules`: the enabled rules routing to the subscription's service, in evaluation order — the
 * ones keeping it (rules/follow-service-job.ts releases it when none is left).
 */
export function subscriptionView(
  service: WebhooksService,
  endpoint: Endpoint,
  rules: ReadonlyArray<{ id: string; name: string }>,
): PagerDutySubscriptionView {
  return {
    id: endpoint.id,
    serviceId: endpoint.scopeId,
    serviceName: endpoint.scopeName,
    status: endpoint.status === 'creating' ? 'unknown' : endpoint.status,
    statusDetail: endpoint.statusDetail,
    ...failing(endpoint),
    url: service.endpointUrl(endpoint),
    lastDeliveryAt: iso(endpoint.lastDeliveryAt),
    ...checkAndRepair(endpoint),
    createdAt: new Date(endpoint.createdAt).toISOString(),
    rules: rules.map((rule) => ({ id: rule.id, name: rule.name })),
  };
}

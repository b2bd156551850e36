import type { ProviderWebhooks, RemoteWebhook } from '../webhooks.js';
import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  enableWebhookSubscription,
  getWebhookSubscription,
  listWebhookSubscriptions,
  type PagerDutySubscription,
} from './subscriptions-api.js';
import { parsePagerDutyDelivery, verifyPagerDutySignature } from './delivery.js';

/** The incident events two-way sync needs from each service (SPEC §1.6). */
export const PAGERDUTY_SUBSCRIPTION_EVENTS = [
  'incident.triggered',
  'incident.acknowledged',
  'incident.unacknowledged',
  'incident.resolved',
  'incident.reopened',
  'incident.annotated',
  'incident.priority_updated',
  'incident.reassigned',
  'incident.escalated',
  'incident.service_updated',
] as const;

/**
 * PagerDuty v3 webhook subscriptions, one per service, ensured by rules. PagerDuty makes the
 * signing secret and shows it only in the create answer. A subscription PagerDuty stopped
 * after repeated failures ("temporarily disabled") can be re-enabled.
 */
export const pagerdutyWebhooks: ProviderWebhooks = {
  scopeKind: 'service',
  managedBy: 'rules',
  secretMadeBy: 'provider',
  words: {
    webhook: 'subscription',
    exists: (service) => `Service ${service} already has a subscription.`,
    missing: 'PagerDuty no longer has this subscription (deleted there?).',
  },
  deliveryIdHeader: 'x-webhook-id',
  verify: verifyPagerDutySignature,
  parse: (text) => parsePagerDutyDelivery(text),
  async create(request, { url, scope }) {
    const subscription = await createWebhookSubscription(request, {
      url,
      serviceId: scope.id,
      events: PAGERDUTY_SUBSCRIPTION_EVENTS,
      description: `Integration Hub: incidents of ${scope.name}`,
    });
    return remote(subscription);
  },
  /** One GET per subscription (PagerDuty has no list filtered by ids). */
  async check(request, externalIds) {
    const found = new Map<string, RemoteWebhook>();
    for (const id of externalIds) {
      const subscription = await getWebhookSubscription(request, id);
      if (subscription !== undefined) found.set(id, remote(subscription));
    }
    return found;
  },
  async list(request) {
    return (await listWebhookSubscriptions(request)).map((subscription) => ({ ...remote(subscription), url: subscription.url }));
  },
  remove: deleteWebhookSubscription,
  async enable(request, externalId) {
    const subscription = await enableWebhookSubscription(request, externalId);
    return subscription === undefined ? undefined : remote(subscription);
  },
};

function remote(subscription: PagerDutySubscription): RemoteWebhook {
  const { id, secret } = subscription;
  if (subscription.temporarilyDisabled) {
    return {
      id,
      secret,
      status: 'temporarily_disabled',
      detail: 'PagerDuty stopped delivering after repeated failures (Needs attention). Re-enable it once the hub is reachable.',
    };
  }
  if (!subscription.active) return { id, secret, status: 'disabled', detail: 'The subscription is turned off in PagerDuty.' };
  return { id, secret, status: 'active', detail: null };
}

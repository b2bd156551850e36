import { ProviderRequestError } from '../errors.js';
import { pagerdutyCall, type PagerDutyRequest } from './api.js';

/** PagerDuty v3 webhook subscriptions (reference/pagerduty/API-NOTES.md §3): create, read, enable, delete. */

/** Deletes a webhook subscription; true when it existed (404 counts as already gone). */
export async function deleteWebhookSubscription(request: PagerDutyRequest, id: string): Promise<boolean> {
  try {
    await pagerdutyCall(request, 'DELETE', `/webhook_subscriptions/${encodeURIComponent(id)}`);
    return true;
  } catch (error) {
    if (error instanceof ProviderRequestError && error.status === 404) return false;
    throw error;
  }
}

export interface PagerDutySubscription {
  id: string;
  active: boolean;
  temporarilyDisabled: boolean;
  url: string | null;
  serviceId: string | null;
  /** Only in the create response (PagerDuty never shows it again). */
  secret: string | null;
}

function subscriptionFromWire(body: { webhook_subscription?: Record<string, unknown> } | undefined): PagerDutySubscription {
  const subscription = body?.webhook_subscription;
  if (!subscription || typeof subscription.id !== 'string') {
    throw new ProviderRequestError('pagerduty', 'PagerDuty answered without a webhook subscription.', 200);
  }
  const delivery = (subscription.delivery_method ?? {}) as Record<string, unknown>;
  const filter = (subscription.filter ?? {}) as Record<string, unknown>;
  return {
    id: subscription.id,
    active: subscription.active !== false,
    temporarilyDisabled: delivery.temporarily_disabled === true,
    url: typeof delivery.url === 'string' ? delivery.url : null,
    serviceId: typeof filter.id === 'string' ? filter.id : null,
    secret: typeof delivery.secret === 'string' && delivery.secret !== '' ? delivery.secret : null,
  };
}

/** Creates a v3 subscription for one service's incidents; the answer carries the signing secret. */
export async function createWebhookSubscription(
  request: PagerDutyRequest,
  input: { url: string; serviceId: string; events: readonly string[]; description: string },
): Promise<PagerDutySubscription> {
  const body = await pagerdutyCall<{ webhook_subscription?: Record<string, unknown> }>(request, 'POST', '/webhook_subscriptions', {
    body: {
      webhook_subscription: {
        type: 'webhook_subscription',
        delivery_method: { type: 'http_delivery_method', url: input.url },
        description: input.description,
        events: input.events,
        filter: { type: 'service_reference', id: input.serviceId },
      },
    },
  });
  return subscriptionFromWire(body);
}

/** Every subscription of the account (classic pagination, 100 a page). */
export async function listWebhookSubscriptions(request: PagerDutyRequest): Promise<PagerDutySubscription[]> {
  const found: PagerDutySubscription[] = [];
  for (let offset = 0; offset < 100_000; offset += 100) {
    const body = await pagerdutyCall<{ webhook_subscriptions?: Array<Record<string, unknown>>; more?: boolean } | undefined>(request, 'GET', '/webhook_subscriptions', {
      query: { limit: '100', offset: String(offset) },
    });
    const page = body?.webhook_subscriptions ?? [];
    found.push(...page.map((subscription) => subscriptionFromWire({ webhook_subscription: subscription })));
    if (body?.more !== true || page.length === 0) break;
  }
  return found;
}

/** The subscription, or undefined when PagerDuty no longer has it. */
export async function getWebhookSubscription(request: PagerDutyRequest, id: string): Promise<PagerDutySubscription | undefined> {
  try {
    return subscriptionFromWire(await pagerdutyCall(request, 'GET', `/webhook_subscriptions/${encodeURIComponent(id)}`));
  } catch (error) {
    if (error instanceof ProviderRequestError && error.status === 404) return undefined;
    throw error;
  }
}

/**
 * Re-enables a subscription: `POST …/enable` ends a temporary disablement (after failed
 * deliveries); one turned off (`active: false`) is turned on with `PUT {active: true}` (the
 * enable call does not touch `active`). Undefined when PagerDuty no longer has it.
 */
export async function enableWebhookSubscription(request: PagerDutyRequest, id: string): Promise<PagerDutySubscription | undefined> {
  const path = `/webhook_subscriptions/${encodeURIComponent(id)}`;
  try {
    const enabled = subscriptionFromWire(await pagerdutyCall(request, 'POST', `${path}/enable`));
    if (enabled.active) return enabled;
    return subscriptionFromWire(
      await pagerdutyCall(request, 'PUT', path, { body: { webhook_subscription: { type: 'webhook_subscription', active: true } } }),
    );
  } catch (error) {
    if (error instanceof ProviderRequestError && error.status === 404) return undefined;
    throw error;
  }
}

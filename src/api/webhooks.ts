import { z } from 'zod';
import { idParams, isoTime, noQuery, providerSchema } from './common.js';
import { endpoint, type RequestBody, type ResponseBody } from './endpoint.js';
import { teamViewSchema } from './connections.js';

/** What webhook repair last changed about a webhook, and when (docs/webhooks.md § Repair). */
const lastRepairSchema = z.strictObject({ at: isoTime, what: z.string() });
export type LastRepairView = z.infer<typeof lastRepairSchema>;

/** A Linear team webhook the hub created. */
const linearWebhookViewSchema = z.strictObject({
  id: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  /**
   * `active`; `failing` (active at Linear, but the hub refused its latest deliveries — bad
   * signature, stale timestamp, malformed body — and accepted none since; statusDetail says why);
   * `disabled` (Linear disabled it, e.g. after failed deliveries, or someone did);
   * `missing` (deleted at Linear); `unknown` (being created). As of the last check (repair pass
   * or Refresh); repair turns a disabled one on again and makes a missing one again.
   */
  status: z.enum(['active', 'failing', 'disabled', 'missing', 'unknown']),
  /** Words for the status (why it is not active, or what the last check said). */
  statusDetail: z.string().nullable(),
  /** Where Linear delivers: ${PUBLIC_URL}/webhooks/linear/<id>. */
  url: z.string(),
  lastDeliveryAt: isoTime.nullable(),
  /** When the status was last checked at the provider (a repair pass or Refresh); null before the first. */
  lastCheckedAt: isoTime.nullable(),
  /** The last thing repair changed ("Re-created at Linear (it was deleted there)."); null when never repaired. */
  lastRepair: lastRepairSchema.nullable(),
  createdAt: isoTime,
  createdBy: z.string().nullable(),
});
export type LinearWebhookView = z.infer<typeof linearWebhookViewSchema>;

/** A team of the connected workspace and its hub webhook, if any (at most one per team). */
const teamWebhookRowSchema = z.strictObject({ team: teamViewSchema, webhook: linearWebhookViewSchema.nullable() });
export type TeamWebhookRow = z.infer<typeof teamWebhookRowSchema>;

/** A PagerDuty v3 webhook subscription the hub created for one service. */
const subscriptionViewSchema = z.strictObject({
  id: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  /**
   * `temporarily_disabled`: PagerDuty stopped delivering after failures — needs attention
   * (Re-enable). `failing`: as for Linear webhooks.
   */
  status: z.enum(['active', 'failing', 'temporarily_disabled', 'disabled', 'missing', 'unknown']),
  statusDetail: z.string().nullable(),
  url: z.string(),
  lastDeliveryAt: isoTime.nullable(),
  /** When the status was last checked at the provider (a repair pass or Refresh); null before the first. */
  lastCheckedAt: isoTime.nullable(),
  /** The last thing repair changed ("Re-created at Linear (it was deleted there)."); null when never repaired. */
  lastRepair: lastRepairSchema.nullable(),
  createdAt: isoTime,
  /** The rules that route to this service (the subscription is released when the last one goes). */
  rules: z.array(z.strictObject({ id: z.string(), name: z.string() })),
});
export type PagerDutySubscriptionView = z.infer<typeof subscriptionViewSchema>;

const webhooksListSchema = z.strictObject({
  linear: z.strictObject({
    blockedBy: z.strictObject({ code: z.enum(['not_connected', 'connection_disconnected']), message: z.string() }).nullable(),
    teams: z.array(teamWebhookRowSchema),
    teamsError: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  }),
  pagerduty: z.strictObject({ subscriptions: z.array(subscriptionViewSchema) }),
});

/** What one repair pass did for one provider. */
const providerRepairSchema = z.strictObject({
  provider: providerSchema,
  /** Why it was not checked (not connected, Disconnected, the provider failed); null when it was. */
  skipped: z.string().nullable(),
  /** One sentence per change. */
  repaired: z.array(z.string()),
  /** Repairs that failed (the next pass tries again). */
  problems: z.array(z.string()),
});
export type ProviderRepairView = z.infer<typeof providerRepairSchema>;

/** Webhooks the hub creates at the providers (docs/api.md § Webhooks). */
export const webhooksApi = {
  /**
   * GET /api/webhooks — any logged-in user. Statuses are the stored result of the last check
   * (a repair pass or Refresh): no status call to the providers per page load. The list of
   * Linear teams (to offer a webhook for each) is read live; when that fails,
   * `linear.teamsError` says why and `teams` lists only the teams that have a hub webhook.
   * `linear.blockedBy` is set while Linear is not connected (creating and deleting are then
   * refused with the same code).
   */
  list: endpoint({ method: 'GET', path: '/api/webhooks', query: noQuery, status: 200, response: webhooksListSchema }),
  /**
   * POST /api/webhooks/refresh — admin: checks and repairs every webhook now (one repair pass:
   * deleted ones re-created, disabled ones re-enabled, orphans adopted or removed) and answers
   * the new list with what the pass did per provider (`repair`; a provider not connected or
   * Disconnected is skipped and says so).
   */
  refresh: endpoint({
    method: 'POST',
    path: '/api/webhooks/refresh',
    query: noQuery,
    status: 200,
    response: webhooksListSchema.extend({ repair: z.array(providerRepairSchema) }),
  }),
  /**
   * POST /api/webhooks/linear — admin: creates the team's webhook. 409 webhook_exists (one per
   * team), not_connected / connection_disconnected; 404 team_not_found; 502 provider_forbidden.
   */
  createLinear: endpoint({
    method: 'POST',
    path: '/api/webhooks/linear',
    query: noQuery,
    body: z.strictObject({ teamId: z.string().trim().min(1).max(100) }),
    status: 201,
    response: z.strictObject({ webhook: linearWebhookViewSchema }),
  }),
  /** DELETE /api/webhooks/linear/:id — admin: deletes it at Linear and in the hub. */
  deleteLinear: endpoint({ method: 'DELETE', path: '/api/webhooks/linear/:id', params: idParams, query: noQuery, status: 204, response: null }),
  /** POST /api/webhooks/pagerduty/:id/enable — admin: Re-enable a temporarily disabled subscription. */
  enablePagerDuty: endpoint({
    method: 'POST',
    path: '/api/webhooks/pagerduty/:id/enable',
    params: idParams,
    query: noQuery,
    status: 200,
    response: z.strictObject({ subscription: subscriptionViewSchema }),
  }),
};

export type WebhooksResponse = ResponseBody<typeof webhooksApi.list>;
export type WebhooksRefreshResponse = ResponseBody<typeof webhooksApi.refresh>;
export type CreateLinearWebhookRequest = RequestBody<typeof webhooksApi.createLinear>;
export type LinearWebhookResponse = ResponseBody<typeof webhooksApi.createLinear>;
export type PagerDutySubscriptionResponse = ResponseBody<typeof webhooksApi.enablePagerDuty>;

import { z } from 'zod';
import { idParams, isoTime, noQuery } from './common.js';
import { endpoint, type RequestBody, type ResponseBody } from './endpoint.js';
import { teamViewSchema } from './connections.js';

/** A Linear team webhook the hub created. */
const linearWebhookViewSchema = z.strictObject({
  id: z.string(),
  teamId: z.string(),
  teamName: z.string(),
  /**
   * `active`; `failing` (active at Linear, but the hub refused its latest deliveries — bad
   * signature, stale timestamp, malformed body — and accepted none since; statusDetail says why);
   * `disabled` (Linear disabled it, e.g. after failed deliveries, or someone did);
   * `missing` (deleted at Linear); `unknown` (being created). When Linear cannot be reached the
   * last checked status is shown and `teamsError` says why.
   */
  status: z.enum(['active', 'failing', 'disabled', 'missing', 'unknown']),
  /** Words for the status (why it is not active, or what the last check said). */
  statusDetail: z.string().nullable(),
  /** Where Linear delivers: ${PUBLIC_URL}/webhooks/linear/<id>. */
  url: z.string(),
  lastDeliveryAt: isoTime.nullable(),
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
  createdAt: isoTime,
  /** The rules that route to this service (the subscription is released when the last one goes). */
  rules: z.array(z.strictObject({ id: z.string(), name: z.string() })),
});
export type PagerDutySubscriptionView = z.infer<typeof subscriptionViewSchema>;

/** Webhooks the hub creates at the providers (docs/api.md § Webhooks). */
export const webhooksApi = {
  /**
   * GET /api/webhooks — any logged-in user. Linear teams are read live; when that fails,
   * `linear.teamsError` says why and `teams` lists only the teams that have a hub webhook.
   * `linear.blockedBy` is set while Linear is not connected (creating and deleting are then
   * refused with the same code).
   */
  list: endpoint({
    method: 'GET',
    path: '/api/webhooks',
    query: noQuery,
    status: 200,
    response: z.strictObject({
      linear: z.strictObject({
        blockedBy: z.strictObject({ code: z.enum(['not_connected', 'connection_disconnected']), message: z.string() }).nullable(),
        teams: z.array(teamWebhookRowSchema),
        teamsError: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
      }),
      pagerduty: z.strictObject({ subscriptions: z.array(subscriptionViewSchema) }),
    }),
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
export type CreateLinearWebhookRequest = RequestBody<typeof webhooksApi.createLinear>;
export type LinearWebhookResponse = ResponseBody<typeof webhooksApi.createLinear>;
export type PagerDutySubscriptionResponse = ResponseBody<typeof webhooksApi.enablePagerDuty>;

import { z } from 'zod';

/** Event types a v3 subscription may name (API-NOTES §3.2); unknown types are refused. */
export const EVENT_TYPES = [
  'incident.acknowledged', 'incident.annotated', 'incident.conference_bridge.updated', 'incident.custom_field_values.updated',
  'incident.delegated', 'incident.escalated', 'incident.incident_type.changed', 'incident.priority_updated',
  'incident.reassigned', 'incident.reopened', 'incident.resolved', 'incident.responder.added', 'incident.responder.replied',
  'incident.role.assigned', 'incident.service_updated', 'incident.status_update_published', 'incident.triggered',
  'incident.unacknowledged', 'incident.action_invocation.created', 'incident.action_invocation.updated',
  'incident.action_invocation.terminated', 'incident.task.created', 'incident.task.updated', 'incident.task.completed',
  'incident.workflow.started', 'incident.workflow.completed', 'service.created', 'service.updated', 'service.deleted',
  'service.custom_field_values.updated', 'pagey.ping',
];

const events = z
  .array(z.enum(EVENT_TYPES as [string, ...string[]]))
  .min(1)
  .refine((list) => new Set(list).size === list.length, 'events must not repeat');

const filter = z
  .object({ type: z.enum(['account_reference', 'service_reference', 'team_reference']), id: z.string().min(1).optional() })
  .refine((f) => f.type === 'account_reference' || f.id !== undefined, 'filter.id is required unless filter.type is account_reference');

const header = z.object({ name: z.string().min(1).max(256), value: z.string().max(4096) });

/** POST /webhook_subscriptions body (§3.1): type, delivery_method {type, url}, events, filter. */
export const createSubscriptionSchema = z.object({
  type: z.literal('webhook_subscription'),
  delivery_method: z.object({
    type: z.literal('http_delivery_method'),
    url: z.url({ protocol: /^https?$/ }),
    custom_headers: z
      .array(header)
      .max(10)
      .refine((h) => new Set(h.map((x) => x.name.toLowerCase())).size === h.length, 'custom header names must be unique')
      .optional(),
  }),
  description: z.string().max(1024).optional(),
  events,
  filter,
  active: z.boolean().optional(),
  oauth_client_id: z.string().min(1).nullable().optional(),
});

/** PUT: only description, events, filter, active, oauth_client_id; the URL cannot change (§3.1). */
export const updateSubscriptionSchema = z.object({
  description: z.string().max(1024).optional(),
  events: events.optional(),
  filter: filter.optional(),
  active: z.boolean().optional(),
  oauth_client_id: z.string().min(1).nullable().optional(),
  delivery_method: z.unknown().optional(),
});

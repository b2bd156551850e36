import type { FastifyInstance } from 'fastify';
import type { PdContext } from '../context.js';
import { registerEscalationPolicies } from './escalation-policies.js';
import { registerIncidents } from './incidents.js';
import { registerNotes } from './notes.js';
import { registerPriorities } from './priorities.js';
import { registerServices } from './services.js';
import { registerUsers } from './users.js';
import { registerWebhookSubscriptions } from './webhook-subscriptions.js';

/** Path prefixes of the REST API v2 (what API faults and the request log count as API calls). */
export const REST_PREFIXES = ['/services', '/users', '/priorities', '/escalation_policies', '/incidents', '/webhook_subscriptions'];

export function registerRest(app: FastifyInstance, ctx: PdContext): void {
  registerServices(app, ctx);
  registerUsers(app, ctx);
  registerPriorities(app, ctx);
  registerEscalationPolicies(app, ctx);
  registerIncidents(app, ctx);
  registerNotes(app, ctx);
  registerWebhookSubscriptions(app, ctx);
}

import { z } from 'zod';

/** Request bodies of the incident endpoints (API-NOTES §2.4–2.6); unknown fields are ignored. */
const reference = (...types: string[]) => z.object({ id: z.string().min(1), type: z.enum(types as [string, ...string[]]) });

const assignments = z.array(z.object({ assignee: reference('user_reference') })).max(10);

export const createIncidentSchema = z.object({
  type: z.literal('incident'),
  title: z.string().trim().min(1).max(1024),
  service: reference('service_reference', 'service'),
  urgency: z.enum(['high', 'low']).optional(),
  priority: reference('priority_reference', 'priority').optional(),
  // The docs say details must be a string; the schema says object (§2.4). Objects are stringified.
  body: z.object({ type: z.literal('incident_body').optional(), details: z.union([z.string(), z.record(z.string(), z.unknown())]) }).optional(),
  incident_key: z.string().min(1).max(255).optional(),
  escalation_policy: reference('escalation_policy_reference', 'escalation_policy').optional(),
  assignments: assignments.optional(),
});

export const updateIncidentSchema = z.object({
  type: z.enum(['incident', 'incident_reference']),
  status: z.string().optional(),
  resolution: z.string().max(10_000).optional(),
  // An object or a priority name (§2.5); null clears it.
  priority: z.union([reference('priority_reference', 'priority'), z.string().min(1), z.null()]).optional(),
  urgency: z.enum(['high', 'low']).optional(),
  title: z.string().trim().min(1).max(1024).optional(),
  assignments: assignments.optional(),
  escalation_policy: reference('escalation_policy_reference', 'escalation_policy').optional(),
  escalation_level: z.number().int().min(1).optional(),
  // Move the incident to another service (§2.5).
  service: reference('service_reference', 'service').optional(),
});

export const mergeSchema = z.object({ source_incidents: z.array(reference('incident_reference', 'incident')).min(1).max(500) });

export const bulkUpdateSchema = z.array(updateIncidentSchema.extend({ id: z.string().min(1) })).min(1).max(500);

export const noteSchema = z.object({ content: z.string() });

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { actingUser, actorOf, type Caller } from '../auth.js';
import type { PdContext } from '../context.js';
import { createIncident, type CreateIncidentInput } from '../domain/create-incident.js';
import { mergeIncidents, updateIncident, type IncidentChanges } from '../domain/update-incident.js';
import { pdError } from '../errors.js';
import type { Incident } from '../model.js';
import { arrayParam, paginate, parsePageQuery, single } from '../pagination.js';
import { bulkUpdateSchema, createIncidentSchema, mergeSchema, updateIncidentSchema } from './incident-schemas.js';
import { restRoute, wrapped } from './route.js';

const MONTH_MS = 30 * 24 * 3600 * 1000;

/** An incident of the caller's account by id or by incident number. */
export function findIncident(ctx: PdContext, caller: Caller, idOrNumber: string): Incident {
  const mine = ctx.state.incidentsOf(caller.account.subdomain);
  const found = mine.find((i) => i.id === idOrNumber) ?? (/^\d+$/.test(idOrNumber) ? mine.find((i) => i.number === Number(idOrNumber)) : undefined);
  if (!found) throw pdError.notFound();
  return found;
}

function changesFrom(body: z.infer<typeof updateIncidentSchema>): IncidentChanges {
  const c: IncidentChanges = {};
  if (body.status !== undefined) c.status = body.status;
  if (body.resolution !== undefined) c.resolution = body.resolution;
  if (body.priority !== undefined) c.priority = body.priority === null || typeof body.priority === 'string' ? body.priority : body.priority.id;
  if (body.urgency !== undefined) c.urgency = body.urgency;
  if (body.title !== undefined) c.title = body.title;
  if (body.assignments !== undefined) c.assigneeIds = body.assignments.map((a) => a.assignee.id);
  if (body.escalation_policy !== undefined) c.escalationPolicyId = body.escalation_policy.id;
  if (body.escalation_level !== undefined) c.escalationLevel = body.escalation_level;
  if (body.service !== undefined) c.serviceId = body.service.id;
  return c;
}

function time(query: Record<string, unknown>, name: string): number | undefined {
  const text = single(query[name]);
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw pdError.invalidInput(`${name} must be an ISO 8601 date`);
  return ms;
}

/** The incident endpoints (API-NOTES §2.2, §2.4, §2.5) and merge (OAS mergeIncidents). */
export function registerIncidents(app: FastifyInstance, ctx: PdContext): void {
  restRoute(app, ctx, {
    method: 'GET',
    url: '/incidents',
    scope: 'incidents.read',
    handler: ({ caller, query }) => {
      const page = parsePageQuery(query);
      const statuses = arrayParam(query, 'statuses');
      const serviceIds = arrayParam(query, 'service_ids');
      const urgencies = arrayParam(query, 'urgencies');
      const key = single(query.incident_key);
      // Without since/until or date_range=all only the last month is listed (§2.2, ISS-PDPY46).
      const all = single(query.date_range) === 'all';
      const until = time(query, 'until') ?? Number.POSITIVE_INFINITY;
      const since = time(query, 'since') ?? (all ? 0 : ctx.clock.now() - MONTH_MS);
      const incidents = ctx.state
        .incidentsOf(caller.account.subdomain)
        .filter((i) => statuses.length === 0 || statuses.includes(i.status))
        .filter((i) => serviceIds.length === 0 || serviceIds.includes(i.serviceId))
        .filter((i) => urgencies.length === 0 || urgencies.includes(i.urgency))
        .filter((i) => key === undefined || i.incidentKey === key)
        .filter((i) => all || (i.createdAt >= since && i.createdAt < until))
        .sort((a, b) => a.createdAt - b.createdAt || a.number - b.number);
      const { items, page: p } = paginate(incidents, page);
      return { incidents: items.map((i) => ctx.wire.incident(i)), ...p };
    },
  });

  restRoute(app, ctx, {
    method: 'GET',
    url: '/incidents/:id',
    scope: 'incidents.read',
    handler: ({ caller, params }) => ({ incident: ctx.wire.incident(findIncident(ctx, caller, params.id!)) }),
  });

  restRoute(app, ctx, {
    method: 'POST',
    url: '/incidents',
    scope: 'incidents.write',
    body: true,
    incidentWrite: true,
    handler: ({ request, reply, caller }) => {
      const user = actingUser(ctx, caller, request);
      const body = wrapped(request.body, 'incident', createIncidentSchema);
      const input: CreateIncidentInput = { title: body.title, serviceId: body.service.id };
      if (body.urgency) input.urgency = body.urgency;
      if (body.priority) input.priority = body.priority.id;
      if (body.body) input.body = typeof body.body.details === 'string' ? body.body.details : JSON.stringify(body.body.details);
      if (body.incident_key) input.incidentKey = body.incident_key;
      if (body.escalation_policy) input.escalationPolicyId = body.escalation_policy.id;
      if (body.assignments) input.assigneeIds = body.assignments.map((a) => a.assignee.id);
      const incident = createIncident(ctx, caller.account.subdomain, input, actorOf(caller, user));
      void reply.code(201);
      return { incident: ctx.wire.incident(incident) };
    },
  });

  restRoute(app, ctx, {
    method: 'PUT',
    url: '/incidents/:id',
    scope: 'incidents.write',
    body: true,
    incidentWrite: true,
    handler: ({ request, caller, params }) => {
      const user = actingUser(ctx, caller, request);
      const incident = findIncident(ctx, caller, params.id!);
      const body = wrapped(request.body, 'incident', updateIncidentSchema);
      return { incident: ctx.wire.incident(updateIncident(ctx, incident, changesFrom(body), actorOf(caller, user))) };
    },
  });

  // Merge (OAS mergeIncidents): answers the target as an incident_reference.
  restRoute(app, ctx, {
    method: 'PUT',
    url: '/incidents/:id/merge',
    scope: 'incidents.write',
    body: true,
    incidentWrite: true,
    handler: ({ request, caller, params }) => {
      const user = actingUser(ctx, caller, request);
      const target = findIncident(ctx, caller, params.id!);
      const body = mergeSchema.safeParse(request.body);
      if (!body.success) throw pdError.invalidInput('source_incidents must be a non-empty list of incident references');
      const ids = [...new Set(body.data.source_incidents.map((r) => r.id))];
      const sources = ids.map((id) => findIncident(ctx, caller, id));
      const merged = mergeIncidents(ctx, target, sources, actorOf(caller, user));
      return { incident: { id: merged.id, type: 'incident_reference', summary: `[#${merged.number}] ${merged.title}`, self: ctx.urls.self('incidents', merged.id), html_url: ctx.wire.incident(merged).html_url } };
    },
  });

  restRoute(app, ctx, {
    method: 'PUT',
    url: '/incidents',
    scope: 'incidents.write',
    body: true,
    incidentWrite: true,
    handler: ({ request, caller }) => {
      const user = actingUser(ctx, caller, request);
      const body = wrapped(request.body, 'incidents', bulkUpdateSchema);
      const targets = body.map((item) => [findIncident(ctx, caller, item.id), item] as const);
      const updated = targets.map(([incident, item]) => updateIncident(ctx, incident, changesFrom(item), actorOf(caller, user)));
      return { incidents: updated.map((i) => ctx.wire.incident(i)) };
    },
  });
}

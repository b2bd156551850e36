import type { Actor, Incident, Note } from './model.js';
import type { PagerDutyState } from './state.js';
import { isoMillis, isoSeconds, type Urls } from './urls.js';
import { resolveReason, type Wire } from './serializers.js';

/**
 * Webhook v3 payload shapes (API-NOTES §3.3). The incident differs from the REST object: it has
 * `number` and `assignees` instead of `incident_number` and `assignments`.
 */
export function webhookIncident(state: PagerDutyState, wire: Wire, urls: Urls, i: Incident) {
  const service = state.services.get(i.serviceId)!;
  const priority = i.priorityId ? state.priorities.find((p) => p.id === i.priorityId) : undefined;
  return {
    id: i.id,
    type: 'incident',
    self: urls.self('incidents', i.id),
    html_url: `${urls.web(state.account(i.account)!)}/incidents/${i.id}`,
    number: i.number,
    status: i.status,
    incident_key: i.incidentKey,
    created_at: isoSeconds(i.createdAt),
    title: i.title,
    service: wire.ref('service', service),
    assignees: i.assignments.map((a) => wire.userRef(a.userId)),
    escalation_policy: wire.ref('escalation_policy', state.escalationPolicies.get(i.escalationPolicyId)!),
    teams: service.teamIds.map((id) => wire.ref('team', state.teams.get(id)!)),
    priority: priority ? { id: priority.id, type: 'priority_reference', summary: priority.name, self: urls.self('priorities', priority.id), html_url: null } : null,
    urgency: i.urgency,
    conference_bridge: null,
    resolve_reason: resolveReason(state, urls, i),
    reopened_at: i.reopenedAt === null ? null : isoSeconds(i.reopenedAt),
    incident_type: { name: 'incident_default' },
  };
}

/** `incident.annotated` data: an incident_note with an incident reference, content and `trimmed` (§3.3). */
export function webhookNote(state: PagerDutyState, urls: Urls, i: Incident, n: Note) {
  return {
    incident: { id: i.id, type: 'incident_reference', self: urls.self('incidents', i.id), html_url: `${urls.web(state.account(i.account)!)}/incidents/${i.id}` },
    id: n.id,
    content: n.content,
    trimmed: false,
    type: 'incident_note',
  };
}

export function envelope(eventId: string, eventType: string, resourceType: string, at: number, agent: unknown, client: unknown, data: unknown) {
  return { event: { id: eventId, event_type: eventType, resource_type: resourceType, occurred_at: isoMillis(at), agent, client, data } };
}

/** `agent` is the acting user reference, or null for automatic actions (§5.18). */
export function agentOf(wire: Wire, actor: Actor) {
  return actor.userId ? wire.userRef(actor.userId) : null;
}

/** `client`: the app's name, or null — always null with the `webhookClient: 'null'` setting (§3.3). */
export function clientOf(actor: Actor, mode: 'null' | 'named' = 'named') {
  return actor.clientName && mode === 'named' ? { name: actor.clientName } : null;
}

export const PING_DATA = { message: 'Hello from your friend Pagey!', type: 'ping' };

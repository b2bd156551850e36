import { ProviderRequestError } from '../errors.js';
import type { IncidentNote, IncidentStatus, PagedIncident } from '../roles.js';

/**
 * PagerDuty's REST incident and note objects (API-NOTES §2.4–2.6; OpenAPI `Incident`,
 * `IncidentNote`) → the incident pager's types (roles.ts). The one place these wire shapes are
 * read. A body without what the role promises is a ProviderRequestError, never a half-filled value.
 */

const STATUSES: readonly IncidentStatus[] = ['triggered', 'acknowledged', 'resolved'];

type Wire = Record<string, unknown> | null | undefined;

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const record = (value: unknown): Wire => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined);

function malformed(what: string): ProviderRequestError {
  return new ProviderRequestError('pagerduty', `PagerDuty answered with ${what}.`, 200);
}

/**
 * `resolve_reason` is set when the incident was resolved by merging it into another ("The only
 * reason currently supported is merge", OpenAPI `ResolveReason`): its `incident` is the survivor.
 */
function survivorOf(reason: Wire): string | null {
  if (reason?.type !== 'merge_resolve_reason') return null;
  return text(record(reason.incident)?.id) ?? null;
}

export function toPagedIncident(wire: Wire): PagedIncident {
  const id = text(wire?.id);
  const number = wire?.incident_number;
  const status = STATUSES.find((s) => s === wire?.status);
  const service = record(wire?.service);
  const serviceId = text(service?.id);
  if (id === undefined || typeof number !== 'number' || status === undefined || serviceId === undefined) {
    throw malformed('an incident without id, incident_number, status or service');
  }
  return {
    id,
    number,
    title: text(wire?.title) ?? text(wire?.summary) ?? '',
    url: text(wire?.html_url) ?? '',
    status,
    // A reference names the service in `summary`; `include[]=services` would give the full object (`name`).
    service: { id: serviceId, name: text(service?.summary) ?? text(service?.name) ?? serviceId },
    incidentKey: text(wire?.incident_key) ?? null,
    mergedInto: survivorOf(record(wire?.resolve_reason)),
  };
}

export function toIncidentNote(wire: Wire): IncidentNote {
  const id = text(wire?.id);
  const createdAt = Date.parse(text(wire?.created_at) ?? '');
  if (id === undefined || Number.isNaN(createdAt)) throw malformed('a note without id or created_at');
  const user = record(wire?.user);
  const userId = text(user?.id);
  return {
    id,
    content: text(wire?.content) ?? '',
    // `summary` is the user's name (or the service's, for a `bot_user_reference`).
    author: userId === undefined ? null : { id: userId, name: text(user?.summary) ?? userId },
    createdAt,
  };
}

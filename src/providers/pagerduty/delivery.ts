import { fail, ok, type Result } from '../../core/result.js';
import { timeOf, type EventKind } from '../events.js';
import { hmacSha256, sameDigest } from '../hmac.js';
import { isObject, jsonObject, text } from '../json-payload.js';
import type { HeaderReader, ParsedDelivery, ParseRefusal, SignatureRefusal } from '../webhooks.js';

/** PagerDuty v3 webhooks as delivered (reference/pagerduty/API-NOTES.md §3). */

/**
 * `X-PagerDuty-Signature` holds one or more comma-separated `v1=<hex>` (several during a secret
 * rotation); any matching v1 signature is enough, other versions are ignored.
 */
export function verifyPagerDutySignature(body: Buffer, header: HeaderReader, secret: string): Result<void, SignatureRefusal> {
  const signatures = header('x-pagerduty-signature');
  if (signatures === undefined) return fail('signature_missing', 'The X-PagerDuty-Signature header is missing.');
  const expected = hmacSha256(secret, body);
  const matches = signatures
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .some((part) => sameDigest(expected, part.slice(3).toLowerCase()));
  return matches ? ok() : fail('signature_invalid', 'No v1 signature in X-PagerDuty-Signature matches the body.');
}

/**
 * The v3 envelope: {event: {id, event_type, resource_type, occurred_at, agent, data: {id, type, …}}}.
 * An incident event is about its incident, also when the data is something of the incident
 * (incident.annotated carries an incident_note that references it). PagerDuty signs no
 * timestamp; the signed `event.id` recognises a replay. `agent` is null for automation.
 */
export function parsePagerDutyDelivery(body: string): Result<ParsedDelivery, ParseRefusal> {
  const json = jsonObject(body);
  if (!json.ok) return json;
  const event = json.value.event;
  if (!isObject(event)) return fail('invalid_delivery', 'The delivery has no event.');
  const eventType = text(event.event_type);
  if (eventType === undefined) return fail('invalid_delivery', 'The event has no event_type.');
  const data = isObject(event.data) ? event.data : {};
  const dataType = text(data.type) ?? text(event.resource_type) ?? 'unknown';
  const incident = dataType === 'incident' ? data : isObject(data.incident) ? data.incident : undefined;
  const incidentId = text(incident?.id);
  const entityType = incidentId !== undefined ? 'incident' : dataType;
  const entityId = incidentId ?? text(data.id) ?? text(event.id) ?? 'none';
  const number = incident !== undefined && typeof incident.number === 'number' ? `#${incident.number}` : undefined;
  const title = text(incident?.title) ?? text(incident?.summary);
  const label = [number, title].filter(Boolean).join(' ');
  const agent = isObject(event.agent) ? event.agent : undefined;
  const agentId = text(agent?.id);
  return ok({
    event: {
      eventType,
      eventKind: incidentId !== undefined ? incidentEventKind(eventType) : 'other',
      entityType,
      entityKind: incidentId !== undefined ? 'incident' : 'other',
      entityId,
      label: label === '' ? null : label,
      subject: { kind: entityType, id: entityId },
      actor: agentId === undefined ? null : { id: agentId, name: text(agent?.summary) ?? null },
      occurredAt: timeOf(event.occurred_at),
      accountId: null,
    },
    signedEventId: text(event.id),
  });
}

function incidentEventKind(eventType: string): EventKind {
  if (eventType === 'incident.triggered') return 'created';
  if (eventType === 'incident.annotated') return 'commented';
  return 'updated';
}

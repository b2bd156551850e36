/**
 * What the hub needs to know about a verified delivery before storing it: its event type, the
 * entity it is about (and a label for people), the lane its processing job runs in, and —
 * Linear only — the workspace and the signed timestamp. A body that is not the expected JSON
 * is refused (400) without storing anything.
 */
export interface ParsedDelivery {
  eventType: string;
  entityType: string;
  entityId: string;
  entityLabel: string | null;
  /** Jobs of one lane run in order: one Linear issue, or one PagerDuty incident. */
  lane: string;
  /** Linear: workspace id and webhookTimestamp (ms). */
  organizationId?: string | undefined;
  webhookTimestamp?: unknown;
}

export class MalformedDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedDeliveryError';
  }
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function parseJson(body: Buffer): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new MalformedDeliveryError('The body is not JSON.');
  }
  if (!isObject(parsed)) throw new MalformedDeliveryError('The body is not a JSON object.');
  return parsed;
}

/** Linear data-change payload: {action, type, data: {id, …}, organizationId, webhookTimestamp}. */
export function parseLinearDelivery(body: Buffer): ParsedDelivery {
  const payload = parseJson(body);
  const type = text(payload.type);
  const action = text(payload.action);
  const data = payload.data;
  if (type === undefined || action === undefined) throw new MalformedDeliveryError('The delivery has no type or action.');
  // App-level events (e.g. OAuthApp revoked) carry no entity data.
  const entityId = isObject(data) ? text(data.id) : undefined;
  const issue = isObject(data) && isObject(data.issue) ? data.issue : undefined;
  const issueId = type === 'Issue' ? entityId : isObject(data) ? (text(data.issueId) ?? text(issue?.id)) : undefined;
  let entityLabel: string | null = null;
  if (type === 'Issue' && isObject(data)) entityLabel = [text(data.identifier), text(data.title)].filter(Boolean).join(' ') || null;
  if (type === 'Comment') entityLabel = `Comment on ${text(issue?.identifier) ?? issueId ?? 'an issue'}`;
  return {
    eventType: `${type}.${action}`,
    entityType: type,
    entityId: entityId ?? text(payload.webhookId) ?? 'none',
    entityLabel,
    lane: issueId !== undefined ? `linear:issue:${issueId}` : `linear:${type}:${entityId ?? 'none'}`,
    organizationId: text(payload.organizationId),
    webhookTimestamp: payload.webhookTimestamp,
  };
}

/** PagerDuty v3 envelope: {event: {id, event_type, resource_type, data: {id, type, …}}}. */
export function parsePagerDutyDelivery(body: Buffer): ParsedDelivery & { eventId: string | undefined } {
  const payload = parseJson(body);
  const event = payload.event;
  if (!isObject(event)) throw new MalformedDeliveryError('The delivery has no event.');
  const eventType = text(event.event_type);
  if (eventType === undefined) throw new MalformedDeliveryError('The event has no event_type.');
  const data = isObject(event.data) ? event.data : {};
  const dataType = text(data.type) ?? text(event.resource_type) ?? 'unknown';
  // incident.annotated carries an incident_note that references its incident.
  const incident = dataType === 'incident' ? data : isObject(data.incident) ? data.incident : undefined;
  const incidentId = text(incident?.id);
  const entityType = incidentId !== undefined ? 'incident' : dataType;
  const entityId = incidentId ?? text(data.id) ?? text(event.id) ?? 'none';
  const number = incident !== undefined && typeof incident.number === 'number' ? `#${incident.number}` : undefined;
  const title = text(incident?.title) ?? text(incident?.summary);
  return {
    eventType,
    entityType,
    entityId,
    entityLabel: [number, title].filter(Boolean).join(' ') || null,
    lane: `pagerduty:${entityType}:${entityId}`,
    eventId: text(event.id),
  };
}

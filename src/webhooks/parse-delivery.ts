import { isUtf8 } from 'node:buffer';
import { displayText, identityKey } from './stored-text.js';

/**
 * What the hub needs to know about a verified delivery before storing it: its event type, the
 * entity it is about (and a label for people), the lane its processing job runs in, and —
 * Linear only — the workspace and the signed timestamp. A body that is not the expected JSON
 * is refused (400) without storing anything. Every string returned is safe to store on both
 * databases (stored-text.ts): no NUL, bounded; ids and the lane hashed when long, never cut.
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

/** Bounds of the stored columns (and lane parts); see stored-text.ts. */
const MAX_ID = 200;
const MAX_TYPE = 100;
const idKey = (value: string) => identityKey(value, MAX_ID);
const typeKey = (value: string) => identityKey(value, MAX_TYPE);

/**
 * The body as text. JSON exchanged between systems is UTF-8 (RFC 8259 §8.1), and the hub stores
 * the body as text: only a valid UTF-8 body reads back byte for byte (so its signature still
 * verifies), hence anything else is refused (400) rather than stored altered.
 */
export function bodyText(body: Buffer): string {
  if (!isUtf8(body)) throw new MalformedDeliveryError('The body is not valid UTF-8.');
  return body.toString('utf8');
}

function parseJson(body: Buffer | string): Json {
  const source = typeof body === 'string' ? body : bodyText(body);
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch {
    throw new MalformedDeliveryError('The body is not JSON.');
  }
  if (!isObject(parsed)) throw new MalformedDeliveryError('The body is not a JSON object.');
  return parsed;
}

/** Linear data-change payload: {action, type, data: {id, …}, organizationId, webhookTimestamp}. */
export function parseLinearDelivery(body: Buffer | string): ParsedDelivery {
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
    eventType: displayText(`${type}.${action}`, MAX_ID),
    entityType: displayText(type, MAX_TYPE),
    entityId: idKey(entityId ?? text(payload.webhookId) ?? 'none'),
    entityLabel: entityLabel === null ? null : displayText(entityLabel, 300),
    lane: issueId !== undefined ? `linear:issue:${idKey(issueId)}` : `linear:${typeKey(type)}:${idKey(entityId ?? 'none')}`,
    organizationId: text(payload.organizationId),
    webhookTimestamp: payload.webhookTimestamp,
  };
}

/** PagerDuty v3 envelope: {event: {id, event_type, resource_type, data: {id, type, …}}}. */
export function parsePagerDutyDelivery(body: Buffer | string): ParsedDelivery & { eventId: string | undefined } {
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
  const label = [number, title].filter(Boolean).join(' ');
  return {
    eventType: displayText(eventType, MAX_ID),
    entityType: displayText(entityType, MAX_TYPE),
    entityId: idKey(entityId),
    entityLabel: label === '' ? null : displayText(label, 300),
    lane: `pagerduty:${typeKey(entityType)}:${idKey(entityId)}`,
    /** As sent (signed); the intake derives its replay key from it. */
    eventId: text(event.id),
  };
}

import { fail, ok, type Result } from '../../core/result.js';
import { timeOf, type EntityKind, type EventKind } from '../events.js';
import { hmacSha256, sameDigest } from '../hmac.js';
import { isObject, jsonObject, text } from '../json-payload.js';
import type { HeaderReader, ParsedDelivery, ParseRefusal, SignatureRefusal } from '../webhooks.js';

/** Linear webhooks as delivered (reference/linear/API-NOTES.md §3). */

/** `Linear-Signature` = lower-case hex HMAC-SHA256(secret, raw body). */
export function verifyLinearSignature(body: Buffer, header: HeaderReader, secret: string): Result<void, SignatureRefusal> {
  const signature = header('linear-signature');
  if (signature === undefined) return fail('signature_missing', 'The Linear-Signature header is missing.');
  if (!sameDigest(hmacSha256(secret, body), signature.trim().toLowerCase())) {
    return fail('signature_invalid', 'The Linear-Signature does not match the body.');
  }
  return ok();
}

/** Linear recommends refusing deliveries whose `webhookTimestamp` (ms) is more than 60 s from now. */
export const LINEAR_REPLAY_WINDOW_MS = 60_000;

export function checkLinearTimestamp(webhookTimestamp: unknown, now: number): Result<void, 'timestamp_missing' | 'timestamp_stale'> {
  if (typeof webhookTimestamp !== 'number' || !Number.isFinite(webhookTimestamp)) {
    return fail('timestamp_missing', 'The delivery has no webhookTimestamp.');
  }
  if (Math.abs(now - webhookTimestamp) > LINEAR_REPLAY_WINDOW_MS) {
    return fail('timestamp_stale', 'The delivery is older (or newer) than 60 seconds: refused as a possible replay.');
  }
  return ok();
}

const EVENT_KINDS = new Map<string, EventKind>([['create', 'created'], ['update', 'updated'], ['remove', 'removed']]);
const ENTITY_KINDS = new Map<string, EntityKind>([['Issue', 'issue'], ['Comment', 'comment']]);

/**
 * Data-change payload: {action, type, actor, createdAt, data: {id, …}, organizationId,
 * webhookTimestamp}. App-level events (e.g. OAuthApp revoked) carry no entity data. Comments
 * belong to their issue (one lane per issue). Linear signs no event id: the body itself, which
 * holds the signed `webhookTimestamp`, identifies a delivery within the 60 s window.
 */
export function parseLinearDelivery(body: string, now: number): Result<ParsedDelivery, ParseRefusal> {
  const json = jsonObject(body);
  if (!json.ok) return json;
  const payload = json.value;
  const type = text(payload.type);
  const action = text(payload.action);
  const data = isObject(payload.data) ? payload.data : undefined;
  if (type === undefined || action === undefined) return fail('invalid_delivery', 'The delivery has no type or action.');
  const entityId = text(data?.id);
  const issue = isObject(data?.issue) ? data.issue : undefined;
  const issueId = type === 'Issue' ? entityId : data !== undefined ? (text(data.issueId) ?? text(issue?.id)) : undefined;
  let label: string | null = null;
  if (type === 'Issue' && data !== undefined) label = [text(data.identifier), text(data.title)].filter(Boolean).join(' ') || null;
  if (type === 'Comment') label = `Comment on ${text(issue?.identifier) ?? issueId ?? 'an issue'}`;
  const fresh = checkLinearTimestamp(payload.webhookTimestamp, now);
  if (!fresh.ok) return fresh;
  const actor = isObject(payload.actor) ? payload.actor : undefined;
  const actorId = text(actor?.id);
  return ok({
    event: {
      eventType: `${type}.${action}`,
      eventKind: EVENT_KINDS.get(action) ?? 'other',
      entityType: type,
      entityKind: ENTITY_KINDS.get(type) ?? 'other',
      entityId: entityId ?? text(payload.webhookId) ?? 'none',
      label,
      subject: issueId !== undefined ? { kind: 'issue', id: issueId } : { kind: type, id: entityId ?? 'none' },
      actor: actorId === undefined ? null : { id: actorId, name: text(actor?.name) ?? null },
      occurredAt: timeOf(payload.createdAt),
      accountId: text(payload.organizationId) ?? null,
    },
    signedEventId: undefined,
  });
}

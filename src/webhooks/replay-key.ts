import { createHash } from 'node:crypto';
import { identityKey } from './stored-text.js';

/**
 * The two keys a delivery is deduplicated by, per endpoint (both unique in webhook_deliveries):
 *
 * - `externalId` — the vendor's delivery id from an unsigned header (`Linear-Delivery`,
 *   `X-Webhook-Id`), the same on every retry of one delivery. Linear re-signs each retry with a
 *   fresh `webhookTimestamp`, so only this header tells a Linear retry from a new delivery.
 * - `replayKey` — derived from signed content only, so a captured delivery resent with a new
 *   header is still recognised. Linear: SHA-256 of the body (which holds the signed
 *   `webhookTimestamp`, so a replay is possible only within the 60 s window and identical
 *   bytes within it are the same delivery). PagerDuty: the signed `event.id` (PagerDuty signs
 *   no timestamp, so the key is kept as long as the delivery row: see docs/security.md).
 */
export interface DeliveryKeys {
  externalId: string;
  replayKey: string;
}

const MAX_ID = 200;
const bodyDigest = (body: Buffer) => `sha256:${createHash('sha256').update(body).digest('hex')}`;

export function linearKeys(body: Buffer, linearDelivery: string | undefined): DeliveryKeys {
  const digest = bodyDigest(body);
  return { externalId: linearDelivery !== undefined ? identityKey(linearDelivery, MAX_ID) : digest, replayKey: digest };
}

export function pagerDutyKeys(body: Buffer, webhookId: string | undefined, eventId: string | undefined): DeliveryKeys {
  const header = webhookId !== undefined ? identityKey(webhookId, MAX_ID) : undefined;
  if (eventId === undefined) {
    const digest = bodyDigest(body);
    return { externalId: header ?? digest, replayKey: digest };
  }
  const event = identityKey(eventId, MAX_ID);
  return { externalId: header ?? event, replayKey: `event:${event}` };
}

import { createHash } from 'node:crypto';
import { identityKey } from '../core/stored-text.js';

/**
 * The two keys a delivery is deduplicated by, per endpoint (both unique in webhook_deliveries):
 *
 * - `externalId` — the vendor's delivery id from an unsigned header (`Linear-Delivery`,
 *   `X-Webhook-Id`: ProviderWebhooks.deliveryIdHeader), the same on every retry of one
 *   delivery. Linear re-signs each retry with a fresh `webhookTimestamp`, so only this header
 *   tells a Linear retry from a new delivery.
 * - `replayKey` — derived from signed content only, so a captured delivery resent with a new
 *   header is still recognised: the signed event id where the provider has one (PagerDuty
 *   `event.id`; PagerDuty signs no timestamp, so the key is kept as long as the delivery row:
 *   see docs/security.md), else SHA-256 of the body (Linear: the body holds the signed
 *   `webhookTimestamp`, so a replay is possible only within the 60 s window, and identical
 *   bytes within it are the same delivery).
 */
export interface DeliveryKeys {
  externalId: string;
  replayKey: string;
}

const MAX_ID = 200;
const bodyDigest = (body: Buffer) => `sha256:${createHash('sha256').update(body).digest('hex')}`;

export function deliveryKeys(body: Buffer, deliveryId: string | undefined, signedEventId: string | undefined): DeliveryKeys {
  const header = deliveryId !== undefined ? identityKey(deliveryId, MAX_ID) : undefined;
  if (signedEventId === undefined) {
    const digest = bodyDigest(body);
    return { externalId: header ?? digest, replayKey: digest };
  }
  const event = identityKey(signedEventId, MAX_ID);
  return { externalId: header ?? event, replayKey: `event:${event}` };
}

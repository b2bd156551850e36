import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signature checks, on the raw body bytes, before anything is parsed (the Svix way:
 * lower-cased headers, constant-time comparison after a length check, a dedicated error that
 * the intake answers with 401 — never 500, and never a retry-inviting 5xx).
 */
export class WebhookVerificationError extends Error {
  constructor(
    readonly code: 'signature_missing' | 'signature_invalid' | 'timestamp_stale' | 'timestamp_missing',
    message: string,
  ) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

function hmacHex(secret: string, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

function sameDigest(expected: Buffer, givenHex: string): boolean {
  if (!HEX_SHA256.test(givenHex)) return false;
  const given = Buffer.from(givenHex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Linear: `Linear-Signature` = lower-case hex HMAC-SHA256(secret, raw body). */
export function verifyLinearSignature(secret: string, body: Buffer, header: string | undefined): void {
  if (header === undefined || header === '') throw new WebhookVerificationError('signature_missing', 'The Linear-Signature header is missing.');
  if (!sameDigest(hmacHex(secret, body), header.trim().toLowerCase())) {
    throw new WebhookVerificationError('signature_invalid', 'The Linear-Signature does not match the body.');
  }
}

/** Linear recommends refusing deliveries whose `webhookTimestamp` (ms) is more than 60 s from now. */
export const LINEAR_REPLAY_WINDOW_MS = 60_000;

export function checkLinearTimestamp(webhookTimestamp: unknown, now: number): void {
  if (typeof webhookTimestamp !== 'number' || !Number.isFinite(webhookTimestamp)) {
    throw new WebhookVerificationError('timestamp_missing', 'The delivery has no webhookTimestamp.');
  }
  if (Math.abs(now - webhookTimestamp) > LINEAR_REPLAY_WINDOW_MS) {
    throw new WebhookVerificationError('timestamp_stale', 'The delivery is older (or newer) than 60 seconds: refused as a possible replay.');
  }
}

/**
 * PagerDuty: `X-PagerDuty-Signature` holds one or more comma-separated `v1=<hex>` (several
 * during a secret rotation); any matching v1 signature is enough, other versions are ignored.
 */
export function verifyPagerDutySignature(secret: string, body: Buffer, header: string | undefined): void {
  if (header === undefined || header === '') {
    throw new WebhookVerificationError('signature_missing', 'The X-PagerDuty-Signature header is missing.');
  }
  const expected = hmacHex(secret, body);
  const matches = header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .some((part) => sameDigest(expected, part.slice(3).toLowerCase()));
  if (!matches) throw new WebhookVerificationError('signature_invalid', 'No v1 signature in X-PagerDuty-Signature matches the body.');
}

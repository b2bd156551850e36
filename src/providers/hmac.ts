import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256 signature checks shared by the vendors' verifiers (the Svix way: over the raw
 * bytes, constant-time comparison after a length check).
 */
const HEX_SHA256 = /^[0-9a-f]{64}$/;

export function hmacSha256(secret: string, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

/** Whether `givenHex` (lower-case hex) is the expected digest. */
export function sameDigest(expected: Buffer, givenHex: string): boolean {
  if (!HEX_SHA256.test(givenHex)) return false;
  const given = Buffer.from(givenHex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

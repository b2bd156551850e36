import { randomBytes } from 'node:crypto';

/**
 * Identifiers are opaque strings with a readable prefix ("org_", "usr_", …) and 16 random
 * bytes in base32 (lower case), so they sort nowhere in particular and leak nothing.
 */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

export function newId(prefix: string): string {
  const bytes = randomBytes(16);
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET.charAt((buffer >>> (bits - 5)) & 31);
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET.charAt((buffer << (5 - bits)) & 31);
  return `${prefix}_${out}`;
}

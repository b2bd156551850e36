import { randomFillSync } from 'node:crypto';

/**
 * Identifiers are opaque strings with a readable prefix ("org_", "usr_", …) and 16 random
 * bytes in base32 (lower case), so they sort nowhere in particular and leak nothing.
 */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

// Random bytes are drawn from the CSPRNG 4 KB at a time and each used once (as Node's
// randomUUID does): one call into the system's generator per 256 ids instead of one per id.
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

function sixteenRandomBytes(): Buffer {
  if (poolOffset + 16 > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  return bytes;
}

export function newId(prefix: string): string {
  const bytes = sixteenRandomBytes();
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

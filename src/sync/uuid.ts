import { createHash } from 'node:crypto';

/**
 * A UUID derived from `seed` (version-4 shaped: Linear takes client-chosen ids only as UUIDs).
 * The hub names what it creates in Linear before the call — the same seed gives the same id on
 * every retry, so a second create is refused as a duplicate instead of writing twice.
 */
export function uuidFrom(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

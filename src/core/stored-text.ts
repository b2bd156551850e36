import { createHash } from 'node:crypto';

/**
 * What the hub takes from vendor JSON (ids, types, labels, lane parts) may hold anything JSON
 * can: a NUL character (`\u0000`, which a PostgreSQL text column refuses), an unpaired
 * surrogate (which the drivers store as U+FFFD, so two different values would read back the
 * same), or 100 KB (which overflows a PostgreSQL b-tree index entry, ~2.7 KB). Every such
 * value goes through one of these two functions before it is written.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * An identifier that is compared, deduplicated or indexed (external id, entity id, a lane
 * part). Returned unchanged when it is at most `max` UTF-16 units, without NUL and well formed;
 * otherwise `sha256:<64 hex>` of all its UTF-16 units. Never truncated: two ids that differ
 * anywhere — even after a shared 200-character prefix — stay different.
 */
export function identityKey(value: string, max: number): string {
  if (value.length <= max && !value.includes('\u0000') && !LONE_SURROGATE.test(value)) return value;
  return `sha256:${createHash('sha256').update(Buffer.from(value, 'utf16le')).digest('hex')}`;
}

/**
 * Text only shown to people (an event type, a label): NUL becomes U+FFFD and anything over
 * `max` UTF-16 units is cut, at a character boundary, with an ellipsis.
 */
export function displayText(value: string, max: number): string {
  const clean = value.replaceAll('\u0000', '\uFFFD');
  if (clean.length <= max) return clean;
  let end = max - 1;
  const last = clean.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1; // never split a surrogate pair
  return `${clean.slice(0, end)}…`;
}

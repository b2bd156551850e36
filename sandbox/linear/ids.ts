import { createHash } from 'node:crypto';

/**
 * A UUID (v4 layout) derived from a name, so seeded entities have the same id in every run
 * and tests can rely on them. Entities created at run time use crypto.randomUUID().
 */
export function uuidFor(name: string): string {
  const hex = createHash('sha256').update(`linear-sandbox:${name}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Linear-style URL slug of a title: lower case words joined by "-", at most 60 characters. */
export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'untitled'
  );
}

const ISO_DURATION = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Reads a `DateTimeOrDuration` filter value: an ISO 8601 date-time, or an ISO 8601 duration
 * relative to `now` ("-P2W" = two weeks ago; FILTER page). Returns epoch ms or undefined.
 */
export function parseDateTimeOrDuration(value: unknown, now: number): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_DURATION.exec(value);
  if (match && value !== 'P' && value !== '-P') {
    const n = (i: number) => Number(match[i] ?? 0);
    const days = n(2) * 365 + n(3) * 30 + n(4) * 7 + n(5);
    const ms = ((days * 24 + n(6)) * 60 + n(7)) * 60_000 + n(8) * 1000;
    return match[1] ? now - ms : now + ms;
  }
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

import { formatDateTime, formatRelative, formatTimestamp } from '../format.js';

/** "5 minutes ago"; the exact date and time on hover. */
export function RelativeTime({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatRelative(iso)}
    </time>
  );
}

/** "14:03:21" (today) or "12 May 2026, 14:03:21"; how long ago on hover. */
export function Timestamp({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={formatRelative(iso)}>
      {formatTimestamp(iso)}
    </time>
  );
}

/** An empty cell: a dash on screen, "none" for screen readers. */
export function NoValue() {
  return (
    <>
      <span aria-hidden="true" className="muted">
        —
      </span>
      <span className="visually-hidden">none</span>
    </>
  );
}

import type { Role } from './api/client.js';

export function roleLabel(role: Role): string {
  return role === 'admin' ? 'Admin' : 'Viewer';
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** "12 May 2026" in the reader's locale; the raw value when it is not a date. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** "12 May 2026, 14:03:21" in the reader's locale; the raw value when it is not a date. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}

/** "14:03:21" today, "12 May 2026, 14:03:21" on other days: for lists of events. */
export function formatTimestamp(iso: string, now: number = Date.now()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toDateString() === new Date(now).toDateString() ? timeFormat.format(date) : dateTimeFormat.format(date);
}

const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const RELATIVE_UNITS: ReadonlyArray<readonly [Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
];

/** "just now", "5 minutes ago", "in 30 seconds", "yesterday"; a date beyond a month. */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const time = new Date(iso).getTime();
  if (Number.isNaN(time)) return iso;
  let value = (time - now) / 1000;
  if (Math.abs(value) < 5) return value <= 0 ? 'just now' : 'in a few seconds';
  for (const [unit, size] of RELATIVE_UNITS) {
    const rounded = Math.round(value);
    if (Math.abs(rounded) < size) return relativeFormat.format(rounded, unit);
    value /= size;
  }
  return formatDate(iso);
}

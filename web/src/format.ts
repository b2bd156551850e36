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

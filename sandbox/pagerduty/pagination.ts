import { pdError } from './errors.js';

/**
 * Classic offset pagination (API-NOTES §2.2, DD-PAGE): `limit` default 25 and at most 100 (a
 * larger value is lowered to 100), `offset` default 0, `total` only with `total=true`, and
 * offset + limit may not exceed 10 000 (400, code 2002).
 */
export interface PageQuery {
  limit: number;
  offset: number;
  total: boolean;
}

export interface Page {
  limit: number;
  offset: number;
  more: boolean;
  total: number | null;
}

export const MAX_LIMIT = 100;
export const MAX_WINDOW = 10_000;

export function parsePageQuery(query: Record<string, unknown>): PageQuery {
  const limit = integer(query.limit, 'limit') ?? 25;
  const offset = integer(query.offset, 'offset') ?? 0;
  if (limit < 1) throw pdError.invalidInput('limit must be a positive integer');
  if (offset < 0) throw pdError.invalidInput('offset must be zero or a positive integer');
  const effective = Math.min(limit, MAX_LIMIT);
  if (offset + effective > MAX_WINDOW) {
    throw pdError.argumentsError(`Offset+limit exceeds maximum allowed value of ${MAX_WINDOW}. Please use filters to narrow down results.`);
  }
  return { limit: effective, offset, total: String(single(query.total)) === 'true' };
}

export function paginate<T>(items: T[], q: PageQuery): { items: T[]; page: Page } {
  const slice = items.slice(q.offset, q.offset + q.limit);
  return {
    items: slice,
    page: { limit: q.limit, offset: q.offset, more: q.offset + slice.length < items.length, total: q.total ? items.length : null },
  };
}

/** Values of an array parameter sent as `name[]=a&name[]=b` (or `name=a`). */
export function arrayParam(query: Record<string, unknown>, name: string): string[] {
  const raw = query[`${name}[]`] ?? query[name];
  if (raw === undefined) return [];
  return (Array.isArray(raw) ? raw : [raw]).map(String);
}

export function single(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return String(Array.isArray(value) ? value[value.length - 1] : value);
}

function integer(value: unknown, name: string): number | undefined {
  const text = single(value);
  if (text === undefined || text === '') return undefined;
  if (!/^-?\d+$/.test(text)) throw pdError.invalidInput(`${name} must be an integer`);
  return Number(text);
}

import { parseDateTimeOrDuration } from '../ids.js';

/**
 * Evaluates Linear filter inputs (FILTER page; API-NOTES §2.2) against records. A Spec says,
 * per filter field, how to read a scalar, follow a relation or walk a collection. `and`/`or`
 * combine; `null: true` matches a missing relation; collection fields other than
 * some/every/length/null match when SOME member matches.
 */
export type Filter = Record<string, unknown>;
export interface FilterEnv {
  now: number;
  viewerId: string;
}

export interface Spec<T> {
  scalars?: Record<string, (row: T, env: FilterEnv) => unknown>;
  /** Scalars holding epoch ms, compared with DateTimeOrDuration values. */
  dates?: Record<string, (row: T) => number | null>;
  relations?: Record<string, { get: (row: T) => unknown; spec: () => Spec<never> }>;
  collections?: Record<string, { get: (row: T) => unknown[]; spec: () => Spec<never> }>;
}

export function matches<T>(row: T | undefined, filter: Filter | null | undefined, spec: Spec<T>, env: FilterEnv): boolean {
  if (!filter) return true;
  for (const [key, value] of Object.entries(filter)) {
    if (value === null || value === undefined) continue;
    if (key === 'and' && !(value as Filter[]).every((f) => matches(row, f, spec, env))) return false;
    if (key === 'or' && !(value as Filter[]).some((f) => matches(row, f, spec, env))) return false;
    if (key === 'null' && (row === undefined) !== value) return false;
    if (key === 'and' || key === 'or' || key === 'null') continue;
    if (row === undefined) return false;
    if (!matchField(row, key, value as Filter, spec, env)) return false;
  }
  return true;
}

function matchField<T>(row: T, key: string, value: Filter, spec: Spec<T>, env: FilterEnv): boolean {
  const scalar = spec.scalars?.[key];
  if (scalar) return compare(scalar(row, env), value);
  const date = spec.dates?.[key];
  if (date) return compare(date(row), toDates(value, env.now));
  const relation = spec.relations?.[key];
  if (relation) return matches(relation.get(row) ?? undefined, value, relation.spec() as Spec<unknown>, env);
  const collection = spec.collections?.[key];
  if (collection) return matchCollection(collection.get(row), value, collection.spec() as Spec<unknown>, env);
  throw new Error(`filter field ${key} has no evaluator`); // the schema allowed a field this file forgot
}

function matchCollection(items: unknown[], filter: Filter, spec: Spec<unknown>, env: FilterEnv): boolean {
  for (const [key, value] of Object.entries(filter)) {
    if (value === null || value === undefined) continue;
    const ok =
      key === 'some' ? items.some((i) => matches(i, value as Filter, spec, env))
      : key === 'every' ? items.every((i) => matches(i, value as Filter, spec, env))
      : key === 'null' ? (items.length === 0) === value
      : key === 'length' ? compare(items.length, value as Filter)
      : key === 'and' ? (value as Filter[]).every((f) => matchCollection(items, f, spec, env))
      : key === 'or' ? (value as Filter[]).some((f) => matchCollection(items, f, spec, env))
      : items.some((i) => matches(i, { [key]: value }, spec, env));
    if (!ok) return false;
  }
  return true;
}

/** StringComparator, NumberComparator, IDComparator, BooleanComparator and their Nullable forms. */
export function compare(actual: unknown, c: Filter): boolean {
  const lower = (v: unknown) => String(v).toLowerCase();
  const text = typeof actual === 'string' ? actual : '';
  for (const [op, expected] of Object.entries(c)) {
    if (expected === null || expected === undefined) continue;
    const ok =
      op === 'eq' ? actual === expected
      : op === 'neq' ? actual !== expected
      : op === 'in' ? (expected as unknown[]).includes(actual)
      : op === 'nin' ? !(expected as unknown[]).includes(actual)
      : op === 'null' ? (actual === null || actual === undefined) === expected
      : op === 'gt' ? typeof actual === 'number' && actual > (expected as number)
      : op === 'gte' ? typeof actual === 'number' && actual >= (expected as number)
      : op === 'lt' ? typeof actual === 'number' && actual < (expected as number)
      : op === 'lte' ? typeof actual === 'number' && actual <= (expected as number)
      : op === 'eqIgnoreCase' ? lower(text) === lower(expected)
      : op === 'contains' ? typeof expected === 'string' && text.includes(expected)
      : op === 'containsIgnoreCase' ? lower(text).includes(lower(expected))
      : op === 'startsWith' ? typeof expected === 'string' && text.startsWith(expected)
      : op === 'endsWith' ? typeof expected === 'string' && text.endsWith(expected)
      : false;
    if (!ok) return false;
  }
  return true;
}

/** DateComparator values → epoch ms (ISO date-time or duration relative to now). */
function toDates(c: Filter, now: number): Filter {
  const out: Filter = {};
  for (const [op, v] of Object.entries(c)) {
    out[op] = op === 'null' ? v : Array.isArray(v) ? v.map((x) => parseDateTimeOrDuration(x, now)) : parseDateTimeOrDuration(v, now);
  }
  return out;
}

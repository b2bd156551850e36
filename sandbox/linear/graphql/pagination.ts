import { invalidInput } from '../domain/errors.js';

/**
 * Relay pagination (API-NOTES §2.4): first/after, last/before, opaque cursors, `nodes` and
 * `edges { node cursor }`. Linear's default page is 50; the stand-in's is smaller (10 unless
 * configured) so clients must page. Order: newest first by createdAt (or updatedAt); archived
 * rows only with includeArchived. A cursor encodes the sort key, so it survives inserts.
 */
export interface ConnectionArgs {
  after?: string | null;
  before?: string | null;
  first?: number | null;
  last?: number | null;
  includeArchived?: boolean | null;
  orderBy?: 'createdAt' | 'updatedAt' | null;
}

export interface Row {
  id: string;
  createdAt: number;
  updatedAt: number;
  seq: number;
  archivedAt?: number | null;
}

export interface Connection<T> {
  nodes: T[];
  edges: Array<{ node: T; cursor: string }>;
  pageInfo: { startCursor: string | null; endCursor: string | null; hasPreviousPage: boolean; hasNextPage: boolean };
}

type Key = [number, number];

export function connection<T extends Row>(rows: Iterable<T>, args: ConnectionArgs, pageSize: number): Connection<T> {
  const field = args.orderBy ?? 'createdAt';
  const keyOf = (row: T): Key => [row[field], row.seq];
  const ordered = [...rows].filter((r) => args.includeArchived === true || !r.archivedAt).sort((a, b) => compare(keyOf(b), keyOf(a)));
  // Position in "newest first" order: a row comes after the cursor when its key is smaller.
  const after = args.after ? decode(args.after) : undefined;
  const before = args.before ? decode(args.before) : undefined;
  let window = ordered.filter((r) => (!after || compare(keyOf(r), after) < 0) && (!before || compare(keyOf(r), before) > 0));
  for (const n of [args.first, args.last]) if (n != null && n < 0) throw invalidInput('first and last must not be negative');
  if (args.first != null) window = window.slice(0, args.first);
  if (args.last != null) window = window.slice(Math.max(0, window.length - args.last));
  if (args.first == null && args.last == null) window = window.slice(0, pageSize);
  const edges = window.map((node) => ({ node, cursor: encode(keyOf(node)) }));
  const firstIndex = window.length ? ordered.indexOf(window[0]!) : -1;
  const lastIndex = window.length ? ordered.indexOf(window[window.length - 1]!) : -1;
  return {
    nodes: window,
    edges,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
      hasPreviousPage: firstIndex > 0,
      hasNextPage: lastIndex >= 0 && lastIndex < ordered.length - 1,
    },
  };
}

function compare(a: Key, b: Key): number {
  return a[0] - b[0] || a[1] - b[1];
}

function encode(key: Key): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decode(cursor: string): Key {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === 2 && key.every((n) => typeof n === 'number')) return key as Key;
  } catch {
    // fall through
  }
  throw invalidInput(`invalid cursor: ${cursor}`);
}

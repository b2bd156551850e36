import { connection, type ConnectionArgs, type Row } from '../pagination.js';
import { filterEnv, type LinearContext } from '../context.js';
import { matches, type Filter, type Spec } from '../filters.js';

export type Args = ConnectionArgs & { filter?: Filter | null } & Record<string, unknown>;
export type Resolver<S = unknown> = (source: S, args: Args, ctx: LinearContext) => unknown;
export type TypeResolvers = Record<string, Record<string, Resolver<never>>>;

/** A connection over `rows`, filtered by `args.filter` with `spec` and paged per Relay. */
export function page<T extends Row>(ctx: LinearContext, rows: Iterable<T>, args: Args, spec?: Spec<T>) {
  const env = filterEnv(ctx);
  const filtered = spec && args.filter ? [...rows].filter((r) => matches(r, args.filter, spec, env)) : rows;
  return connection(filtered, args, ctx.services.pageSize);
}

export function lookup<T>(value: T | undefined | null): T | null {
  return value ?? null;
}

import type { z } from 'zod';

/**
 * One endpoint of the JSON API, declared once: its method and path, the strict schemas of its
 * inputs and the schema of its success answer. The route registers itself from the declaration
 * and parses its inputs with these schemas (src/http/contract-route.ts); the web app's request
 * and response types are derived from them (RequestBody / ResponseBody), so neither side can
 * drift from the other. docs/api.md describes every endpoint in words.
 */
export interface Endpoint {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Fastify's syntax: `:name` is a path parameter. */
  readonly path: string;
  /** Path parameters (400 invalid_params); absent when the path has none. */
  readonly params?: z.ZodType;
  /** The query string (400 invalid_query); endpoints without parameters refuse any (noQuery). */
  readonly query: z.ZodType;
  /** The JSON body (400 invalid_body); absent when the endpoint reads none. */
  readonly body?: z.ZodType;
  /** The status of a success. */
  readonly status: 200 | 201 | 204;
  /** The body of a success; null for 204 No Content. */
  readonly response: z.ZodType | null;
}

/** Declares an endpoint, keeping its literal method, path and schemas in the type. */
export function endpoint<const E extends Endpoint>(declaration: E): E {
  return declaration;
}

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;
type Input<S> = S extends z.ZodType ? z.input<S> : undefined;

/** What a client sends as the body (before the schema's trimming and defaults). */
export type RequestBody<E extends Endpoint> = Input<E['body']>;
/** What the route gets from the body after parsing. */
export type ParsedBody<E extends Endpoint> = Output<E['body']>;
export type ParsedParams<E extends Endpoint> = Output<E['params']>;
export type ParsedQuery<E extends Endpoint> = Output<E['query']>;
/** The body of a success (undefined for 204). */
export type ResponseBody<E extends Endpoint> = Output<E['response']>;

/** Every key optional and explicitly undefined-able: filters a client may leave out. */
export type Filters<T> = { [K in keyof T]?: T[K] | undefined };

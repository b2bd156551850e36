import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SandboxClock } from './clock.js';

/**
 * Every API call a stand-in received, for `GET /_sandbox/requests`. Nothing is masked: this
 * is a test tool, and tests assert on exactly what the hub sent (tokens included).
 */
export interface RecordedRequest {
  /** The request id (the value of the response's request-id header). */
  id: string;
  /** Sandbox-clock time the request arrived (epoch ms). */
  at: number;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Query parameters; a repeated key keeps every value, joined with ",". */
  query: Record<string, string>;
  /** Lower-case header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The parsed body (JSON or form fields), or undefined when there was none. */
  body: unknown;
  /** The status code answered. */
  status: number;
}

/** Keeps the newest `max` requests (default 10 000) so a long benchmark can't exhaust memory. */
export class RequestLog {
  private entries: RecordedRequest[] = [];

  constructor(private readonly max = 10_000) {}

  record(r: RecordedRequest): void {
    this.entries.push(r);
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
  }

  /** Oldest first. */
  list(): RecordedRequest[] {
    return [...this.entries];
  }

  reset(): void {
    this.entries = [];
  }
}

const STATIC_ASSET = /^\/(favicon\.ico|robots\.txt|static\/|assets\/)|\.(css|js|map|png|svg|ico|woff2?)$/;

/** True for paths the request log ignores: the control API and static page assets. */
export function isUnloggedPath(path: string): boolean {
  return path.startsWith('/_sandbox/') || path === '/_sandbox' || STATIC_ASSET.test(path);
}

export interface RequestLogOptions {
  /** Further paths to leave out (e.g. the stand-in's own pages). */
  skip?(path: string, method: string): boolean;
}

/**
 * Records every request except `/_sandbox/…` and static page assets (and whatever
 * `options.skip` names), in an onResponse hook (so the status is known). Register it before
 * the routes.
 */
export function registerRequestLog(app: FastifyInstance, log: RequestLog, clock: SandboxClock, options: RequestLogOptions = {}): void {
  const arrivals = new WeakMap<FastifyRequest, number>();
  app.addHook('onRequest', async (request) => {
    arrivals.set(request, clock.now());
  });
  app.addHook('onResponse', async (request, reply) => {
    const url = new URL(request.url, 'http://sandbox.invalid');
    if (isUnloggedPath(url.pathname) || options.skip?.(url.pathname, request.method)) return;
    log.record({
      id: request.id,
      at: arrivals.get(request) ?? clock.now(),
      method: request.method,
      path: url.pathname,
      query: flattenQuery(url.searchParams),
      headers: flattenHeaders(request.headers),
      body: request.body,
      status: reply.statusCode,
    });
  });
}

function flattenQuery(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of new Set(params.keys())) out[key] = params.getAll(key).join(',');
  return out;
}

function flattenHeaders(headers: FastifyRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

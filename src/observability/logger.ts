import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/index.js';

export type { Logger } from 'pino';

/** Keys whose values are secrets wherever they appear (top level, one or two levels down). */
const SECRET_KEYS = [
  'password',
  'newPassword',
  'token',
  'accessToken',
  'refreshToken',
  'access_token',
  'refresh_token',
  'clientSecret',
  'client_secret',
  'secret',
  'masterKey',
  'metricsToken',
  'code_verifier',
];

/**
 * Paths pino censors wherever they appear in a log object. Values are replaced by
 * "[redacted]". Every secret key is censored at the top level, one level down (`*.password`,
 * e.g. `{ body: { password } }`) and two levels down (`*.*.password`, e.g.
 * `{ request: { body: { password } } }`). Deeper nesting is not censored: log identifiers,
 * not objects. Keep in step with docs/security.md ("What is never logged").
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers["linear-signature"]',
  'req.headers["x-pagerduty-signature"]',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  ...SECRET_KEYS.map((key) => `*.*.${key}`),
];

/**
 * Fields of database driver errors that can echo row values or statement parameters:
 * PostgreSQL's `detail` ("Failing row contains (…)", "Key (email)=(…) already exists"),
 * `where`, `internalQuery`, `hint`; `parameters`/`query`/`sql` that some layers attach.
 * The err serializer drops them; message, code and stack stay.
 */
export const DROPPED_ERROR_FIELDS = ['detail', 'where', 'hint', 'internalQuery', 'parameters', 'params', 'query', 'sql'];

const dropped = new Set(DROPPED_ERROR_FIELDS);

/** A shallow copy of a plain object without {@link DROPPED_ERROR_FIELDS} (never mutates the caller's). */
function withoutDroppedFields(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !dropped.has(key)));
}

/**
 * pino's err serializer, minus {@link DROPPED_ERROR_FIELDS} — also in nested errors
 * (`cause`, aggregated errors, error-valued properties). Never mutates the logged error.
 */
export function serializeError(error: unknown): unknown {
  const serialized: unknown = pino.stdSerializers.err(error as Error);
  if (typeof serialized !== 'object' || serialized === null) return serialized;
  // Not error-like: pino returns the value itself, which we must not modify.
  if (serialized === error) return withoutDroppedFields(serialized);
  scrubSerialized(serialized as Record<string, unknown>, Object.getPrototypeOf(serialized) as object, 0);
  return serialized;
}

/** Scrubs a fresh object made by pino's err serializer, in place; `errorProto` marks nested ones. */
function scrubSerialized(record: Record<string, unknown>, errorProto: object, depth: number): void {
  for (const field of DROPPED_ERROR_FIELDS) Reflect.deleteProperty(record, field);
  if (depth >= 5) return;
  for (const [key, value] of Object.entries(record)) {
    if (typeof value !== 'object' || value === null) continue;
    if (Object.getPrototypeOf(value) === errorProto) {
      scrubSerialized(value as Record<string, unknown>, errorProto, depth + 1);
    } else if (key === 'aggregateErrors' && Array.isArray(value)) {
      for (const inner of value) {
        if (typeof inner === 'object' && inner !== null) scrubSerialized(inner as Record<string, unknown>, errorProto, depth + 1);
      }
    } else if (key === 'cause' && !Array.isArray(value)) {
      // A cause that is not an Error is copied by reference: replace it by a scrubbed copy.
      record[key] = withoutDroppedFields(value);
    }
  }
}

/** Query-string parameters whose values never reach a log line (OAuth codes, tokens). */
const SENSITIVE_QUERY_KEYS = /^(code|state|token|access_token|refresh_token|client_secret|code_verifier|password|secret)$/i;

/** Replaces the values of sensitive query parameters in a URL path such as "/oauth/cb?code=…". */
export function redactUrl(url: string): string {
  const mark = url.indexOf('?');
  if (mark === -1) return url;
  const params = new URLSearchParams(url.slice(mark + 1));
  for (const key of [...params.keys()]) {
    if (SENSITIVE_QUERY_KEYS.test(key)) params.set(key, 'redacted');
  }
  return `${url.slice(0, mark)}?${params.toString()}`;
}

interface RequestLike {
  id?: unknown;
  method?: string;
  url?: string;
  ip?: string;
  headers?: Record<string, unknown>;
}

const serializers = {
  /** Only what an operator needs; never headers that carry credentials, never bodies. */
  req(req: RequestLike) {
    return {
      method: req.method,
      url: req.url === undefined ? undefined : redactUrl(req.url),
      remoteAddress: req.ip,
      userAgent: req.headers?.['user-agent'],
    };
  },
  res(res: { statusCode?: number }) {
    return { statusCode: res.statusCode };
  },
  err: serializeError,
};

export interface LoggerOptions {
  level: LogLevel;
  /** Where lines go; stdout by default. Tests pass a capturing stream. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'integration-hub' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers,
    },
    options.destination ?? pino.destination({ fd: 1, sync: false }),
  );
}

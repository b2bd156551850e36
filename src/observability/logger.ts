import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/index.js';

export type { Logger } from 'pino';

/**
 * Paths pino censors wherever they appear in a log object. Values are replaced by
 * "[redacted]". Keep in step with docs/security.md ("What is never logged").
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers["linear-signature"]',
  'req.headers["x-pagerduty-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.access_token',
  '*.refresh_token',
  '*.clientSecret',
  '*.client_secret',
  '*.secret',
  '*.masterKey',
  '*.code_verifier',
  'password',
  'token',
  'secret',
  'accessToken',
  'refreshToken',
];

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
  err: pino.stdSerializers.err,
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

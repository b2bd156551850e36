import type { FastifyError, FastifyRequest } from 'fastify';
import { controlError } from './validation.js';

/**
 * Shared pieces of both stand-ins' error handling: how a thrown error maps to an HTTP status and
 * a readable message, and the hub-shaped answers of `/_sandbox/…` control routes. Each vendor
 * keeps its own handler (its error shapes differ) but classifies errors here, so framework errors
 * (malformed JSON, oversize bodies, unsupported content types, bad percent-encoding in the URL)
 * always become a 4xx with a clear message and never a 500.
 */
export interface ClassifiedError {
  status: number;
  /** Short, client-facing; for 5xx a generic text (the real message is logged). */
  message: string;
  /** The hub-shaped code used on control routes. */
  code: string;
}

const FRAMEWORK_CODES: Record<string, { code: string; message?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'body_too_large', message: 'The request body is too large.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', message: 'Unsupported Content-Type.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: 'invalid_request', message: 'Content-Length does not match the body.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_json', message: 'The request body is empty.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json', message: 'The request body is not valid JSON.' },
  FST_ERR_BAD_URL: { code: 'bad_url', message: 'The request URL is not validly percent-encoded.' },
  FST_ERR_BAD_STATUS_CODE: { code: 'internal' },
};

export function classifyError(error: unknown): ClassifiedError {
  const e = (error ?? {}) as Partial<FastifyError> & { statusCode?: unknown; code?: unknown };
  const raw = typeof e.statusCode === 'number' && Number.isInteger(e.statusCode) ? e.statusCode : 500;
  const status = raw >= 400 && raw <= 599 ? raw : 500;
  const known = typeof e.code === 'string' ? FRAMEWORK_CODES[e.code] : undefined;
  if (status >= 500) return { status, message: 'Internal Server Error', code: 'internal' };
  const message = known?.message ?? (error instanceof Error && error.message ? error.message : 'Bad Request');
  const code = known?.code ?? (typeof e.code === 'string' && /^[a-z_]+$/.test(e.code) ? e.code : 'invalid_request');
  return { status, message, code };
}

/** The path without the query string, or the raw URL when it cannot be split. */
export function requestPath(request: FastifyRequest): string {
  return request.url.split('?')[0] ?? '';
}

export const isControlPath = (path: string): boolean => path.startsWith('/_sandbox/');

/** The hub's shape for control routes: {"error":{"code","message"}}. */
export function controlErrorFor(error: unknown) {
  const c = classifyError(error);
  return { status: c.status, body: controlError(c.code, c.message) };
}

/** 404 for an unknown control route, in the hub's shape. */
export function controlNotFound(request: FastifyRequest) {
  return controlError('not_found', `No control route ${request.method} ${requestPath(request)}`);
}

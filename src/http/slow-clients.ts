import { STATUS_CODES, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpTimeouts } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import { errorBody } from './errors.js';

/**
 * How often Node looks for requests past their headers or request timeout (Node's default is
 * 30 s, which would let a 30 s timeout stretch to a minute). The check walks the open
 * connections only, so once a second costs nothing; a slow request is cut off between
 * the timeout and one second after it.
 */
export const TIMEOUT_CHECK_INTERVAL_MS = 1000;

/**
 * Fastify/Node server options that stop slow senders from holding sockets
 * (docs/security.md "Slow clients"):
 * - `headersTimeout`: the request line and headers must arrive within this;
 * - `requestTimeout`: the whole request, body included, within this — counted from the
 *   connection's start (on a kept-alive connection, from the request's first byte), so trickling
 *   a byte every few seconds does not keep it alive. Handling time after the body arrived is
 *   not counted;
 * - `keepAliveTimeout`: an idle connection between requests is closed after this.
 * A connection opened without sending anything falls under the headers timeout.
 * Either timeout answers 408 in the hub's error shape and closes the connection.
 */
export function slowClientOptions(timeouts: HttpTimeouts): SlowClientOptions {
  return {
    // Fastify sets these on the server itself (its default requestTimeout, 0, disables it).
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: {
      // Node validates headersTimeout <= requestTimeout here, at creation.
      requestTimeout: timeouts.requestMs,
      headersTimeout: timeouts.headersMs,
      connectionsCheckingInterval: Math.min(TIMEOUT_CHECK_INTERVAL_MS, timeouts.headersMs),
    },
  };
}

/** The part of Fastify's options slowClientOptions() sets (`http` goes to http.createServer). */
export interface SlowClientOptions {
  requestTimeout: number;
  keepAliveTimeout: number;
  http: ServerOptions;
}

const CLIENT_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'request_timeout', message: 'The request was not received in time.' },
  HPE_HEADER_OVERFLOW: { status: 431, code: 'headers_too_large', message: 'The request headers are too large.' },
};
const MALFORMED = { status: 400, code: 'bad_request', message: 'The request is not valid HTTP.' };

/**
 * Answers errors Node raises on a connection before any route sees a request (timeouts,
 * oversized headers, malformed HTTP) in the hub's one error shape, then closes the socket.
 * Replaces Fastify's default, whose body has another shape.
 */
export function clientErrorHandler(logger: Logger): (error: Error & { code?: string }, socket: Socket) => void {
  return (error, socket) => {
    // A reset connection is gone: nothing to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const answer = (error.code !== undefined ? CLIENT_ERRORS[error.code] : undefined) ?? MALFORMED;
    logger.debug({ code: error.code, status: answer.status, remoteAddress: socket.remoteAddress }, 'client error: connection closed');
    if (socket.writable) {
      const body = JSON.stringify(errorBody(answer.code, answer.message));
      socket.write(
        `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy(error);
  };
}

import { LogController, type FastifyBaseLogger, type FastifyServerOptions } from 'fastify';
import type { AppDeps } from './deps.js';
import { frameworkErrorHandler } from './plugins/error-handler.js';
import type { SecurityHeaderOptions } from './plugins/security-headers.js';
import { clientErrorHandler, slowClientOptions } from './slow-clients.js';

/**
 * The Fastify options every HTTP side of the hub shares — the full app (app.ts) and a worker's
 * probes (probe-app.ts): the hub's logger with `requestId` labels, errors raised before routing
 * answered in the one error shape, slow senders cut off (408), idle keep-alive sockets closed
 * and 503 while shutting down.
 */
export function sharedServerOptions(deps: AppDeps, headerOptions: SecurityHeaderOptions): FastifyServerOptions {
  // Widened to Fastify's logger type, so the app is a plain FastifyInstance (not one typed by pino's Logger).
  const loggerInstance: FastifyBaseLogger = deps.logger;
  return {
    loggerInstance,
    // Malformed URLs and the like, raised before routing, answer in the one error shape.
    frameworkErrors: frameworkErrorHandler(headerOptions),
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    forceCloseConnections: 'idle',
    // Slow senders cannot hold sockets: headers, request and keep-alive timeouts (408 on expiry).
    ...slowClientOptions(deps.config.httpTimeouts),
    clientErrorHandler: clientErrorHandler(deps.logger),
    return503OnClosing: true,
  };
}

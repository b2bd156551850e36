import { randomUUID } from 'node:crypto';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { registerControlGuard } from './control-guard.js';

/** What every stand-in factory returns: an app that is built but not listening. */
export interface SandboxServer {
  app: FastifyInstance;
  /** Back to the seed (same as `POST /_sandbox/reset`). */
  reset(): Promise<void>;
  /** Stops background work (deliveries, timers) and closes the app. */
  close(): Promise<void>;
}

export interface SandboxAppOptions {
  /** false (default) = silent; or a pino logger. */
  logger?: false | FastifyBaseLogger;
  /** Default 1 MiB. */
  bodyLimit?: number;
}

/**
 * A Fastify instance set up the way both stand-ins need it: a request id per request, JSON
 * bodies where an empty body means "no body" (clients often POST with a JSON content type and
 * nothing else), form-encoded bodies (OAuth token requests, page forms), connections that
 * close with the app, timeouts for slow senders, and the control API's guard against
 * cross-site requests (control-guard.ts).
 */
export async function createSandboxFastify(options: SandboxAppOptions = {}): Promise<FastifyInstance> {
  const base = {
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    genReqId: () => randomUUID(),
    forceCloseConnections: true,
    // Like the hub (docs/security.md "Slow clients"): a request must arrive within 30 s, its
    // headers within 10 s; Node looks once a second (its default, 30 s, would double that).
    requestTimeout: 30_000,
    http: { requestTimeout: 30_000, headersTimeout: 10_000, connectionsCheckingInterval: 1000 },
    onProtoPoisoning: 'remove' as const,
    onConstructorPoisoning: 'remove' as const,
    // Errors Fastify raises before routing (a URL with bad percent-encoding) go through the app's
    // own error handler, so they get the vendor's shape instead of Fastify's default body.
    frameworkErrors: ((error, request, reply) => {
      const handler = app.errorHandler as unknown as (e: Error, req: unknown, rep: unknown) => unknown;
      try {
        void handler.call(app, error, request, reply);
      } catch {
        void (reply as unknown as { code(n: number): { send(p: unknown): unknown } }).code(400).send({ error: { code: 'bad_request', message: error.message } });
      }
    }) satisfies FastifyServerOptions['frameworkErrors'],
  };
  const app: FastifyInstance = options.logger
    ? Fastify({ ...base, loggerInstance: options.logger })
    : Fastify({ ...base, logger: false });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new Error('The request body is not valid JSON.'), { statusCode: 400, code: 'invalid_json' }), undefined);
    }
  });
  await app.register(formbody);
  registerControlGuard(app);
  return app;
}

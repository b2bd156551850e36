import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerWebhookIntake } from './routes/webhooks/intake.js';
import type { AppDeps } from './deps.js';
import { registerCloseAfterDrain } from './plugins/close-after-drain.js';
import { registerCsrfProtection } from './plugins/csrf.js';
import { registerErrorHandler } from './plugins/error-handler.js';
import { registerJsonBodyParser, registerUrlGuard } from './plugins/request-input.js';
import { registerRequestMetrics } from './plugins/request-metrics.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { registerSessions } from './plugins/session.js';
import { registerWebApp } from './plugins/web-app.js';
import { registerHealthz, registerReadyz } from './routes/health.js';
import { registerApiRoutes } from './routes/index.js';
import { registerMetricsEndpoint } from './routes/metrics.js';
import { registerOAuthCallback } from './routes/oauth/callback.js';
import { sharedServerOptions } from './server-options.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Builds the hub's HTTP application (not listening yet). The same factory serves
 * production (main.ts) and tests, which start it on an ephemeral port.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const trustProxy = deps.config.trustProxy;
  const headerOptions = { https: deps.config.publicUrl.protocol === 'https:' };
  const app: FastifyInstance = Fastify({
    ...sharedServerOptions(deps, headerOptions),
    bodyLimit: deps.config.bodyLimitBytes,
    trustProxy,
    // Behind a trusted proxy (TRUST_PROXY=true), honour its sane X-Request-Id so log lines
    // correlate across both; otherwise any client could choose ids, so always make one.
    genReqId: (request) => {
      const incoming = trustProxy ? request.headers['x-request-id'] : undefined;
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });

  // The API speaks JSON only: any other body type is answered 415 unsupported_media_type.
  // (Webhook intake will register its own raw-body parser on its routes.)
  app.removeContentTypeParser('text/plain');
  // JSON bodies: no NUL anywhere, no prototype keys (400 invalid_body).
  registerJsonBodyParser(app);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // Before sessions, CSRF and routes: a URL with a NUL in it is refused outright.
  registerUrlGuard(app);
  registerSecurityHeaders(app, headerOptions);
  registerCloseAfterDrain(app);
  registerRequestMetrics(app, deps.metrics);
  registerErrorHandler(app);
  // Order matters: cookies are parsed, then the session resolved, then CSRF checked against it.
  await app.register(fastifyCookie);
  registerSessions(app, deps);
  registerCsrfProtection(app, deps);

  registerHealthz(app);
  registerReadyz(app, deps);
  registerMetricsEndpoint(app, deps);
  await registerApiRoutes(app, deps);
  registerOAuthCallback(app, deps);
  await registerWebhookIntake(app, deps);
  await registerWebApp(app, deps.config);
  return app;
}

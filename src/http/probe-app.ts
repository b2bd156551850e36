import Fastify, { type FastifyInstance } from 'fastify';
import type { AppDeps } from './deps.js';
import { errorBody } from './errors.js';
import { registerCloseAfterDrain } from './plugins/close-after-drain.js';
import { registerErrorHandler } from './plugins/error-handler.js';
import { registerSecurityHeaders } from './plugins/security-headers.js';
import { registerHealthz, registerReadyz } from './routes/health.js';
import { registerMetricsEndpoint } from './routes/metrics.js';
import { sharedServerOptions } from './server-options.js';

/**
 * The HTTP side of a `--role worker` process (docs/deployment.md#process-roles): only what an
 * orchestrator and a scraper need — GET /healthz, GET /readyz, and GET /metrics when
 * METRICS_TOKEN is set (the same routes and rules as the full app, http/routes/). Everything
 * else is 404 in the one error shape: no UI, no API, no webhook intake, so a reverse proxy that
 * sends traffic to a worker by mistake gets nothing it could act on.
 */
export function buildProbeApp(deps: AppDeps): FastifyInstance {
  const headerOptions = { https: deps.config.publicUrl.protocol === 'https:' };
  const app: FastifyInstance = Fastify({ ...sharedServerOptions(deps, headerOptions), bodyLimit: 1024 });
  registerSecurityHeaders(app, headerOptions);
  registerCloseAfterDrain(app);
  registerErrorHandler(app);
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).send(errorBody('not_found', 'This process runs the queue worker (role worker): it serves only /healthz, /readyz and /metrics.')),
  );
  registerHealthz(app);
  registerReadyz(app, deps);
  registerMetricsEndpoint(app, deps);
  return app;
}

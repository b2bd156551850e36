import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../deps.js';
import { HttpError } from '../errors.js';

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * GET /metrics: the Prometheus exposition of the hub's registry. Its counts span every
 * organisation (failed log-ins included), so it is not public:
 * - METRICS_TOKEN unset → the route does not exist (404 in the one error shape);
 * - set → `Authorization: Bearer <METRICS_TOKEN>` is required, compared in constant time
 *   (both sides hashed first, so length leaks nothing); anything else → 401 with
 *   `WWW-Authenticate: Bearer`. The token is a secret: never logged, never echoed.
 * See docs/configuration.md "Metrics" for the Prometheus scrape configuration.
 */
export function registerMetricsEndpoint(app: FastifyInstance, deps: Pick<AppDeps, 'config' | 'metrics'>): void {
  const token = deps.config.metricsToken;
  if (token === undefined) return;
  const expected = digest(token);
  app.get('/metrics', { logLevel: 'warn' }, async (request, reply) => {
    const given = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (given === undefined || !timingSafeEqual(digest(given), expected)) {
      throw new HttpError(401, 'unauthenticated', 'GET /metrics needs the header Authorization: Bearer <METRICS_TOKEN>.', undefined, {
        'www-authenticate': 'Bearer realm="metrics"',
      });
    }
    reply.header('cache-control', 'no-store');
    reply.header('content-type', deps.metrics.registry.contentType);
    return deps.metrics.registry.metrics();
  });
}

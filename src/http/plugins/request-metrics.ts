import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../observability/metrics.js';

/**
 * Counts and times every request by route pattern (never the raw URL: bounded cardinality), and
 * keeps the number of requests in flight: counted from the first hook, released when the
 * response ends or the connection closes (an aborted request too, exactly once).
 */
export function registerRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  const inFlight = metrics.httpInFlight;
  app.addHook('onRequest', async (_request, reply) => {
    inFlight.requests += 1;
    reply.raw.once('close', () => {
      inFlight.requests -= 1;
    });
  });
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status_code: String(reply.statusCode),
    };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });
}

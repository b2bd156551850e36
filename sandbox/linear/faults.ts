import type { FastifyInstance } from 'fastify';
import { registerApiFaults } from '../common/api-faults.js';
import type { LinearSandboxContext } from './context.js';
import { errorBody, wireError } from './graphql/errors.js';
import { ratelimited } from './graphql/route.js';

/**
 * Queued API faults (`POST /_sandbox/faults`) hit /graphql, /oauth/token and /oauth/revoke (not
 * the consent page), answered in Linear's shapes: a '429' on /graphql is RATELIMITED as HTTP 400
 * (or 429, see settings) with Retry-After and exhausted rate-limit headers (API-NOTES §2.5–2.6);
 * a '500' is an `internal error`; 'timeout' answers nothing.
 */
export function registerLinearFaults(app: FastifyInstance, ctx: LinearSandboxContext): void {
  registerApiFaults(app, ctx.faults, {
    isApiPath: (path) => path === '/graphql' || path === '/oauth/token' || path === '/oauth/revoke',
    tooManyRequests: (reply, spec, request) => {
      const retryAfter = spec.retryAfterSeconds ?? 60;
      reply.header('retry-after', String(retryAfter));
      if (!request.url.startsWith('/graphql')) {
        return reply.code(429).send({ error: 'rate_limited', error_description: 'Too many requests' });
      }
      const reset = String(ctx.clock.now() + retryAfter * 1000);
      reply.headers({ 'x-ratelimit-requests-remaining': '0', 'x-ratelimit-requests-reset': reset });
      return reply.code(ctx.settings.ratelimitedStatus).header('content-type', 'application/json; charset=utf-8').send(errorBody(ratelimited()));
    },
    serverError: (reply, _spec, request) => {
      if (!request.url.startsWith('/graphql')) return reply.code(500).send({ error: 'server_error', error_description: 'Internal server error' });
      const body = errorBody(wireError('INTERNAL_SERVER_ERROR', 'Internal server error', 'An unexpected error occurred.'));
      return reply.code(500).header('content-type', 'application/json; charset=utf-8').send(body);
    },
  });
}

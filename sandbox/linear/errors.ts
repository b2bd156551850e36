import type { FastifyInstance } from 'fastify';
import { classifyError, controlErrorFor, controlNotFound, isControlPath, requestPath } from '../common/errors.js';
import { errorBody, wireError } from './graphql/errors.js';

/**
 * The Linear stand-in's last line of defence: errors no route answered itself (malformed JSON,
 * oversize bodies, unsupported content types, bad percent-encoding, sandbox bugs) and unknown
 * routes. Control routes get the hub's shape; `/oauth/…` the OAuth `{error, error_description}`;
 * everything else (GraphQL, pages) Linear's `{"errors":[…extensions]}`. Never Fastify's default body.
 */
export function registerLinearErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const path = requestPath(request);
    const c = classifyError(error);
    if (c.status >= 500) request.log.error({ err: error }, 'sandbox bug');
    if (isControlPath(path)) {
      const { status, body } = controlErrorFor(error);
      return reply.code(status).send(body);
    }
    if (path.startsWith('/oauth/')) {
      return reply
        .code(c.status)
        .header('cache-control', 'no-store')
        .send({ error: c.status >= 500 ? 'server_error' : 'invalid_request', error_description: c.message });
    }
    const wire =
      c.status >= 500
        ? wireError('INTERNAL_SERVER_ERROR', 'Internal server error', 'An unexpected error occurred.')
        : wireError(c.code === 'invalid_json' ? 'GRAPHQL_PARSE_FAILED' : 'GRAPHQL_VALIDATION_FAILED', c.message);
    return reply.code(c.status).header('content-type', 'application/json; charset=utf-8').send(errorBody(wire));
  });
  app.setNotFoundHandler((request, reply) => {
    const path = requestPath(request);
    if (isControlPath(path)) return reply.code(404).send(controlNotFound(request));
    return reply.code(404).send(errorBody(wireError('GRAPHQL_VALIDATION_FAILED', `Cannot ${request.method} ${path}`)));
  });
}

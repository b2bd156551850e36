import type { FastifyInstance, FastifyReply } from 'fastify';
import { execute, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { LinearSandboxContext } from '../context.js';
import { authenticate } from './auth.js';
import { MAX_QUERY_COMPLEXITY, queryComplexity } from './complexity.js';
import { errorBody, formatExecutionError, requestError, wireError, type WireError } from './errors.js';
import type { RateDecision } from './rate-limit.js';

/**
 * POST /graphql (API-NOTES §2): authenticate → parse → validate against the stand-in's schema
 * → complexity and rate limit → execute. Failures before execution answer HTTP 400 with
 * `{errors}` (AUTHENTICATION_ERROR: configurable 400/401). After execution: 200 when any data
 * came back (partial success possible), 400 when `data` is null.
 */
export function registerGraphql(app: FastifyInstance, ctx: LinearSandboxContext, schema: GraphQLSchema): void {
  app.post('/graphql', async (request, reply) => {
    reply.header('content-type', 'application/json; charset=utf-8');
    const viewer = authenticate(ctx, request.headers.authorization);
    if (!viewer) {
      const error = wireError('AUTHENTICATION_ERROR', 'Authentication required, not authenticated', 'You need to authenticate to access this operation.');
      return reply.code(ctx.settings.authErrorStatus).send(errorBody(error));
    }
    const body = (request.body ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
    if (typeof body.query !== 'string' || body.query.trim() === '') {
      return reply.code(400).send(errorBody(wireError('GRAPHQL_VALIDATION_FAILED', 'Must provide query string.')));
    }
    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch (error) {
      if (error instanceof GraphQLError) return reply.code(400).send({ errors: [requestError('GRAPHQL_PARSE_FAILED', error)] });
      throw error;
    }
    const invalid = validate(schema, document);
    if (invalid.length > 0) return reply.code(400).send({ errors: invalid.map((e) => requestError('GRAPHQL_VALIDATION_FAILED', e)) });

    const variables = body.variables && typeof body.variables === 'object' ? (body.variables as Record<string, unknown>) : {};
    const operationName = typeof body.operationName === 'string' ? body.operationName : undefined;
    const complexity = queryComplexity(schema, document, operationName, variables);
    if (complexity > MAX_QUERY_COMPLEXITY) {
      const message = `Query too complex: complexity is ${complexity}, maximum allowed is ${MAX_QUERY_COMPLEXITY}`;
      return reply.code(400).send(errorBody(wireError('RATELIMITED', message, 'This query is too complex.')));
    }
    const decision = ctx.limiter.take(viewer.credential.value, viewer.credential.kind, complexity);
    rateLimitHeaders(reply, decision, complexity);
    if (!decision.allowed) {
      reply.header('retry-after', String(decision.retryAfterSeconds));
      return reply.code(ctx.settings.ratelimitedStatus).send(errorBody(ratelimited()));
    }

    const result = await execute({
      schema,
      document,
      variableValues: variables,
      operationName,
      contextValue: { viewer, services: ctx.services },
    });
    const out: { data?: unknown; errors?: WireError[] } = {};
    if (result.errors?.length) out.errors = result.errors.map(formatExecutionError);
    out.data = result.data ?? null;
    return reply.code(result.data ? 200 : 400).send(out);
  });
}

export function ratelimited(): WireError {
  return wireError('RATELIMITED', 'Rate limit exceeded', 'You have exceeded the rate limit. Please try again later.');
}

/** Headers on every authenticated response (API-NOTES §2.6); resets are epoch ms. */
export function rateLimitHeaders(reply: FastifyReply, d: RateDecision, complexity: number): void {
  reply.headers({
    'x-ratelimit-requests-limit': String(d.requests.limit),
    'x-ratelimit-requests-remaining': String(d.requests.remaining),
    'x-ratelimit-requests-reset': String(d.requests.reset),
    'x-complexity': String(complexity),
    'x-ratelimit-complexity-limit': String(d.complexity.limit),
    'x-ratelimit-complexity-remaining': String(d.complexity.remaining),
    'x-ratelimit-complexity-reset': String(d.complexity.reset),
  });
}

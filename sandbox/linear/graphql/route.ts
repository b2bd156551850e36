import type { FastifyInstance, FastifyReply } from 'fastify';
import { BREAK, execute, GraphQLError, Kind, parse, validate, visit, type DocumentNode, type GraphQLSchema } from 'graphql';
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
    const parsed: unknown = request.body ?? {};
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return reply.code(400).send(errorBody(wireError('GRAPHQL_VALIDATION_FAILED', 'The request body must be a JSON object with a query string.')));
    }
    const body = parsed as { query?: unknown; variables?: unknown; operationName?: unknown };
    if (typeof body.query !== 'string' || body.query.trim() === '') {
      return reply.code(400).send(errorBody(wireError('GRAPHQL_VALIDATION_FAILED', 'Must provide query string.')));
    }
    let document: DocumentNode;
    try {
      document = parse(body.query, { maxLexicalTokens: MAX_TOKENS });
    } catch (error) {
      if (error instanceof GraphQLError) return reply.code(400).send({ errors: [requestError('GRAPHQL_PARSE_FAILED', error)] });
      // graphql-js parses recursively: absurd nesting overflows the stack before any limit applies.
      if (error instanceof RangeError) return reply.code(400).send(errorBody(wireError('GRAPHQL_PARSE_FAILED', tooDeep)));
      throw error;
    }
    if (nestingDepth(document) > MAX_DEPTH) return reply.code(400).send(errorBody(wireError('GRAPHQL_VALIDATION_FAILED', tooDeep)));
    const invalid = validate(schema, document);
    if (invalid.length > 0) return reply.code(400).send({ errors: invalid.map((e) => requestError('GRAPHQL_VALIDATION_FAILED', e)) });

    if (body.variables !== undefined && body.variables !== null && (typeof body.variables !== 'object' || Array.isArray(body.variables))) {
      return reply.code(400).send(errorBody(wireError('GRAPHQL_VALIDATION_FAILED', 'Variables must be an object.')));
    }
    if (body.operationName !== undefined && body.operationName !== null && typeof body.operationName !== 'string') {
      return reply.code(400).send(errorBody(wireError('GRAPHQL_VALIDATION_FAILED', 'operationName must be a string.')));
    }
    const variables = (body.variables ?? {}) as Record<string, unknown>;
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

/** Far beyond any real query (Linear's own clients nest < 10 deep); keeps recursion in check. */
const MAX_DEPTH = 50;
const MAX_TOKENS = 50_000;
const tooDeep = `Query is nested too deeply (maximum depth ${MAX_DEPTH}).`;

/** Deepest nesting of selection sets, lists and input objects (graphql-js's visit is iterative). */
function nestingDepth(document: DocumentNode): number {
  let depth = 0;
  let max = 0;
  const nested = { enter: () => { depth += 1; max = Math.max(max, depth); return max > MAX_DEPTH ? BREAK : undefined; }, leave: () => { depth -= 1; } };
  visit(document, { [Kind.SELECTION_SET]: nested, [Kind.LIST]: nested, [Kind.OBJECT]: nested });
  return max;
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

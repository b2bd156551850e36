import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { authenticate, requireScope, type Caller } from '../auth.js';
import type { PdContext } from '../context.js';
import { pdError } from '../errors.js';
import { rateHeaders } from '../rate-limit.js';

export interface RestCall {
  request: FastifyRequest;
  reply: FastifyReply;
  caller: Caller;
  params: Record<string, string>;
  query: Record<string, unknown>;
}

export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  /** Scoped OAuth scope (API-NOTES §1.8); null = none listed (GET /users/me). */
  scope: string | null;
  /** True when the route reads a JSON body: Content-Type must be application/json (§2.1). */
  body?: boolean;
  /** Counts against the stricter incident-write limit too (§2.9). */
  incidentWrite?: boolean;
  handler(call: RestCall): unknown;
}

const VERSION = /application\/vnd\.pagerduty\+json\s*;\s*version\s*=\s*(\d+)/i;

/**
 * Registers one REST v2 route with the checks every call goes through, in this order:
 * Accept version → credentials (401) → rate limit (429, headers on every answer) → scope (403)
 * → Content-Type → handler.
 */
export function restRoute(app: FastifyInstance, ctx: PdContext, route: RestRoute): void {
  app.route({
    method: route.method,
    url: route.url,
    handler: async (request, reply) => {
      const version = VERSION.exec(request.headers.accept ?? '');
      if (version && version[1] !== '2') throw pdError.invalidInput(`Unsupported API version ${version[1]}; this API is version 2`);
      const caller = authenticate(ctx, request);
      const decision = ctx.limiter.take(caller.bucket, ctx.state.settings.rateLimitPerMinute);
      let shown = decision;
      if (route.incidentWrite && decision.allowed && ctx.state.settings.incidentWriteLimitPerMinute !== null) {
        const strict = ctx.limiter.take(`${caller.bucket}:incident-writes`, ctx.state.settings.incidentWriteLimitPerMinute);
        // When several limits apply, the headers show the one closest to being hit (§2.9).
        if (strict.remaining < decision.remaining || !strict.allowed) shown = strict;
      }
      void reply.headers(rateHeaders(shown));
      if (!shown.allowed) throw pdError.rateLimited(rateHeaders(shown));
      if (route.scope) requireScope(caller, route.scope);
      if (route.body && !/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
        throw pdError.invalidInput('Content-Type must be application/json');
      }
      const result = await route.handler({
        request,
        reply,
        caller,
        params: (request.params ?? {}) as Record<string, string>,
        query: (request.query ?? {}) as Record<string, unknown>,
      });
      return result === undefined ? reply.send() : result;
    },
  });
}

/**
 * Checks a wrapped body (`{"incident":{…}}`, §2.1) with a zod schema; failures are 400/2001
 * with one readable line per problem.
 */
export function wrapped<T extends z.ZodType>(body: unknown, key: string, schema: T): z.infer<T> {
  if (typeof body !== 'object' || body === null || !(key in body)) {
    throw pdError.invalidInput(`The request body must be an object wrapped in "${key}"`);
  }
  const result = schema.safeParse((body as Record<string, unknown>)[key]);
  if (result.success) return result.data;
  throw pdError.invalidInput(
    ...result.error.issues.map((i) => `${[key, ...i.path.map(String)].join('.')}: ${i.message}`),
  );
}

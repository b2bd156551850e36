import type { FastifyInstance } from 'fastify';
import { registerApiFaults } from '../common/api-faults.js';
import type { PdContext } from './context.js';
import { pdError } from './errors.js';
import { REST_PREFIXES } from './rest/index.js';

function isApiPath(path: string): boolean {
  return path === '/oauth/token' || REST_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

/**
 * App-wide hooks: `x-request-id` on every response (§2.1, PDPY), account web hosts
 * (`acme.localhost`, see urls.ts) redirecting to the responder page, and API fault injection.
 */
export function registerHooks(app: FastifyInstance, ctx: PdContext): void {
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    const subdomain = ctx.urls.subdomainOf(request.headers.host);
    if (subdomain && request.method === 'GET' && ctx.state.account(subdomain)) {
      const incident = /^\/incidents\/([A-Z0-9]+)/.exec(request.url)?.[1];
      return reply.redirect(`${ctx.urls.api}/?account=${encodeURIComponent(subdomain)}${incident ? `#incident-${incident}` : ''}`, 302);
    }
    return undefined;
  });

  registerApiFaults(app, ctx.faults, {
    isApiPath,
    tooManyRequests: (reply, spec) => {
      if (ctx.state.settings.bareFault429) return reply.code(429).send();
      const e = pdError.rateLimited({
        'ratelimit-limit': String(ctx.state.settings.rateLimitPerMinute),
        'ratelimit-remaining': '0',
        'ratelimit-reset': String(spec.retryAfterSeconds ?? 20),
      });
      return reply.code(e.status).headers(e.headers).send(e.body);
    },
    serverError: (reply) => reply.code(500).send(pdError.internal().body),
  });
}

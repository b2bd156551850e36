import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { resolveSession, type SessionContext } from '../../accounts/sessions.js';
import type { Config } from '../../config/index.js';
import type { AppDeps } from '../deps.js';

/** Name of the session cookie (HttpOnly, SameSite=Lax, Path=/, Secure when PUBLIC_URL is https). */
export const SESSION_COOKIE = 'hub_session';

/**
 * Route patterns whose requests carry a session. The cookie is resolved (one indexed lookup)
 * only there, so static files cost no database round trip. A new area that needs the caller's
 * session adds its prefix here.
 */
export const SESSION_PATH_PREFIXES = ['/api/', '/oauth/'] as const;

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The caller's session, resolved before any handler runs: a SessionContext, or null when
     * the request has no valid session. undefined only for routes outside SESSION_PATH_PREFIXES
     * (and for requests no route matched).
     * Read it through http/guards.ts (requireSession, requireAdmin), not directly.
     */
    sessionContext: SessionContext | null | undefined;
  }
}

/**
 * The pattern of the route that will serve this request ("/api/users/:id"), or undefined when
 * no route matched (the 404 handler). Security decisions that depend on *where* a request goes
 * (session resolution, CSRF) must use this, never the raw `request.url`: the router decodes
 * the path, so "/%61pi/setup" reaches the "/api/setup" handler although its raw URL does not
 * start with "/api/". Available from onRequest on.
 */
export function matchedRoute(request: FastifyRequest): string | undefined {
  return request.routeOptions.url;
}

/** True when the matched route lies under `prefix` ("/api/" also matches the route "/api"). */
export function routeIsUnder(request: FastifyRequest, prefix: string): boolean {
  const route = matchedRoute(request);
  if (route === undefined) return false;
  return route.startsWith(prefix) || (prefix.endsWith('/') && route === prefix.slice(0, -1));
}

/**
 * Resolves the `hub_session` cookie on every request routed under SESSION_PATH_PREFIXES, slides its
 * expiry (at most once a minute, re-sending the cookie with the new lifetime) and clears a
 * cookie that names no live session. Must be registered after @fastify/cookie and before the
 * CSRF check, which compares against the session's token.
 */
export function registerSessions(app: FastifyInstance, deps: AppDeps): void {
  app.decorateRequest('sessionContext', undefined);
  app.addHook('onRequest', async (request, reply) => {
    if (!SESSION_PATH_PREFIXES.some((prefix) => routeIsUnder(request, prefix))) return;
    request.sessionContext = null;
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie === undefined || cookie === '') return;
    const resolved = await resolveSession(deps.database.db, cookie, {
      now: deps.clock.now(),
      ttlMs: deps.config.sessionTtlMs,
    });
    if (resolved === undefined) {
      clearSessionCookie(reply, deps.config);
      return;
    }
    request.sessionContext = resolved.context;
    if (resolved.touched) setSessionCookie(reply, deps.config, cookie);
  });
}

function cookieOptions(config: Config) {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/',
    secure: config.publicUrl.protocol === 'https:',
  };
}

/** Sends the session cookie; its lifetime matches the server-side expiry (SESSION_TTL_HOURS). */
export function setSessionCookie(reply: FastifyReply, config: Config, cookieValue: string): void {
  reply.setCookie(SESSION_COOKIE, cookieValue, { ...cookieOptions(config), maxAge: Math.floor(config.sessionTtlMs / 1000) });
}

/** Tells the browser to drop the session cookie (log-out, or a cookie naming no live session). */
export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(SESSION_COOKIE, cookieOptions(config));
}

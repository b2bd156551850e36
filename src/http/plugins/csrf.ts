import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../deps.js';
import { HttpError } from '../errors.js';
import { routeIsUnder } from './session.js';

/** The header the web app sends on every state-changing request (value: SessionResponse.csrfToken). */
export const CSRF_HEADER = 'x-csrf-token';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `reason` goes to the log (never a header's value); `message` to the client. */
function csrfFailed(request: FastifyRequest, reason: string, message: string): HttpError {
  request.log.info({ reason }, 'CSRF check failed');
  return new HttpError(403, 'csrf_failed', message);
}

function sameSecret(a: string, b: string): boolean {
  // Hash first so the comparison is constant-time whatever the lengths.
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * Cross-site request forgery protection for every POST/PUT/PATCH/DELETE routed under /api/
 * (by the matched route pattern, however the path was percent-encoded):
 * 1. an Origin header, when present, must be PUBLIC_URL's origin; without one, a request
 *    the browser marks `Sec-Fetch-Site: cross-site` is refused;
 * 2. the X-CSRF-Token header is required. With a session it must equal that session's token
 *    (constant-time); without one (log-in, setup) any non-empty value will do — a custom
 *    header cannot be sent cross-site without a CORS preflight, and the hub never allows one.
 * Failure: 403 `csrf_failed`. /webhooks/ is outside /api/ and exempt (vendors sign those).
 * Must be registered after plugins/session.ts.
 */
export function registerCsrfProtection(app: FastifyInstance, deps: AppDeps): void {
  const expectedOrigin = deps.config.publicUrl.origin;
  app.addHook('onRequest', async (request) => {
    if (!STATE_CHANGING.has(request.method)) return;
    // Decided on the matched route, not the raw URL: "/%61pi/setup" is routed to "/api/setup".
    // A request no route matched changes nothing and is answered 404 by the not-found handler.
    if (!routeIsUnder(request, '/api/')) return;

    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (origin !== expectedOrigin) {
        throw csrfFailed(request, 'origin', 'Cross-origin request refused: the Origin header does not match PUBLIC_URL.');
      }
    } else if (request.headers['sec-fetch-site'] === 'cross-site') {
      throw csrfFailed(request, 'sec-fetch-site', 'Cross-site request refused.');
    }

    const token = request.headers[CSRF_HEADER];
    if (typeof token !== 'string' || token === '') {
      throw csrfFailed(request, 'missing-token', 'The X-CSRF-Token header is missing.');
    }
    const context = request.sessionContext;
    if (context != null && !sameSecret(token, context.session.csrfToken)) {
      throw csrfFailed(
        request,
        'token-mismatch',
        'The X-CSRF-Token header does not match this session. Reload the page and try again.',
      );
    }
  });
}

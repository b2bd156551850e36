import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isControlPath } from './errors.js';
import { controlError } from './validation.js';

/** The stand-ins' own page forms post here (form-encoded, from the stand-in's own origin). */
const PAGE_FORMS = '/_sandbox/ui/';

/** The path as the router matched it: the route pattern, or the percent-decoded URL for a 404. */
function routedPath(request: FastifyRequest): string {
  const pattern = request.routeOptions.url;
  if (pattern !== undefined) return pattern;
  const raw = request.url.split('?')[0] ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * A browser request from another origin. `Sec-Fetch-Site`, set by the browser and beyond a
 * page's reach, decides when present: only `same-origin` and `none` (typed in the address bar)
 * pass — `same-site` is another port of the same host, such as the hub itself. An `Origin`, when
 * present, must name the Host the browser addressed; `Origin: null` passes only beside
 * `Sec-Fetch-Site: same-origin` (Chromium sends "null" for a page's own form posts under
 * `Referrer-Policy: no-referrer`, which the pages use). Tools (curl, tests, the hub's server
 * side) send neither header.
 */
function fromForeignOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = request.headers.origin;
  if (origin === undefined) return false;
  if (origin === 'null') return site !== 'same-origin';
  try {
    return new URL(origin).host !== (request.headers.host ?? '').toLowerCase();
  } catch {
    return true;
  }
}

const isJson = (contentType: string | undefined): boolean =>
  (contentType ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json';

/**
 * Guards the control API (`/_sandbox/…`) against cross-site requests: a page on any other
 * origin could otherwise reset a stand-in or queue faults with a "simple" POST (text/plain or
 * a form) that needs no CORS preflight.
 * - any request from a foreign origin → 403 `forbidden_origin`;
 * - a POST whose Content-Type is not application/json → 415 `unsupported_media_type` (an empty
 *   body with that type is fine). The page forms under /_sandbox/ui/ keep accepting
 *   form-encoded bodies: the Origin check covers them.
 * Answers use the hub's error shape, like every control route. Register before any route.
 */
export function registerControlGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    const path = routedPath(request);
    if (!isControlPath(path)) return;
    if (fromForeignOrigin(request)) {
      return reply
        .code(403)
        .send(controlError('forbidden_origin', 'The control API only answers requests from this stand-in’s own pages or from tools without an Origin.'));
    }
    if (request.method === 'POST' && !path.startsWith(PAGE_FORMS) && !isJson(request.headers['content-type'])) {
      return reply.code(415).send(controlError('unsupported_media_type', 'Send control requests with Content-Type: application/json.'));
    }
  });
}

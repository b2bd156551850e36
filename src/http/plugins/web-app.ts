import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../../config/index.js';
import { packageRoot } from '../../core/package-root.js';
import { errorBody } from '../errors.js';

/**
 * Paths that belong to the server, never to the single-page app: those starting with these
 * prefixes, and `/api` and `/oauth` themselves. `/webhooks` itself is the app's Webhooks tab;
 * webhook deliveries arrive under `/webhooks/`.
 */
const SERVER_PREFIXES = ['/api/', '/webhooks/', '/oauth/', '/healthz', '/readyz', '/metrics'];
const SERVER_PATHS = new Set(['/api', '/oauth']);

/** The path of a request URL, percent-decoded as the router sees it (raw if it cannot be decoded). */
function decodedPathOf(url: string): string {
  const mark = url.indexOf('?');
  const raw = mark === -1 ? url : url.slice(0, mark);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** A source map (`*.map`): the web build emits none, and the hub answers 404 to any. */
const isSourceMap = (pathname: string): boolean => pathname.toLowerCase().endsWith('.map');

export function isServerPath(pathname: string): boolean {
  return SERVER_PATHS.has(pathname) || SERVER_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}

/**
 * A page request: HTML is acceptable. Browsers send text/html; curl and many tools send
 * `*\/*` or no Accept at all — they get the page too. `Accept: application/json` does not.
 */
export function acceptsHtml(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.includes('text/html') || accept.includes('*/*');
}

const LOOPBACK_HOST = /^(?:127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?$/;

function effectivePort(url: URL): string {
  return url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
}

/**
 * Where to send a page request that reached the hub by a loopback IP while PUBLIC_URL names
 * `localhost` (the default PUBLIC_URL, while Fastify logs "listening at http://127.0.0.1:…"):
 * the browser must be on PUBLIC_URL's origin, or the CSRF Origin check refuses its first
 * POST. Deliberately narrow — only a loopback IP in the Host header itself, on PUBLIC_URL's
 * port — so a reverse proxy that rewrites Host to something else can never loop.
 */
export function loopbackRedirect(request: FastifyRequest, publicUrl: URL): string | undefined {
  if (publicUrl.hostname !== 'localhost') return undefined;
  if (!request.url.startsWith('/')) return undefined;
  const match = LOOPBACK_HOST.exec(request.headers.host ?? '');
  if (match === null) return undefined;
  const port = match[1] ?? (publicUrl.protocol === 'https:' ? '443' : '80');
  if (port !== effectivePort(publicUrl)) return undefined;
  return `${publicUrl.origin}${request.url}`;
}

/**
 * Serves the React app built by Vite into dist/web, with index.html for every other GET/HEAD
 * that accepts HTML (client-side routing). Server paths (/api/, /webhooks/, …) and requests
 * that do not accept HTML get the JSON 404.
 */
export async function registerWebApp(app: FastifyInstance, config: Pick<Config, 'publicUrl'>): Promise<void> {
  const root = path.join(packageRoot(), 'dist', 'web');
  const indexFile = path.join(root, 'index.html');
  const built = existsSync(indexFile);
  if (built) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: false,
      maxAge: '1h',
      immutable: false,
      // Source maps are never served, even if a build left some in dist/web.
      allowedPath: (pathname) => !isSourceMap(pathname),
    });
  }
  const indexHtml = built ? readFileSync(indexFile, 'utf8') : undefined;

  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    const isPage =
      (request.method === 'GET' || request.method === 'HEAD') &&
      !isServerPath(decodedPathOf(request.url)) &&
      !isSourceMap(decodedPathOf(request.url)) &&
      acceptsHtml(request.headers.accept);
    if (isPage) {
      const location = loopbackRedirect(request, config.publicUrl);
      if (location !== undefined) return reply.code(302).header('location', location).send();
      if (indexHtml === undefined) {
        return reply.code(503).type('text/plain').send('The web app is not built. Run `npm run build`.');
      }
      return reply.code(200).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml);
    }
    return reply.code(404).send(errorBody('not_found', `No route for ${request.method} ${pathname}.`));
  });
}

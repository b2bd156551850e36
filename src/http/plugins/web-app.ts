import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { packageRoot } from '../../core/package-root.js';
import { errorBody } from '../errors.js';

/** Paths that belong to the server, never to the single-page app. */
const SERVER_PREFIXES = ['/api/', '/webhooks/', '/oauth/', '/healthz', '/readyz', '/metrics'];

/**
 * Serves the React app built by Vite into dist/web, with index.html for every other GET
 * that asks for HTML (client-side routing). Unknown API routes get the JSON 404.
 */
export async function registerWebApp(app: FastifyInstance): Promise<void> {
  const root = path.join(packageRoot(), 'dist', 'web');
  const indexFile = path.join(root, 'index.html');
  const built = existsSync(indexFile);
  if (built) {
    await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: false, maxAge: '1h', immutable: false });
  }
  const indexHtml = built ? readFileSync(indexFile, 'utf8') : undefined;

  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    const isServerPath = SERVER_PREFIXES.some((prefix) => pathname === prefix.replace(/\/$/, '') || pathname.startsWith(prefix));
    const wantsHtml = (request.headers.accept ?? '').includes('text/html');
    if ((request.method === 'GET' || request.method === 'HEAD') && !isServerPath && wantsHtml) {
      if (indexHtml === undefined) {
        return reply.code(503).type('text/plain').send('The web app is not built. Run `npm run build`.');
      }
      return reply.code(200).header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml);
    }
    return reply.code(404).send(errorBody('not_found', `No route for ${request.method} ${pathname}.`));
  });
}

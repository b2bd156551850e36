import type { FastifyInstance } from 'fastify';
import { HttpError } from '../errors.js';

/**
 * Input hygiene shared by every route, applied before any route sees the request:
 *
 * - NUL ("\u0000") is refused everywhere the client controls text: PostgreSQL cannot store it
 *   in text columns (error 22021, which would be a 500), and no field of ours needs it.
 *   · in a JSON body (any string value or key, at any depth): 400 `invalid_body`;
 *   · in the URL (path or query, as "%00" — the router would decode it into a parameter):
 *     400 `bad_request`, before routing decisions, sessions or validation.
 * - A JSON body with a `__proto__` key or a `constructor.prototype` pair is refused with a
 *   truthful 400 `invalid_body` (Fastify's own check calls it "not valid JSON").
 *
 * Webhook intake registers its own raw-body parser on its routes and is not affected by the
 * JSON rules here (vendors sign the exact bytes).
 */

const NUL = '\u0000';

export const FORBIDDEN_KEY_MESSAGE = 'The request body contains a forbidden key (__proto__ or constructor.prototype).';
const NUL_MESSAGE = 'must not contain a NUL character (\\u0000)';

type Problem = { kind: 'nul'; path: string } | { kind: 'forbidden-key' };

/** Field names are shown in a problem's path only when plainly names (never arbitrary input). */
const PLAIN_KEY = /^[A-Za-z0-9_-]{1,64}$/;

function childPath(parent: string, key: string | number): string {
  const label = typeof key === 'number' ? String(key) : PLAIN_KEY.test(key) ? key : '?';
  return parent === '' ? label : `${parent}.${label}`;
}

/**
 * The first problem in a parsed JSON value, or undefined. Walks iteratively (a deeply nested
 * body cannot overflow the stack) over plain JSON data: objects, arrays, strings.
 */
export function findForbiddenJsonInput(root: unknown): Problem | undefined {
  const stack: Array<{ value: unknown; path: string }> = [{ value: root, path: '' }];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      if (value.includes(NUL)) return { kind: 'nul', path };
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, path: childPath(path, index) }));
      continue;
    }
    for (const key of Object.keys(value)) {
      if (key === '__proto__') return { kind: 'forbidden-key' };
      const item = (value as Record<string, unknown>)[key];
      if (key === 'constructor' && typeof item === 'object' && item !== null && Object.hasOwn(item, 'prototype')) {
        return { kind: 'forbidden-key' };
      }
      if (key.includes(NUL)) return { kind: 'nul', path: childPath(path, key) };
      stack.push({ value: item, path: childPath(path, key) });
    }
  }
  return undefined;
}

function problemError(problem: Problem): HttpError {
  if (problem.kind === 'forbidden-key') return new HttpError(400, 'invalid_body', FORBIDDEN_KEY_MESSAGE);
  const where = problem.path === '' ? '' : `${problem.path}: `;
  return new HttpError(400, 'invalid_body', `The request body is invalid: ${where}${NUL_MESSAGE}`, [
    { path: problem.path, message: NUL_MESSAGE },
  ]);
}

/**
 * Replaces Fastify's application/json parser by the same parser (empty body, syntax errors and
 * body limit behave as before) followed by {@link findForbiddenJsonInput}. Prototype keys are
 * left in place by the inner parser ("ignore") so that the walk can name them truthfully; the
 * walk refuses them, so no handler ever sees one.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('ignore', 'ignore');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // Fastify's default parser is its callback form: it answers through the callback and returns
    // nothing (its declared type also admits the promise form, hence `void`).
    void parseJson(request, body as string, (error: Error | null, parsed?: unknown) => {
      if (error !== null) {
        done(error, undefined);
        return;
      }
      const problem = findForbiddenJsonInput(parsed);
      if (problem === undefined) done(null, parsed);
      else done(problemError(problem), undefined);
    });
  });
}

/** True when a raw request URL carries a NUL, encoded ("%00") or not. */
export function urlHasNul(url: string): boolean {
  return url.includes(NUL) || /%00/i.test(url);
}

/**
 * Refuses a URL with a NUL in it (400 `bad_request`). Registered as the first onRequest hook,
 * so it runs before the session lookup, CSRF check, validation and handlers — and for
 * unmatched URLs too.
 */
export function registerUrlGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (urlHasNul(request.url)) {
      throw new HttpError(400, 'bad_request', 'The request URL contains a NUL character (%00), which is not allowed.');
    }
  });
}

import { z } from 'zod';
import { ENDPOINTS, type Endpoint } from '../../src/api/index.js';

/**
 * The API contract (src/api) as the test client applies it: every success answer of a declared
 * endpoint must have the declared status and parse with the declared (strict) response schema,
 * so each API test also proves the contract the web app is typed from.
 */

const PARAMETER = /:[^/]+/g;

const patterns = ENDPOINTS.map((endpoint) => ({
  endpoint,
  parameters: endpoint.path.match(PARAMETER)?.length ?? 0,
  pattern: new RegExp(`^${endpoint.path.replace(PARAMETER, '[^/]+')}$`),
}));

/** The endpoint a request is for (a literal path segment wins over a parameter), if any. */
export function endpointFor(method: string, url: string): Endpoint | undefined {
  const path = url.split('?')[0] ?? '';
  const matches = patterns.filter((entry) => entry.endpoint.method === method && entry.pattern.test(path));
  return matches.sort((a, b) => a.parameters - b.parameters)[0]?.endpoint;
}

/** Throws when a success answer of a declared endpoint differs from the contract. */
export function checkAnswer(method: string, url: string, status: number, body: unknown): void {
  const endpoint = endpointFor(method, url);
  if (endpoint === undefined || status < 200 || status >= 300) return;
  const where = `${method} ${url.split('?')[0]}`;
  if (status !== endpoint.status) throw new Error(`${where} answered ${status}; the contract (src/api) says ${endpoint.status}`);
  if (endpoint.response === null) {
    if (body !== undefined) throw new Error(`${where} answered a body; the contract (src/api) says 204 without one`);
    return;
  }
  const parsed = endpoint.response.safeParse(body);
  if (!parsed.success) throw new Error(`${where} answered a body the contract (src/api) does not allow:\n${z.prettifyError(parsed.error)}`);
}

import { vi } from 'vitest';
import type { MetaResponse, SessionResponse } from '../../../src/api/index.js';

/** One request the app made. `key` is `METHOD /path`, as in the routes. */
export interface Call {
  key: string;
  method: string;
  path: string;
  query: Record<string, string>;
  init?: RequestInit | undefined;
}

/** Answers by `METHOD /path`; the query and the request reach the handler in the call. */
export type Routes = Record<string, (call: Call) => Response>;

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A hub set up already, not in sandbox mode. */
export const META: MetaResponse = { version: '0.1.0', setupRequired: false, sandboxMode: false, sandbox: null, retentionDays: 30 };

/** Ada Lovelace of Acme Robotics, logged in. */
export function session(role: 'admin' | 'viewer'): SessionResponse {
  return {
    user: {
      id: 'u1',
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      role,
      createdAt: '2026-01-02T10:00:00Z',
      status: 'active',
      deactivatedAt: null,
      mustChangePassword: false,
    },
    organisation: { id: 'o1', name: 'Acme Robotics', createdAt: '2026-01-02T10:00:00Z' },
    csrfToken: 'csrf-1',
  };
}

/** The start-up requests of the app, answered for a logged-in user. */
export function loggedIn(role: 'admin' | 'viewer', meta: MetaResponse = META): Routes {
  return {
    'GET /api/meta': () => json(200, meta),
    'GET /api/session': () => json(200, session(role)),
  };
}

/**
 * Stubs fetch: answers from `routes` (the table may be changed during the test); any other
 * request fails the test. Returns every call, in order.
 */
export function serve(routes: Routes): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(href, 'http://hub.test');
    const method = init?.method ?? 'GET';
    const key = `${method} ${url.pathname}`;
    const call: Call = { key, method, path: url.pathname, query: Object.fromEntries(url.searchParams), init };
    calls.push(call);
    const route = routes[key];
    if (route === undefined) throw new Error(`unexpected request ${method} ${href}`);
    return route(call);
  });
  return calls;
}

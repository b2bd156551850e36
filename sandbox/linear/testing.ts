import { randomBytes } from 'node:crypto';
import { s256Challenge } from '../common/pkce.js';
import { freePort } from '../common/testing.js';
import { createLinearSandbox, type LinearSandbox, type LinearSandboxOptions } from './index.js';

export { eventually, startReceiver, type Receiver, type ReceivedWebhook } from '../common/testing.js';

/**
 * Helpers for the Linear stand-in's own tests (and the hub's): start it on an ephemeral port,
 * call GraphQL with real fetch, mint tokens through the control API.
 */
export interface RunningLinearSandbox extends LinearSandbox {
  url: string;
  /** POST /graphql; `auth` is an OAuth access token (sent as Bearer) or `{ apiKey }` (sent bare). */
  graphql<T = unknown>(query: string, variables?: Record<string, unknown>, auth?: string | { apiKey: string } | null): Promise<GraphqlResponse<T>>;
  control<T = unknown>(path: string, body?: unknown, method?: string): Promise<T>;
  /** An access token from POST /_sandbox/tokens (default Acme's admin, read,write,admin). */
  token(options?: { workspace?: string; user?: string; scopes?: string[]; actor?: 'user' | 'app' }): Promise<string>;
}

export interface GraphqlResponse<T> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: Array<{ message: string; path?: string[]; extensions: Record<string, unknown> }> };
}

export async function startLinearSandbox(options: Partial<LinearSandboxOptions> = {}): Promise<RunningLinearSandbox> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const sandbox = await createLinearSandbox({ retryScheduleMs: [20, 20, 20], deliveryTimeoutMs: 1000, ...options, baseUrl: url });
  await sandbox.app.listen({ port, host: '127.0.0.1' });
  const graphql: RunningLinearSandbox['graphql'] = async (query, variables, auth) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (typeof auth === 'string') headers.authorization = `Bearer ${auth}`;
    else if (auth) headers.authorization = auth.apiKey;
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables: variables ?? {} }) });
    return { status: res.status, headers: res.headers, body: (await res.json()) as never };
  };
  const control: RunningLinearSandbox['control'] = async (path, body, method) => {
    const res = await fetch(`${url}${path}`, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    return (await res.json()) as never;
  };
  const token: RunningLinearSandbox['token'] = async (o = {}) =>
    (await control<{ access_token: string }>('/_sandbox/tokens', { workspace: 'Acme', ...o })).access_token;
  return Object.assign(sandbox, { url, graphql, control, token });
}

/** A PKCE pair per RFC 7636 (verifier 43–128 chars, S256 challenge). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: s256Challenge(verifier) };
}

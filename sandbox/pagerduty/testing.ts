import { createHash, randomBytes } from 'node:crypto';
import { freePort } from '../common/testing.js';
export { eventually, startReceiver, type Receiver, type ReceivedWebhook } from '../common/testing.js';
import { createPagerDutySandbox, type PagerDutySandbox, type PagerDutySandboxOptions } from './index.js';

/**
 * Helpers for the stand-in's own tests (and the hub's): start it on an ephemeral port, call it
 * with real fetch, and receive its webhooks on a local server.
 */
export interface RunningSandbox extends PagerDutySandbox {
  url: string;
  /** fetch against the sandbox with PagerDuty's Accept header and the given credentials. */
  api(path: string, init?: { method?: string; token?: string; apiKey?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  control<T = unknown>(path: string, body?: unknown, method?: string): Promise<T>;
  token(account?: string, extra?: { user?: string; scopes?: string[] }): Promise<string>;
}

export async function startSandbox(options: Partial<PagerDutySandboxOptions> = {}): Promise<RunningSandbox> {
  // The base URL must be known before listening; reserve a port first.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const sandbox = await createPagerDutySandbox({ retryScheduleMs: [20, 20, 20], deliveryTimeoutMs: 1000, ...options, baseUrl: url });
  await sandbox.app.listen({ port, host: '127.0.0.1' });
  const api: RunningSandbox['api'] = (path, init = {}) => {
    const headers: Record<string, string> = { accept: 'application/vnd.pagerduty+json;version=2', ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.apiKey) headers.authorization = `Token token=${init.apiKey}`;
    if (init.body !== undefined) headers['content-type'] ??= 'application/json';
    return fetch(`${url}${path}`, { method: init.method ?? 'GET', headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
  };
  const control: RunningSandbox['control'] = async (path, body, method) => {
    const res = await fetch(`${url}${path}`, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    return (await res.json()) as never;
  };
  const token: RunningSandbox['token'] = async (account = 'acme', extra = {}) =>
    (await control<{ access_token: string }>('/_sandbox/tokens', { account, ...extra })).access_token;
  return Object.assign(sandbox, { url, api, control, token });
}


/** A PKCE pair per RFC 7636 (verifier 43–128 chars, S256 challenge). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

import { startSandbox, type RunningSandbox } from '../../sandbox/index.js';
import type { ManualClock } from '../../src/core/clock.js';
import type { Dialect } from '../../src/db/database.js';
import type { AuthorizeResponse, ConnectAttemptView, Provider } from '../../src/api/index.js';
import type { HubClient } from './client.js';
import { freePort, startTestHub, type TestHub, type TestHubOptions } from './hub.js';

/** The sandbox's OAuth client (sandbox/…/oauth/clients.ts): public, sandbox only. */
export const SANDBOX_CLIENT = { id: 'integration-hub-sandbox', secret: 'integration-hub-sandbox-secret' };

export interface HubWithSandbox {
  hub: TestHub;
  sandbox: RunningSandbox;
  close(): Promise<void>;
}

/** Environment that points a hub at the stand-ins as if they were the real vendors ("vendor" mode). */
export function vendorEnvFor(sandbox: Pick<RunningSandbox, 'pagerdutyUrl' | 'linearUrl'>): Record<string, string> {
  return {
    PAGERDUTY_CLIENT_ID: SANDBOX_CLIENT.id,
    PAGERDUTY_CLIENT_SECRET: SANDBOX_CLIENT.secret,
    PAGERDUTY_IDENTITY_URL: sandbox.pagerdutyUrl,
    PAGERDUTY_API_URL: sandbox.pagerdutyUrl,
    PAGERDUTY_EU_API_URL: sandbox.pagerdutyUrl,
    LINEAR_CLIENT_ID: SANDBOX_CLIENT.id,
    LINEAR_CLIENT_SECRET: SANDBOX_CLIENT.secret,
    LINEAR_OAUTH_URL: sandbox.linearUrl,
    LINEAR_API_URL: sandbox.linearUrl,
  };
}

/** Registers the hub's callbacks with the stand-ins' OAuth client. */
export async function registerCallbacks(sandbox: RunningSandbox, hubUrl: string): Promise<void> {
  for (const [provider, base] of [['pagerduty', sandbox.pagerdutyUrl], ['linear', sandbox.linearUrl]] as const) {
    const response = await fetch(`${base}/_sandbox/clients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: SANDBOX_CLIENT.id, redirectUris: [`${hubUrl}/oauth/${provider}/callback`] }),
    });
    if (!response.ok) throw new Error(`registering the ${provider} callback failed: ${response.status}`);
  }
}

/** Stand-ins on free ports, and a hub that talks to them through its real-vendor configuration. */
export async function startHubWithSandbox(
  dialect: Dialect = 'sqlite',
  env: Record<string, string> = {},
  options: TestHubOptions & { sandboxRetryScheduleMs?: number[] } = {},
): Promise<HubWithSandbox> {
  const retries = options.sandboxRetryScheduleMs === undefined ? {} : { retryScheduleMs: options.sandboxRetryScheduleMs };
  const sandbox = await startSandbox({ host: '127.0.0.1', pagerdutyPort: await freePort(), linearPort: await freePort(), ...retries });
  try {
    const hub = await startTestHub(dialect, { ...vendorEnvFor(sandbox), ...env }, options.clock === undefined ? {} : { clock: options.clock });
    await registerCallbacks(sandbox, hub.url);
    return {
      hub,
      sandbox,
      close: async () => {
        await hub.close();
        await sandbox.close();
      },
    };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}

export interface ConsentChoice {
  decision?: 'authorize' | 'deny';
  /** PagerDuty account subdomain (acme, globex) or Linear workspace id. */
  account?: string;
  /** Provider user id (PagerDuty PUSR…); default: the page's preselected user. */
  user?: string;
}

/** What the consent page preselects (the first account/workspace and its first user). */
function selected(html: string, name: string): string | undefined {
  const select = new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1];
  if (select === undefined) return undefined;
  return /<option value="([^"]*)" selected/.exec(select)?.[1] ?? /<option value="([^"]*)"/.exec(select)?.[1];
}

/**
 * Plays the person on the provider's consent page: opens `authorizationUrl`, submits the
 * form with the choice, and returns the callback URL the provider redirects to (not followed).
 */
export async function consent(authorizationUrl: string, choice: ConsentChoice = {}): Promise<string> {
  const page = await fetch(authorizationUrl);
  const html = await page.text();
  if (!page.ok) throw new Error(`consent page answered ${page.status}: ${html.slice(0, 300)}`);
  const url = new URL(authorizationUrl);
  const form = new URLSearchParams(url.searchParams);
  const isLinear = html.includes('name="workspace"');
  const accountField = isLinear ? 'workspace' : 'account';
  form.set(accountField, choice.account ?? selected(html, accountField) ?? '');
  form.set('user', choice.user ?? selected(html, 'user') ?? '');
  form.set('decision', choice.decision ?? 'authorize');
  const response = await fetch(`${url.origin}/oauth/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  const location = response.headers.get('location');
  if (location === null) throw new Error(`consent answered ${response.status} without a redirect: ${(await response.text()).slice(0, 300)}`);
  return location;
}

/** Follows a provider's redirect back to the hub with the client's cookies; returns the hub's redirect target. */
export async function followCallback(client: HubClient, callbackUrl: string): Promise<URL> {
  const path = new URL(callbackUrl);
  const response = await client.request('GET', `${path.pathname}${path.search}`, { redirect: 'manual' });
  if (response.status !== 303) throw new Error(`callback answered ${response.status}: ${response.text}`);
  return new URL(response.headers.get('location') ?? '');
}

/** Connect → consent → callback → the attempt's outcome. */
export async function connectProvider(
  client: HubClient,
  provider: Provider,
  choice: ConsentChoice = {},
): Promise<{ attempt: ConnectAttemptView | undefined; landing: URL; callbackUrl: string }> {
  const started = await client.post<AuthorizeResponse>(`/api/connections/${provider}/authorize`, {});
  if (started.status !== 200) throw new Error(`authorize answered ${started.status}: ${started.text}`);
  const callbackUrl = await consent(started.body.authorizationUrl, choice);
  const landing = await followCallback(client, callbackUrl);
  const attemptId = landing.searchParams.get('attempt');
  if (attemptId === null) return { attempt: undefined, landing, callbackUrl };
  const attempt = await client.get<{ attempt: ConnectAttemptView }>(`/api/connections/attempts/${attemptId}`);
  return { attempt: attempt.body.attempt, landing, callbackUrl };
}

// ---------------------------------------------------------------------------------------------
// Connect-flow suites (test/connections/connect-*.test.ts): the stand-ins' control API, and the
// Connect steps one at a time, so a test can interfere between them.

/** One token as a stand-in's GET /_sandbox/tokens lists it. */
export interface SandboxTokenView {
  value: string;
  kind: 'access' | 'refresh';
  clientId: string;
  account: string;
  user: string;
  scopes: string[];
  revoked: boolean;
  family: string;
}

/** A JSON call to a stand-in's control API (`/_sandbox/…`); throws unless it answers 2xx. */
export async function sandboxControl<T = any>(baseUrl: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    // The control API takes POSTs as JSON only (an empty body is fine).
    ...(method === 'POST' ? { headers: { 'content-type': 'application/json' } } : {}),
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} on the stand-in answered ${response.status}: ${text.slice(0, 300)}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/**
 * Both stand-ins back to their seed (data, tokens, request log, faults, shared clock, runtime
 * client registrations) and the hub's callbacks registered again.
 */
export async function resetSandbox(sandbox: RunningSandbox, hubUrl: string): Promise<void> {
  await sandboxControl(sandbox.pagerdutyUrl, 'POST', '/_sandbox/reset');
  await sandboxControl(sandbox.linearUrl, 'POST', '/_sandbox/reset');
  await registerCallbacks(sandbox, hubUrl);
}

/**
 * Back to a clean slate between tests of one suite: the stand-ins at their seed (tokens,
 * request log, faults, settings, clock), the hub's clock at real time, no connection, attempt
 * or token stored, token counters and captured log lines cleared.
 */
export async function resetConnectionsState(s: HubWithSandbox & { clock: ManualClock }): Promise<void> {
  await resetSandbox(s.sandbox, s.hub.url);
  s.clock.set(Date.now());
  await s.hub.database.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('vault_secrets').where('owner_table', 'in', ['connections', 'oauth_attempts']).execute();
    await trx.deleteFrom('oauth_attempts').execute();
    await trx.deleteFrom('connections').execute();
  });
  s.hub.hub.deps.metrics.tokenRefreshes.reset();
  s.hub.hub.deps.metrics.connectionsLost.reset();
  s.hub.logs.lines.length = 0;
}

/** Every token the stand-in at `baseUrl` has issued. */
export async function sandboxTokens(baseUrl: string): Promise<SandboxTokenView[]> {
  return (await sandboxControl<{ tokens: SandboxTokenView[] }>(baseUrl, 'GET', '/_sandbox/tokens')).tokens;
}

/** Calls the stand-in at `baseUrl` received (filters as GET /_sandbox/requests takes them). */
export async function sandboxRequests(
  baseUrl: string,
  filter: { method?: string; pathPrefix?: string } = {},
): Promise<Array<{ method: string; path: string; query: Record<string, string>; status: number }>> {
  const query = new URLSearchParams(Object.entries(filter).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return (await sandboxControl<{ requests: any[] }>(baseUrl, 'GET', `/_sandbox/requests?${query}`)).requests;
}

/** Queues API faults on the stand-in at `baseUrl` (docs/sandbox.md "Fault injection"). */
export async function injectApiFaults(
  baseUrl: string,
  faults: Array<{ kind: '429' | '500' | 'timeout'; count: number; method?: string; pathPrefix?: string; retryAfterSeconds?: number }>,
): Promise<void> {
  await sandboxControl(baseUrl, 'POST', '/_sandbox/faults', { api: faults });
}

/** Starts Connect as `client` and plays the consent page; the callback URL is returned, not delivered. */
export async function authorizeAndConsent(
  client: HubClient,
  provider: Provider,
  choice: ConsentChoice = {},
): Promise<{ attemptId: string; authorizationUrl: string; state: string; callbackUrl: string }> {
  const started = await client.post<AuthorizeResponse>(`/api/connections/${provider}/authorize`, {});
  if (started.status !== 200) throw new Error(`authorize answered ${started.status}: ${started.text}`);
  const { authorizationUrl, attemptId } = started.body;
  const state = new URL(authorizationUrl).searchParams.get('state') ?? '';
  return { attemptId, authorizationUrl, state, callbackUrl: await consent(authorizationUrl, choice) };
}

/** Delivers a callback URL with `client`'s cookies and reads the attempt the hub lands on (if any). */
export async function deliverCallback(
  client: HubClient,
  callbackUrl: string,
): Promise<{ landing: URL; attempt: ConnectAttemptView | undefined }> {
  const landing = await followCallback(client, callbackUrl);
  const attemptId = landing.searchParams.get('attempt');
  if (attemptId === null) return { landing, attempt: undefined };
  const read = await client.get<{ attempt: ConnectAttemptView }>(`/api/connections/attempts/${attemptId}`);
  if (read.status !== 200) throw new Error(`reading attempt ${attemptId} answered ${read.status}: ${read.text}`);
  return { landing, attempt: read.body.attempt };
}

// ---------------------------------------------------------------------------------------------
// Token-lifecycle suites (test/connections/tokens*.test.ts, secrets.test.ts): clocks, settings
// and the refresh grants the stand-ins received.

/** One day in ms: the stand-ins' access-token lifetime (expires_in 86400 / 86399). */
export const TOKEN_DAY_MS = 86_400_000;

/** Moves the stand-ins' shared clock forward (the hub's clock does not notice). */
export async function advanceSandboxClock(sandbox: Pick<RunningSandbox, 'pagerdutyUrl'>, ms: number): Promise<void> {
  await sandboxControl(sandbox.pagerdutyUrl, 'POST', '/_sandbox/clock', { advanceMs: ms });
}

/** Changes a stand-in's behaviour switches and token lifetimes (POST /_sandbox/settings). */
export async function sandboxSettings(baseUrl: string, settings: Record<string, unknown>): Promise<void> {
  await sandboxControl(baseUrl, 'POST', '/_sandbox/settings', settings);
}

/** A token-endpoint call as the stand-in recorded it (form body parsed). */
export interface TokenRequest {
  at: number;
  status: number;
  body: Record<string, string> | undefined;
}

/**
 * POST /oauth/token calls the stand-in answered, optionally only one grant type. Calls cut off
 * by a `timeout` fault are not recorded; a `500` fault answers before the body is read, so
 * those carry no body (and match no grant type).
 */
export async function tokenRequests(baseUrl: string, grantType?: string): Promise<TokenRequest[]> {
  const { requests } = await sandboxControl<{ requests: TokenRequest[] }>(baseUrl, 'GET', '/_sandbox/requests?method=POST&pathPrefix=/oauth/token');
  return requests.filter((request) => grantType === undefined || request.body?.grant_type === grantType);
}

/** The refresh_token grants a stand-in answered (any status). */
export const refreshGrants = (baseUrl: string): Promise<TokenRequest[]> => tokenRequests(baseUrl, 'refresh_token');

/**
 * Presents a refresh token at a stand-in's token endpoint directly (as the hub's client would).
 * A live token is rotated by this, and the call shows up in {@link refreshGrants}: use it on
 * tokens expected to be dead, after counting.
 */
export async function presentRefreshToken(baseUrl: string, refreshToken: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: SANDBOX_CLIENT.id,
      client_secret: SANDBOX_CLIENT.secret,
    }).toString(),
  });
  const text = await response.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: response.status, body };
}

/**
 * A pass-through HTTP proxy in front of a stand-in that holds matching requests for `delayMs`
 * before forwarding them: e.g. a slow token endpoint, so a refresh is still in flight while a
 * burst of calls arrives. Point a hub's PAGERDUTY_IDENTITY_URL (or LINEAR_API_URL) at `url`.
 */
export async function startDelayingProxy(
  target: string,
  options: { delayMs: number; matches(method: string, path: string): boolean },
): Promise<{ url: string; delayed: number; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  const state = { delayed: 0 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const path = request.url ?? '/';
        if (options.matches(request.method ?? 'GET', path.split('?')[0] ?? '/')) {
          state.delayed++;
          await new Promise((resolve) => setTimeout(resolve, options.delayMs));
        }
        const headers = new Headers();
        for (const [name, value] of Object.entries(request.headers)) {
          if (value === undefined || ['host', 'connection', 'content-length', 'transfer-encoding'].includes(name)) continue;
          headers.set(name, Array.isArray(value) ? value.join(', ') : value);
        }
        const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
        const upstream = await fetch(`${target}${path}`, { method: request.method ?? 'GET', headers, redirect: 'manual', ...(body ? { body } : {}) });
        const outHeaders: Record<string, string> = {};
        upstream.headers.forEach((value, name) => {
          if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name)) outHeaders[name] = value;
        });
        response.writeHead(upstream.status, outHeaders);
        response.end(Buffer.from(await upstream.arrayBuffer()));
      })().catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(502);
        response.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    get delayed() {
      return state.delayed;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

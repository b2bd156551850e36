import { startSandbox, type RunningSandbox } from '../../sandbox/index.js';
import type { Dialect } from '../../src/db/database.js';
import type { AuthorizeResponse, ConnectAttemptView, Provider } from '../../src/http/api-types.js';
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
  options: TestHubOptions = {},
): Promise<HubWithSandbox> {
  const sandbox = await startSandbox({ host: '127.0.0.1', pagerdutyPort: await freePort(), linearPort: await freePort() });
  try {
    const hub = await startTestHub(dialect, { ...vendorEnvFor(sandbox), ...env }, options);
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

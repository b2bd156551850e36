import type { Env } from './schema.js';

/**
 * `vendor`: a real OAuth client is configured (PAGERDUTY_CLIENT_ID…); `sandbox`: none is, and the
 * built-in stand-in plays the provider; `unconfigured`: none is and SANDBOX=off.
 */
export type ProviderMode = 'vendor' | 'sandbox' | 'unconfigured';

interface ProviderClientConfig {
  mode: ProviderMode;
  /** Empty when unconfigured. */
  clientId: string;
  clientSecret: string;
}

export interface PagerDutyProviderConfig extends ProviderClientConfig {
  /** Scoped OAuth (fine-grained scopes, PKCE required) or Classic (`read write`). */
  oauthFlavour: 'scoped' | 'classic';
  /** identity.pagerduty.com: /oauth/authorize and /oauth/token (the same for both regions). */
  identityUrl: string;
  /** REST base per service region; the region is learned when connecting. */
  apiUrls: { us: string; eu: string };
}

export interface LinearProviderConfig extends ProviderClientConfig {
  /** linear.app: /oauth/authorize. */
  oauthUrl: string;
  /** api.linear.app: /oauth/token, /oauth/revoke, /graphql. */
  apiUrl: string;
}

/** The OAuth client the sandbox stand-ins know (sandbox/…/seed): public on purpose, sandbox only. */
export const SANDBOX_OAUTH_CLIENT = { clientId: 'integration-hub-sandbox', clientSecret: 'integration-hub-sandbox-secret' };

/** How the hub reaches each provider (`Config.providers`). */
export interface ProvidersConfig {
  pagerduty: PagerDutyProviderConfig;
  linear: LinearProviderConfig;
}

/**
 * Each provider's real OAuth client and URLs when its client id and secret are both set;
 * otherwise its sandbox stand-in at `sandboxUrls` (or, with SANDBOX=off, unconfigured).
 */
export function providersConfig(e: Env, sandboxUrls: { pagerduty: string; linear: string }): ProvidersConfig {
  const sandboxAllowed = e.SANDBOX !== 'off';
  const client = (id: string | undefined, secret: string | undefined): ProviderClientConfig =>
    id !== undefined && secret !== undefined
      ? { mode: 'vendor', clientId: id, clientSecret: secret }
      : sandboxAllowed
        ? { mode: 'sandbox', ...SANDBOX_OAUTH_CLIENT }
        : { mode: 'unconfigured', clientId: '', clientSecret: '' };
  const pagerdutyClient = client(e.PAGERDUTY_CLIENT_ID, e.PAGERDUTY_CLIENT_SECRET);
  const linearClient = client(e.LINEAR_CLIENT_ID, e.LINEAR_CLIENT_SECRET);
  const pagerduty: PagerDutyProviderConfig =
    pagerdutyClient.mode === 'sandbox'
      ? {
          ...pagerdutyClient,
          oauthFlavour: 'scoped',
          identityUrl: sandboxUrls.pagerduty,
          apiUrls: { us: sandboxUrls.pagerduty, eu: sandboxUrls.pagerduty },
        }
      : {
          ...pagerdutyClient,
          oauthFlavour: e.PAGERDUTY_OAUTH,
          identityUrl: e.PAGERDUTY_IDENTITY_URL,
          apiUrls: { us: e.PAGERDUTY_API_URL, eu: e.PAGERDUTY_EU_API_URL },
        };
  const linear: LinearProviderConfig =
    linearClient.mode === 'sandbox'
      ? { ...linearClient, oauthUrl: sandboxUrls.linear, apiUrl: sandboxUrls.linear }
      : { ...linearClient, oauthUrl: e.LINEAR_OAUTH_URL, apiUrl: e.LINEAR_API_URL };
  return { pagerduty, linear };
}

/**
 * OAuth apps registered with the stand-in. All behave as Scoped OAuth apps installed in every
 * seeded account (a published Public Scoped App, API-NOTES §1.1): PKCE S256 is required, a
 * confidential client must send its secret (§1.4).
 */
export interface PagerDutyClientConfig {
  clientId: string;
  /** null = a public client (no secret; PKCE still required). */
  clientSecret: string | null;
  /** Exact-match allow list (§5.1). */
  redirectUris: string[];
  /** Shown on the consent page and as the webhook `client.name` of the app's actions. */
  name: string;
  /** The scopes configured on the app; requests are trimmed to these (§1.5). Default APP_SCOPES. */
  scopes?: string[];
}

export type RegisteredClient = Required<PagerDutyClientConfig>;

/** The scopes the hub asks for (SPEC §3). */
export const HUB_SCOPES = [
  'services.read',
  'incidents.read',
  'incidents.write',
  'webhook_subscriptions.read',
  'webhook_subscriptions.write',
  'users.read',
  'priorities.read',
];

/** What the seeded app has configured: the hub's scopes plus a few it might add later. */
export const APP_SCOPES = [...HUB_SCOPES, 'services.write', 'escalation_policies.read', 'teams.read'];

export const SANDBOX_CLIENT_ID = 'integration-hub-sandbox';

export const DEFAULT_CLIENTS: PagerDutyClientConfig[] = [
  {
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: 'integration-hub-sandbox-secret',
    redirectUris: ['http://localhost:3000/oauth/pagerduty/callback'],
    name: 'Integration Hub (sandbox)',
  },
];

export function registerClient(config: PagerDutyClientConfig): RegisteredClient {
  return { ...config, redirectUris: [...config.redirectUris], scopes: [...(config.scopes ?? APP_SCOPES)] };
}

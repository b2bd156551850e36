import { PROVIDER_NAMES } from '../names.js';
import type { Provider } from '../provider.js';
import { getCurrentUser, listServices } from './api.js';
import { identifyPagerDuty } from './identify.js';
import { pagerdutyIncidentPager } from './pager.js';
import { readPagerDutyRateHeaders } from './rate-headers.js';
import { pagerdutyWebhooks } from './webhooks.js';

/**
 * PagerDuty (reference/pagerduty/API-NOTES.md §1). identity.pagerduty.com serves both regions;
 * the REST base depends on the account's region, learned when connecting.
 */
export const PAGERDUTY_SCOPED_SCOPES = [
  'services.read',
  'incidents.read',
  'incidents.write',
  'webhook_subscriptions.read',
  'webhook_subscriptions.write',
  'users.read',
  'priorities.read',
];
export const PAGERDUTY_CLASSIC_SCOPES = ['read', 'write'];

export const pagerdutyProvider: Provider = {
  name: 'pagerduty',
  displayName: PROVIDER_NAMES.pagerduty,
  accountNoun: 'account',
  configEnvPrefix: 'PAGERDUTY',
  codeLifetimeNote: 'PagerDuty codes live 30 seconds',
  revokePlace: 'PagerDuty (Settings → OAuth Applications)',
  requires: [],
  oauth(config) {
    const pd = config.providers.pagerduty;
    const scoped = pd.oauthFlavour === 'scoped';
    return {
      issuer: `${pd.identityUrl}/global/oauth/anonymous`,
      authorizationEndpoint: `${pd.identityUrl}/oauth/authorize`,
      tokenEndpoint: `${pd.identityUrl}/oauth/token`,
      clientId: pd.clientId,
      clientSecret: pd.clientSecret,
      requestedScopes: scoped ? PAGERDUTY_SCOPED_SCOPES : PAGERDUTY_CLASSIC_SCOPES,
      // Classic `write` includes reading.
      requiredScopes: scoped ? PAGERDUTY_SCOPED_SCOPES : ['write'],
      scopeSeparator: ' ',
      extraAuthorizeParameters: {},
      missingScopeAdvice:
        "Add the missing scopes to the hub's OAuth app in PagerDuty (Integrations → App Registration → OAuth 2.0) and connect again.",
    };
  },
  /**
   * PagerDuty adds an OpenID `id_token` to every token response (it grants `openid` unasked).
   * Its `aud` lists the API base and the client id without an `azp`, which a strict OIDC check
   * rejects, so it is removed before oauth4webapi validates the rest and its claims are kept
   * as hints: `region` (which API base to call), `account_id` and `subdomain` (which account —
   * the key the wrong-account check compares). The user comes from GET /users/me. The claims
   * are read without a signature check: the token came straight from the token endpoint over
   * TLS, which OIDC Core §3.1.3.7 accepts in lieu of one.
   */
  normaliseTokenBody(body) {
    const idToken = body.id_token;
    delete body.id_token;
    return typeof idToken === 'string' ? decodeJwtClaims(idToken) : undefined;
  },
  identify: identifyPagerDuty,
  // No documented revocation endpoint: only the app-wide "Revoke All Tokens" button.
  revoke: undefined,
  connectedMessage: (account) =>
    `Connected to the PagerDuty account ${account.accountName}${account.region ? ` (${account.region.toUpperCase()})` : ''} as ${account.user.name}.`,
  readRateHeaders: readPagerDutyRateHeaders,
  // API-NOTES §2.9: 960 requests per minute per app and user.
  rateLimit: { requests: 960, windowMs: 60_000 },
  healthCheck: getCurrentUser,
  scopes: {
    kind: 'service',
    list: async (request) =>
      (await listServices(request)).map((service) => ({ id: service.id, name: service.name, key: null, status: service.status, url: service.htmlUrl })),
  },
  webhooks: pagerdutyWebhooks,
  incidentPager: pagerdutyIncidentPager,
};

function decodeJwtClaims(jwt: string): Record<string, unknown> | undefined {
  const payload = jwt.split('.')[1];
  if (payload === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return claims !== null && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

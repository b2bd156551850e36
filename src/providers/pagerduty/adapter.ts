import type { ProviderAdapter } from '../adapter.js';
import { identifyPagerDuty } from './identify.js';

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

export const pagerdutyAdapter: ProviderAdapter = {
  name: 'pagerduty',
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
   * rejects. The hub relies on GET /users/me for identity and reads only the token's
   * region/subdomain/account claims as hints, so the token is removed before oauth4webapi
   * validates the rest. (It came straight from the token endpoint over TLS — OIDC Core
   * §3.1.3.7 — and is used for nothing security-relevant.)
   */
  normaliseTokenBody(body) {
    const idToken = body.id_token;
    delete body.id_token;
    return typeof idToken === 'string' ? decodeJwtClaims(idToken) : undefined;
  },
  identify: identifyPagerDuty,
  // No documented revocation endpoint: only the app-wide "Revoke All Tokens" button.
  revoke: undefined,
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

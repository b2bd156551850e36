import type { ProviderAdapter } from '../adapter.js';
import { getViewer, revokeToken } from './api.js';

/** Linear (reference/linear/API-NOTES.md §1). `admin` is needed to create team webhooks. */
export const LINEAR_SCOPES = ['read', 'write', 'admin'];

export const linearAdapter: ProviderAdapter = {
  name: 'linear',
  oauth(config) {
    const linear = config.providers.linear;
    return {
      issuer: linear.oauthUrl,
      authorizationEndpoint: `${linear.oauthUrl}/oauth/authorize`,
      tokenEndpoint: `${linear.apiUrl}/oauth/token`,
      clientId: linear.clientId,
      clientSecret: linear.clientSecret,
      requestedScopes: LINEAR_SCOPES,
      requiredScopes: LINEAR_SCOPES,
      scopeSeparator: ',',
      // Always show the consent screen, so a person can pick another workspace.
      extraAuthorizeParameters: { prompt: 'consent' },
      missingScopeAdvice: 'Linear grants `admin` only to workspace admins: connect as an admin of the workspace.',
    };
  },
  /** Apps created before 2023-12 get `scope` as an array of strings: made a space-separated string. */
  normaliseTokenBody(body) {
    if (Array.isArray(body.scope)) body.scope = body.scope.filter((scope) => typeof scope === 'string').join(' ');
    return undefined;
  },
  async identify(config, token) {
    const linear = config.providers.linear;
    const viewer = await getViewer({ apiUrl: linear.apiUrl, accessToken: token.accessToken, timeoutMs: config.providerTimeoutMs });
    const organization = viewer.organization;
    return {
      ok: true,
      account: {
        accountId: organization.id,
        accountName: organization.name,
        subdomain: organization.urlKey,
        accountUrl: linear.mode === 'vendor' ? `${linear.oauthUrl}/${organization.urlKey}` : linear.oauthUrl,
        region: null,
        apiUrl: linear.apiUrl,
        user: { id: viewer.id, name: viewer.name, email: viewer.email, role: viewer.admin ? 'admin' : 'member' },
      },
    };
  },
  /** POST /oauth/revoke by access token; by refresh token when the access token is unknown there. */
  async revoke(config, tokens) {
    const base = { apiUrl: config.providers.linear.apiUrl, timeoutMs: config.providerTimeoutMs };
    if (tokens.accessToken !== undefined) {
      const result = await revokeToken({ ...base, token: tokens.accessToken, kind: 'access' });
      if (result === 'revoked' || tokens.refreshToken === undefined) return result;
    }
    if (tokens.refreshToken !== undefined) return revokeToken({ ...base, token: tokens.refreshToken, kind: 'refresh' });
    return 'already_gone';
  },
};

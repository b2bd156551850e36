import { ok } from '../../core/result.js';
import { PROVIDER_NAMES } from '../names.js';
import type { Provider } from '../provider.js';
import { getViewer, listTeams, revokeToken } from './api.js';
import { readLinearRateHeaders } from './rate-headers.js';
import { linearIssueTracker } from './tracker.js';
import { linearWebhooks } from './webhooks.js';

/** Linear (reference/linear/API-NOTES.md §1). `admin` is needed to create team webhooks. */
export const LINEAR_SCOPES = ['read', 'write', 'admin'];

export const linearProvider: Provider = {
  name: 'linear',
  displayName: PROVIDER_NAMES.linear,
  accountNoun: 'workspace',
  configEnvPrefix: 'LINEAR',
  codeLifetimeNote: undefined,
  revokePlace: 'Linear (Settings → Security & access → Authorized applications)',
  requires: [{ provider: 'pagerduty', why: 'so rules can pick a service' }],
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
    return ok({
      accountId: organization.id,
      accountName: organization.name,
      subdomain: organization.urlKey,
      accountUrl: linear.mode === 'vendor' ? `${linear.oauthUrl}/${organization.urlKey}` : linear.oauthUrl,
      region: null,
      apiUrl: linear.apiUrl,
      user: { id: viewer.id, name: viewer.name, email: viewer.email, role: viewer.admin ? 'admin' : 'member' },
    });
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
  connectedMessage: (account) => `Connected to the Linear workspace ${account.accountName} as ${account.user.name}.`,
  readRateHeaders: readLinearRateHeaders,
  // API-NOTES §2.6: OAuth apps 1,200 requests per hour per user, a bucket refilled continuously.
  rateLimit: { requests: 1200, windowMs: 3_600_000 },
  healthCheck: getViewer,
  scopes: {
    kind: 'team',
    list: async (request) => (await listTeams(request)).map((team) => ({ id: team.id, name: team.name, key: team.key, status: null, url: null })),
  },
  webhooks: linearWebhooks,
  issueTracker: linearIssueTracker,
};

import * as oauth from 'oauth4webapi';
import type { Config } from '../config/index.js';
import type { ProviderName } from '../db/tables.js';
import { PROVIDER_NAMES, ProviderRequestError, ProviderUnavailableError } from './provider-errors.js';
import { providerFetch } from './provider-fetch.js';

/**
 * OAuth 2.0 with each provider, through oauth4webapi (RFC 9700 practice: authorization code +
 * PKCE S256, a one-time state, exact redirect URIs, client secret at the token endpoint).
 * Provider quirks handled here, nowhere else:
 * - PagerDuty adds an OpenID `id_token` to every token response (it grants `openid` whether
 *   asked or not). Its `aud` lists the API base and the client id without an `azp`, which a
 *   strict OIDC check rejects; the hub does not rely on it for identity (it asks GET /users/me)
 *   and reads only its `region`/`aud` hints to choose the regional API. It is removed from the
 *   response before oauth4webapi validates the rest, and its claims are returned separately.
 *   (Received straight from the token endpoint over TLS: OIDC Core §3.1.3.7 allows trusting it
 *   without a signature check; we use it for nothing security-relevant anyway.)
 * - PagerDuty answers `token_type: "bearer"` (lower case); oauth4webapi accepts it.
 * - Linear apps created before 2023-12 get `scope` as an array of strings; normalised to a
 *   space-separated string.
 * - Linear scopes are requested comma-separated, PagerDuty's space-separated.
 */

export const PAGERDUTY_SCOPED_SCOPES = [
  'services.read',
  'incidents.read',
  'incidents.write',
  'webhook_subscriptions.read',
  'webhook_subscriptions.write',
  'users.read',
  'priorities.read',
] as const;
export const PAGERDUTY_CLASSIC_SCOPES = ['read', 'write'] as const;
export const LINEAR_SCOPES = ['read', 'write', 'admin'] as const;

export interface TokenSet {
  accessToken: string;
  refreshToken: string | undefined;
  /** Seconds, as the provider said; undefined when it did not. */
  expiresIn: number | undefined;
  /** Granted scopes (split on spaces or commas). */
  scopes: string[];
  /** PagerDuty only: claims of the ID token (unverified hints: region, subdomain, account). */
  idTokenClaims: Record<string, unknown> | undefined;
}

export interface OAuthProvider {
  provider: ProviderName;
  requestedScopes: string[];
  /** Scopes the granted set must contain (PagerDuty Classic: `write`, which includes reading). */
  requiredScopes: string[];
  redirectUri: string;
  /** The provider's authorize URL for one attempt. */
  authorizationUrl(state: string, codeChallenge: string): URL;
  /** Checks the callback's parameters (error=…, state) the way oauth4webapi does. */
  validateCallback(parameters: URLSearchParams, expectedState: string): URLSearchParams;
  exchangeCode(callbackParameters: URLSearchParams, codeVerifier: string): Promise<TokenSet>;
  refresh(refreshToken: string): Promise<TokenSet>;
}

export function createOAuthProvider(config: Config, provider: ProviderName): OAuthProvider {
  const timeoutMs = config.providerTimeoutMs;
  const redirectUri = new URL(`/oauth/${provider}/callback`, config.publicUrl).toString();
  let as: oauth.AuthorizationServer;
  let clientId: string;
  let clientSecret: string;
  let requestedScopes: string[];
  let scopeSeparator: string;
  if (provider === 'pagerduty') {
    const pd = config.providers.pagerduty;
    as = {
      issuer: `${pd.identityUrl}/global/oauth/anonymous`,
      authorization_endpoint: `${pd.identityUrl}/oauth/authorize`,
      token_endpoint: `${pd.identityUrl}/oauth/token`,
    };
    ({ clientId, clientSecret } = pd);
    requestedScopes = pd.oauthFlavour === 'scoped' ? [...PAGERDUTY_SCOPED_SCOPES] : [...PAGERDUTY_CLASSIC_SCOPES];
    scopeSeparator = ' ';
  } else {
    const linear = config.providers.linear;
    as = {
      issuer: linear.oauthUrl,
      authorization_endpoint: `${linear.oauthUrl}/oauth/authorize`,
      token_endpoint: `${linear.apiUrl}/oauth/token`,
    };
    ({ clientId, clientSecret } = linear);
    requestedScopes = [...LINEAR_SCOPES];
    scopeSeparator = ',';
  }
  const client: oauth.Client = { client_id: clientId };
  // Built on first use: an unconfigured provider (no client secret) must not stop the hub starting.
  let clientAuthCache: oauth.ClientAuth | undefined;
  const clientAuth: oauth.ClientAuth = (...args) => (clientAuthCache ??= oauth.ClientSecretPost(clientSecret))(...args);

  /** One token-endpoint call: its own fetch, so the ID token claims stay with this call. */
  const tokenCall = async (send: (options: oauth.TokenEndpointRequestOptions) => Promise<Response>) => {
    let idTokenClaims: Record<string, unknown> | undefined;
    const options: oauth.TokenEndpointRequestOptions = {
      [oauth.allowInsecureRequests]: new URL(as.token_endpoint!).protocol === 'http:',
      [oauth.customFetch]: async (url, init) => {
        const response = await providerFetch(provider, url, init as RequestInit, timeoutMs);
        if (response.status >= 500) {
          throw new ProviderUnavailableError(
            provider,
            `${PROVIDER_NAMES[provider]}'s token endpoint answered HTTP ${response.status}.`,
            'server',
          );
        }
        const normalised = await normaliseTokenResponse(response);
        idTokenClaims = normalised.idTokenClaims;
        return normalised.response;
      },
    };
    return { response: await send(options), claims: () => idTokenClaims };
  };

  const toTokenSet = (result: oauth.TokenEndpointResponse, claims: Record<string, unknown> | undefined): TokenSet => ({
    accessToken: result.access_token,
    refreshToken: result.refresh_token,
    expiresIn: result.expires_in,
    scopes: splitScopes(result.scope),
    idTokenClaims: claims,
  });

  const requiredScopes =
    provider === 'pagerduty' && config.providers.pagerduty.oauthFlavour === 'classic' ? ['write'] : requestedScopes;
  return {
    provider,
    requestedScopes,
    requiredScopes,
    redirectUri,
    authorizationUrl(state, codeChallenge) {
      const url = new URL(as.authorization_endpoint!);
      url.searchParams.set('client_id', clientId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('scope', requestedScopes.join(scopeSeparator));
      url.searchParams.set('state', state);
      url.searchParams.set('code_challenge', codeChallenge);
      url.searchParams.set('code_challenge_method', 'S256');
      // Linear: always show the consent screen, so a person can pick another workspace.
      if (provider === 'linear') url.searchParams.set('prompt', 'consent');
      return url;
    },
    validateCallback(parameters, expectedState) {
      return oauth.validateAuthResponse(as, client, parameters, expectedState);
    },
    async exchangeCode(callbackParameters, codeVerifier) {
      const call = await tokenCall((options) =>
        oauth.authorizationCodeGrantRequest(as, client, clientAuth, callbackParameters, redirectUri, codeVerifier, options),
      );
      const result = await oauth.processAuthorizationCodeResponse(as, client, call.response);
      return toTokenSet(result, call.claims());
    },
    async refresh(refreshToken) {
      const call = await tokenCall((options) => oauth.refreshTokenGrantRequest(as, client, clientAuth, refreshToken, options));
      const result = await oauth.processRefreshTokenResponse(as, client, call.response);
      return toTokenSet(result, call.claims());
    },
  };
}

/** Granted scopes from a token response: space- or comma-separated. */
export function splitScopes(scope: string | undefined): string[] {
  return (scope ?? '').split(/[\s,]+/).filter((s) => s !== '');
}

/** Removes the vendor quirks described above from a successful token response. */
async function normaliseTokenResponse(
  response: Response,
): Promise<{ response: Response; idTokenClaims: Record<string, unknown> | undefined }> {
  if (response.status !== 200) return { response, idTokenClaims: undefined };
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Let oauth4webapi report the malformed body.
    return { response: new Response(text, { status: response.status, headers: response.headers }), idTokenClaims: undefined };
  }
  let idTokenClaims: Record<string, unknown> | undefined;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const record = body as Record<string, unknown>;
    if (typeof record.id_token === 'string') idTokenClaims = decodeJwtClaims(record.id_token);
    delete record.id_token;
    if (Array.isArray(record.scope)) record.scope = record.scope.filter((s) => typeof s === 'string').join(' ');
  }
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return { response: new Response(JSON.stringify(body), { status: 200, headers }), idTokenClaims };
}

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

/**
 * Classifies an error thrown by a token-endpoint call. `invalid_grant` means the code or the
 * refresh token is dead (expired, reused, revoked); everything else is a failure of the call.
 */
export function classifyTokenError(
  provider: ProviderName,
  error: unknown,
): { kind: 'invalid_grant'; description: string } | { kind: 'unavailable'; error: ProviderUnavailableError } | { kind: 'failed'; message: string } {
  if (error instanceof ProviderUnavailableError) return { kind: 'unavailable', error };
  if (error instanceof oauth.ResponseBodyError) {
    if (error.error === 'invalid_grant') return { kind: 'invalid_grant', description: error.error_description ?? 'invalid_grant' };
    return {
      kind: 'failed',
      message: `${PROVIDER_NAMES[provider]}'s token endpoint refused the request: ${error.error}${error.error_description ? ` (${error.error_description})` : ''}.`,
    };
  }
  if (error instanceof oauth.OperationProcessingError || error instanceof TypeError) {
    return { kind: 'failed', message: `${PROVIDER_NAMES[provider]}'s token endpoint sent an answer the hub cannot use: ${error.message}` };
  }
  if (error instanceof ProviderRequestError) return { kind: 'failed', message: error.message };
  return { kind: 'failed', message: `The token request to ${PROVIDER_NAMES[provider]} failed.` };
}

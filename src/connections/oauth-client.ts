import * as oauth from 'oauth4webapi';
import type { Config } from '../config/index.js';
import type { Provider } from '../providers/provider.js';
import { PROVIDER_NAMES, ProviderRequestError, ProviderUnavailableError } from '../providers/errors.js';
import { providerFetch } from '../providers/fetch.js';
import type { ProviderName } from '../providers/index.js';

/**
 * OAuth 2.0 with a provider, through oauth4webapi (RFC 9700 practice: authorization code +
 * PKCE S256, a one-time state, exact redirect URIs, the client secret at the token endpoint).
 * Endpoints, scopes and token-response quirks come from the provider (src/providers/). Every call
 * goes through providerFetch (timeout, network errors → ProviderUnavailableError); a 5xx from
 * the token endpoint is "unavailable", never a reason to give up on a connection.
 */

export interface TokenSet {
  accessToken: string;
  refreshToken: string | undefined;
  /** Seconds, as the provider said; undefined when it did not. */
  expiresIn: number | undefined;
  /** Granted scopes (split on spaces or commas). */
  scopes: string[];
  /** What the provider's normaliseTokenBody kept aside (PagerDuty: ID token claims). */
  hints: Record<string, unknown> | undefined;
}

export interface OAuthProvider {
  provider: ProviderName;
  requestedScopes: string[];
  requiredScopes: string[];
  missingScopeAdvice: string;
  redirectUri: string;
  /** The provider's authorize URL for one attempt. */
  authorizationUrl(state: string, codeChallenge: string): URL;
  /** Checks the callback's parameters (error=…, state) the way oauth4webapi does. */
  validateCallback(parameters: URLSearchParams, expectedState: string): URLSearchParams;
  exchangeCode(callbackParameters: URLSearchParams, codeVerifier: string): Promise<TokenSet>;
  refresh(refreshToken: string): Promise<TokenSet>;
}

export function createOAuthProvider(config: Config, adapter: Provider): OAuthProvider {
  const provider = adapter.name;
  const settings = adapter.oauth(config);
  const timeoutMs = config.providerTimeoutMs;
  const redirectUri = new URL(`/oauth/${provider}/callback`, config.publicUrl).toString();
  const as: oauth.AuthorizationServer = {
    issuer: settings.issuer,
    authorization_endpoint: settings.authorizationEndpoint,
    token_endpoint: settings.tokenEndpoint,
  };
  const client: oauth.Client = { client_id: settings.clientId };
  // Built on first use: an unconfigured provider (no client secret) must not stop the hub starting.
  let clientAuthCache: oauth.ClientAuth | undefined;
  const clientAuth: oauth.ClientAuth = (...args) => (clientAuthCache ??= oauth.ClientSecretPost(settings.clientSecret))(...args);
  // Config allows plain http only towards this machine (a stand-in); oauth4webapi marks the
  // option deprecated only to make it stand out.
  const allowHttp = new URL(settings.tokenEndpoint).protocol === 'http:';

  /** One token-endpoint call with its own fetch, so the hints stay with this call. */
  const tokenCall = async (send: (options: oauth.TokenEndpointRequestOptions) => Promise<Response>) => {
    let hints: Record<string, unknown> | undefined;
    const options: oauth.TokenEndpointRequestOptions = {
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- only for http towards this machine (above)
      [oauth.allowInsecureRequests]: allowHttp,
      [oauth.customFetch]: async (url, init) => {
        const response = await providerFetch(provider, url, init, timeoutMs);
        if (response.status >= 500) {
          throw new ProviderUnavailableError(provider, `${PROVIDER_NAMES[provider]}'s token endpoint answered HTTP ${response.status}.`, 'server');
        }
        const normalised = await normaliseTokenResponse(response, adapter);
        hints = normalised.hints;
        return normalised.response;
      },
    };
    return { response: await send(options), hints: () => hints };
  };

  const toTokenSet = (result: oauth.TokenEndpointResponse, hints: Record<string, unknown> | undefined): TokenSet => ({
    accessToken: result.access_token,
    refreshToken: result.refresh_token,
    expiresIn: result.expires_in,
    scopes: splitScopes(result.scope),
    hints,
  });

  return {
    provider,
    requestedScopes: settings.requestedScopes,
    requiredScopes: settings.requiredScopes,
    missingScopeAdvice: settings.missingScopeAdvice,
    redirectUri,
    authorizationUrl(state, codeChallenge) {
      const url = new URL(settings.authorizationEndpoint);
      url.searchParams.set('client_id', settings.clientId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('scope', settings.requestedScopes.join(settings.scopeSeparator));
      url.searchParams.set('state', state);
      url.searchParams.set('code_challenge', codeChallenge);
      url.searchParams.set('code_challenge_method', 'S256');
      for (const [name, value] of Object.entries(settings.extraAuthorizeParameters)) url.searchParams.set(name, value);
      return url;
    },
    validateCallback(parameters, expectedState) {
      return oauth.validateAuthResponse(as, client, parameters, expectedState);
    },
    async exchangeCode(callbackParameters, codeVerifier) {
      const call = await tokenCall((options) =>
        oauth.authorizationCodeGrantRequest(as, client, clientAuth, callbackParameters, redirectUri, codeVerifier, options),
      );
      return toTokenSet(await oauth.processAuthorizationCodeResponse(as, client, call.response), call.hints());
    },
    async refresh(refreshToken) {
      const call = await tokenCall((options) => oauth.refreshTokenGrantRequest(as, client, clientAuth, refreshToken, options));
      return toTokenSet(await oauth.processRefreshTokenResponse(as, client, call.response), call.hints());
    },
  };
}

/** Granted scopes from a token response: space- or comma-separated. */
export function splitScopes(scope: string | undefined): string[] {
  return (scope ?? '').split(/[\s,]+/).filter((s) => s !== '');
}

/** Applies the provider's quirk handling to a successful JSON token response. */
async function normaliseTokenResponse(
  response: Response,
  adapter: Pick<Provider, 'normaliseTokenBody'>,
): Promise<{ response: Response; hints: Record<string, unknown> | undefined }> {
  if (response.status !== 200) return { response, hints: undefined };
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Let oauth4webapi report the malformed body.
    return { response: new Response(text, { status: response.status, headers: response.headers }), hints: undefined };
  }
  let hints: Record<string, unknown> | undefined;
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) hints = adapter.normaliseTokenBody(body as Record<string, unknown>);
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return { response: new Response(JSON.stringify(body), { status: 200, headers }), hints };
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

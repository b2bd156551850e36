import {
  ProviderForbiddenError,
  ProviderRateLimitedError,
  ProviderRequestError,
  ProviderUnauthorizedError,
  ProviderUnavailableError,
} from '../errors.js';
import { providerFetch, retryAfterSeconds } from '../fetch.js';
import type { ProviderRequest } from '../request.js';

/**
 * The Linear GraphQL calls the hub makes (reference/linear/API-NOTES.md §2). Stateless: the
 * caller supplies the API base and a token. Quirks: errors arrive in `errors[].extensions.code`
 * whatever the HTTP status (RATELIMITED comes as HTTP 400, authentication errors as 400 or
 * 401), so classification reads the code, not the status; pages are Relay connections.
 */

/** `apiUrl`: https://api.linear.app (the GraphQL endpoint is /graphql under it). */
export type LinearRequest = ProviderRequest;

export interface LinearViewer {
  id: string;
  name: string;
  email: string | null;
  admin: boolean;
  organization: { id: string; name: string; urlKey: string };
}

export interface LinearTeam {
  id: string;
  name: string;
  key: string;
}

interface GraphQLError {
  message?: unknown;
  extensions?: { code?: unknown; type?: unknown; userPresentableMessage?: unknown };
}

export async function linearGraphQL<T>(request: LinearRequest, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  await request.pacer?.beforeCall();
  const response = await providerFetch(
    'linear',
    `${request.apiUrl}/graphql`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${request.accessToken}` },
      body: JSON.stringify({ query, variables }),
    },
    request.timeoutMs,
  );
  // RATELIMITED arrives as HTTP 400: tell the pacer it was a refusal.
  const text = await response.text();
  request.pacer?.observe(response.headers, text.includes('"RATELIMITED"') ? 429 : response.status);
  let body: { data?: T | null; errors?: GraphQLError[] } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  const firstError = body?.errors?.[0];
  if (firstError !== undefined) throw linearError(response, firstError);
  if (response.status >= 500) throw new ProviderUnavailableError('linear', `Linear answered HTTP ${response.status}.`, 'server');
  if (response.status === 401) throw new ProviderUnauthorizedError('linear', "Linear refused the hub's token (401).");
  if (!response.ok || body?.data === undefined || body.data === null) {
    throw new ProviderRequestError('linear', `Linear answered HTTP ${response.status} without data.`, response.status);
  }
  return body.data;
}

function linearError(response: Response, error: GraphQLError): Error {
  const code = typeof error.extensions?.code === 'string' ? error.extensions.code : '';
  const message = typeof error.message === 'string' ? error.message.slice(0, 300) : 'unknown error';
  switch (code) {
    case 'AUTHENTICATION_ERROR':
      return new ProviderUnauthorizedError('linear', `Linear refused the hub's token (${message}).`);
    case 'FORBIDDEN':
      return new ProviderForbiddenError('linear', `Linear does not allow this: ${message}.`);
    case 'RATELIMITED': {
      const resetAt = Number(response.headers.get('x-ratelimit-requests-reset'));
      const fromReset = Number.isFinite(resetAt) && resetAt > Date.now() ? Math.ceil((resetAt - Date.now()) / 1000) : undefined;
      return new ProviderRateLimitedError('linear', 'Linear rate limit reached.', retryAfterSeconds(response.headers) ?? fromReset);
    }
    default: {
      if (response.status >= 500) return new ProviderUnavailableError('linear', `Linear answered HTTP ${response.status}.`, 'server');
      const entity = code === 'INPUT_ERROR' ? /^Entity not found: (\w+)/.exec(message)?.[1] : undefined;
      if (entity !== undefined) return new LinearEntityNotFoundError(entity, response.status);
      return new ProviderRequestError('linear', `Linear refused the request: ${message}${code ? ` (${code})` : ''}.`, response.status);
    }
  }
}

/**
 * Linear's answer for an unknown or invisible id (`team(id:)`, `issue(id:)`, …): an
 * `INPUT_ERROR` "Entity not found: Team" with `data: null` (API-NOTES §2.5), not a null field.
 */
export class LinearEntityNotFoundError extends ProviderRequestError {
  constructor(
    /** The GraphQL type named in the message: `Team`, `Issue`. */
    readonly entity: string,
    status: number,
  ) {
    // Keeps Linear's words: webhooks-api.ts deleteWebhook reads "not found" as "already gone".
    super('linear', `Linear refused the request: Entity not found: ${entity} (unknown, or not visible to the hub).`, status);
  }
}

export async function getViewer(request: LinearRequest): Promise<LinearViewer> {
  const data = await linearGraphQL<{ viewer: LinearViewer }>(
    request,
    'query HubViewer { viewer { id name email admin organization { id name urlKey } } }',
  );
  return data.viewer;
}

/** Every team the token can see, all pages. */
export async function listTeams(request: LinearRequest): Promise<LinearTeam[]> {
  const teams: LinearTeam[] = [];
  let after: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const data: { teams: { nodes: LinearTeam[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } =
      await linearGraphQL(
        request,
        'query HubTeams($after: String) { teams(first: 50, after: $after) { nodes { id name key } pageInfo { hasNextPage endCursor } } }',
        { after },
      );
    teams.push(...data.teams.nodes.map((team) => ({ id: team.id, name: team.name, key: team.key })));
    if (!data.teams.pageInfo.hasNextPage || data.teams.pageInfo.endCursor === null) break;
    after = data.teams.pageInfo.endCursor;
  }
  return teams.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Revokes the authorization (POST /oauth/revoke with the token as Bearer; Linear-specific, not
 * RFC 7009). 200 revoked; 400 already revoked and 401 unknown token both mean "gone".
 */
export async function revokeToken(
  request: Omit<LinearRequest, 'accessToken'> & { token: string; kind: 'access' | 'refresh' },
): Promise<'revoked' | 'already_gone'> {
  // An access token goes as Bearer; a refresh token as the `refresh_token` form field.
  const init: RequestInit =
    request.kind === 'access'
      ? { method: 'POST', headers: { authorization: `Bearer ${request.token}` } }
      : {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ refresh_token: request.token }).toString(),
        };
  const response = await providerFetch('linear', `${request.apiUrl}/oauth/revoke`, init, request.timeoutMs);
  await response.arrayBuffer();
  if (response.status === 200) return 'revoked';
  if (response.status === 400 || response.status === 401) return 'already_gone';
  if (response.status >= 500) throw new ProviderUnavailableError('linear', `Linear answered HTTP ${response.status} to the revocation.`, 'server');
  throw new ProviderRequestError('linear', `Linear refused the revocation: HTTP ${response.status}.`, response.status);
}

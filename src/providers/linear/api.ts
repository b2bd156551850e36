import {
  ProviderForbiddenError,
  ProviderRateLimitedError,
  ProviderRequestError,
  ProviderUnauthorizedError,
  ProviderUnavailableError,
} from '../errors.js';
import { providerFetch, retryAfterSeconds } from '../fetch.js';
import type { RatePacer } from '../pacing.js';

/**
 * The Linear GraphQL calls the hub makes (reference/linear/API-NOTES.md §2). Stateless: the
 * caller supplies the API base and a token. Quirks: errors arrive in `errors[].extensions.code`
 * whatever the HTTP status (RATELIMITED comes as HTTP 400, authentication errors as 400 or
 * 401), so classification reads the code, not the status; pages are Relay connections.
 */

export interface LinearRequest {
  /** https://api.linear.app (the GraphQL endpoint is /graphql under it). */
  apiUrl: string;
  accessToken: string;
  timeoutMs: number;
  /** The connection's pacer (ConnectionsService supplies it); none for one-off calls. */
  pacer?: RatePacer;
}

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
  request.pacer?.observe(response.headers, /"RATELIMITED"/.test(text) ? 429 : response.status);
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
    default:
      if (response.status >= 500) return new ProviderUnavailableError('linear', `Linear answered HTTP ${response.status}.`, 'server');
      return new ProviderRequestError('linear', `Linear refused the request: ${message}${code ? ` (${code})` : ''}.`, response.status);
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

/** Deletes a webhook; true when it existed. */
export async function deleteWebhook(request: LinearRequest, id: string): Promise<boolean> {
  try {
    const data = await linearGraphQL<{ webhookDelete: { success: boolean } }>(
      request,
      'mutation HubWebhookDelete($id: String!) { webhookDelete(id: $id) { success } }',
      { id },
    );
    return data.webhookDelete.success;
  } catch (error) {
    if (error instanceof ProviderRequestError && /not found/i.test(error.message)) return false;
    throw error;
  }
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

export interface LinearWebhook {
  id: string;
  enabled: boolean;
  url: string | null;
  teamId: string | null;
}

/** Creates a team webhook for Issue and Comment events, signed with `secret`. Needs the admin scope. */
export async function createWebhook(
  request: LinearRequest,
  input: { url: string; teamId: string; secret: string; label: string },
): Promise<LinearWebhook> {
  const data = await linearGraphQL<{ webhookCreate: { success: boolean; webhook: { id: string; enabled: boolean; url: string | null; team: { id: string } | null } | null } }>(
    request,
    `mutation HubWebhookCreate($url: String!, $teamId: String!, $secret: String!, $label: String!) {
      webhookCreate(input: { url: $url, teamId: $teamId, resourceTypes: ["Issue", "Comment"], secret: $secret, label: $label }) {
        success webhook { id enabled url team { id } }
      }
    }`,
    input,
  );
  const webhook = data.webhookCreate.webhook;
  if (!data.webhookCreate.success || webhook === null) throw new ProviderRequestError('linear', 'Linear did not create the webhook.', 200);
  return { id: webhook.id, enabled: webhook.enabled, url: webhook.url, teamId: webhook.team?.id ?? null };
}

/** Every webhook of the workspace (all pages). */
export async function listWebhooks(request: LinearRequest): Promise<LinearWebhook[]> {
  const webhooks: LinearWebhook[] = [];
  let after: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const data: {
      webhooks: { nodes: Array<{ id: string; enabled: boolean; url: string | null; team: { id: string } | null }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    } = await linearGraphQL(
      request,
      'query HubWebhooks($after: String) { webhooks(first: 50, after: $after) { nodes { id enabled url team { id } } pageInfo { hasNextPage endCursor } } }',
      { after },
    );
    webhooks.push(...data.webhooks.nodes.map((node) => ({ id: node.id, enabled: node.enabled, url: node.url, teamId: node.team?.id ?? null })));
    if (!data.webhooks.pageInfo.hasNextPage || data.webhooks.pageInfo.endCursor === null) break;
    after = data.webhooks.pageInfo.endCursor;
  }
  return webhooks;
}

import type { PagerDutyState } from '../state.js';
import type { RegisteredClient } from './clients.js';
import { grantScopes } from './scopes.js';

/** The query of GET /oauth/authorize, echoed as hidden fields of the consent form (§1.3). */
export interface AuthorizeParams {
  client_id?: string;
  redirect_uri?: string;
  response_type?: string;
  scope?: string;
  state?: string;
  code_challenge?: string;
  code_challenge_method?: string;
}

export type AuthorizeCheck =
  /** Nothing can be sent back to the client: show an error page (RFC 6749 §4.1.2.1). */
  | { kind: 'page_error'; message: string }
  | { kind: 'redirect_error'; redirectUri: string; error: string; description: string; state?: string }
  | { kind: 'ok'; client: RegisteredClient; redirectUri: string; scopes: string[]; state?: string; codeChallenge: string };

/**
 * Validates an authorization request (API-NOTES §5.1): a known client, an exactly registered
 * redirect_uri, response_type=code, and PKCE S256 (required: every sandbox app is Scoped, §1.4;
 * `plain` is refused). Scopes are trimmed, never refused (§1.5).
 */
export function checkAuthorizeRequest(state: PagerDutyState, p: AuthorizeParams): AuthorizeCheck {
  const client = p.client_id ? state.clients.get(p.client_id) : undefined;
  if (!client) return { kind: 'page_error', message: `Unknown client_id "${p.client_id ?? ''}".` };
  if (!p.redirect_uri || !client.redirectUris.includes(p.redirect_uri)) {
    return { kind: 'page_error', message: `The redirect_uri "${p.redirect_uri ?? ''}" is not registered for ${client.name}.` };
  }
  const back = (error: string, description: string): AuthorizeCheck => ({
    kind: 'redirect_error',
    redirectUri: p.redirect_uri!,
    error,
    description,
    ...(p.state !== undefined ? { state: p.state } : {}),
  });
  if (p.response_type !== 'code') return back('unsupported_response_type', 'response_type must be "code".');
  if (!p.code_challenge) return back('invalid_request', 'code_challenge is required (PKCE S256).');
  if (p.code_challenge_method !== 'S256') return back('invalid_request', 'code_challenge_method must be "S256".');
  if (!/^[A-Za-z0-9_-]{43}$/.test(p.code_challenge)) return back('invalid_request', 'code_challenge must be base64url(SHA-256(code_verifier)).');
  return {
    kind: 'ok',
    client,
    redirectUri: p.redirect_uri,
    scopes: grantScopes(p.scope, client),
    codeChallenge: p.code_challenge,
    ...(p.state !== undefined ? { state: p.state } : {}),
  };
}

/** redirect_uri plus parameters (an existing query is kept). */
export function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

/** Denied consent (§1.3, DD-OAUTH): the exact description PagerDuty sends. */
export const DENIED_DESCRIPTION = 'The resource owner or authorization server denied the request.';

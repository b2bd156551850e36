import { s256Challenge } from '../../common/pkce.js';
import type { ClientRegistry, LinearClientConfig } from './clients.js';
import { parseScopes } from './scopes.js';

/** The query of GET /oauth/authorize (API-NOTES §1.2), echoed as hidden fields by the consent form. */
export const AUTHORIZE_PARAMS = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'prompt', 'actor', 'code_challenge', 'code_challenge_method'] as const;
export type AuthorizeParams = Partial<Record<(typeof AUTHORIZE_PARAMS)[number], string>>;

export type AuthorizeCheck =
  /** Unknown client or redirect URI: never redirect, show an error page (RFC 6749 §4.1.2.1). */
  | { kind: 'page_error'; message: string }
  | { kind: 'redirect_error'; redirectUri: string; error: string; description: string; state?: string }
  | {
      kind: 'ok';
      client: LinearClientConfig;
      redirectUri: string;
      scopes: string[];
      actor: 'user' | 'app';
      state?: string;
      /** Always an S256 challenge: a `plain` challenge c is stored as S256(c), which the verifier c then matches. */
      codeChallenge?: string;
    };

export function pick(source: unknown): AuthorizeParams {
  const record = (source ?? {}) as Record<string, unknown>;
  const out: AuthorizeParams = {};
  for (const name of AUTHORIZE_PARAMS) if (typeof record[name] === 'string') out[name] = record[name];
  return out;
}

/**
 * Validates an authorization request (API-NOTES §1.2, §5.1): client, exact redirect URI,
 * response_type=code, comma-separated known scopes, actor=user|app (app may not ask for
 * admin), PKCE `plain` or `S256`.
 */
export function checkAuthorizeRequest(clients: ClientRegistry, p: AuthorizeParams): AuthorizeCheck {
  const client = p.client_id ? clients.get(p.client_id) : undefined;
  if (!client) return { kind: 'page_error', message: `Unknown OAuth application "${p.client_id ?? ''}".` };
  if (!p.redirect_uri || !client.redirectUris.includes(p.redirect_uri)) {
    return { kind: 'page_error', message: `The redirect URI "${p.redirect_uri ?? ''}" is not registered for ${client.name}.` };
  }
  const fail = (error: string, description: string): AuthorizeCheck => ({
    kind: 'redirect_error',
    redirectUri: p.redirect_uri!,
    error,
    description,
    ...(p.state !== undefined ? { state: p.state } : {}),
  });
  if (p.response_type !== 'code') return fail('unsupported_response_type', 'response_type must be "code"');
  const scopes = parseScopes(p.scope);
  if (!scopes.ok) return fail('invalid_scope', `Unknown scope: ${scopes.unknown.join(', ')}`);
  const actor = p.actor ?? 'user';
  if (actor !== 'user' && actor !== 'app') return fail('invalid_request', 'actor must be "user" or "app"');
  if (actor === 'app' && scopes.scopes.includes('admin')) return fail('invalid_scope', 'The admin scope cannot be requested with actor=app');
  let codeChallenge: string | undefined;
  if (p.code_challenge !== undefined) {
    const method = p.code_challenge_method ?? 'plain';
    if (method !== 'S256' && method !== 'plain') return fail('invalid_request', 'code_challenge_method must be "S256" or "plain"');
    codeChallenge = method === 'S256' ? p.code_challenge : s256Challenge(p.code_challenge);
  } else if (p.code_challenge_method !== undefined) {
    return fail('invalid_request', 'code_challenge_method without code_challenge');
  }
  return {
    kind: 'ok',
    client,
    redirectUri: p.redirect_uri,
    scopes: scopes.scopes,
    actor,
    ...(p.state !== undefined ? { state: p.state } : {}),
    ...(codeChallenge !== undefined ? { codeChallenge } : {}),
  };
}

/** `uri` with `params` added to its query (undefined values left out). */
export function redirectWith(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

import * as oauth from 'oauth4webapi';
import type { SessionContext } from '../accounts/sessions.js';
import { ok, type Result } from '../core/result.js';
import { PROVIDER_NAMES, ProviderError, ProviderUnavailableError } from '../providers/errors.js';
import type { IdentifiedAccount, IdentifyResult } from '../providers/provider.js';
import { providers } from '../providers/registry.js';
import type { ConnectAttempt } from './attempts-repository.js';
import { connectFailed } from './connect-messages.js';
import { verifierRef } from './connect-start.js';
import type { ConnectDeps } from './deps.js';
import { classifyTokenError, type TokenSet } from './oauth-client.js';
import type { ConnectFailureCode } from './outcome-codes.js';
import { revokeQuietly } from './revoke.js';
import { storeConnection } from './store-connection.js';

/**
 * The callback's work once its state is checked (connect.ts): let oauth4webapi check the
 * reply, exchange the code at once, check the granted scopes, learn the account and user (and
 * for PagerDuty the role), and only then store the connection and its tokens. Every expected
 * failure is a value whose code and message end the attempt; nothing is stored then.
 */

/** Validates the reply, exchanges the code, then identifies and stores (giving the tokens back on failure). */
export async function exchangeAndStore(
  deps: ConnectDeps,
  attempt: ConnectAttempt,
  parameters: URLSearchParams,
  state: string,
  context: SessionContext,
): Promise<Result<IdentifiedAccount, ConnectFailureCode>> {
  const provider = attempt.provider;
  const failed = (code: ConnectFailureCode, detail?: string) => connectFailed(provider, code, detail);
  const client = deps.oauth[provider];
  let validated: URLSearchParams;
  try {
    validated = client.validateCallback(parameters, state);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) {
      if (error.error === 'access_denied') return failed('access_denied');
      return failed('authorization_error', `${PROVIDER_NAMES[provider]} said: ${error.error}${error.error_description ? ` — ${error.error_description}` : ''}.`);
    }
    return failed('code_missing');
  }
  if (!validated.get('code')) return failed('code_missing');
  const codeVerifier = await deps.vault.get(deps.database.db, verifierRef(attempt));
  if (codeVerifier === undefined) return failed('state_unknown');

  let tokens: TokenSet;
  try {
    tokens = await client.exchangeCode(validated, codeVerifier);
  } catch (error) {
    const classified = classifyTokenError(provider, error);
    if (classified.kind === 'invalid_grant') return failed('code_rejected', `${PROVIDER_NAMES[provider]} said: ${classified.description}`);
    if (classified.kind === 'unavailable') {
      return failed(classified.error.cause_ === 'timeout' ? 'token_exchange_timeout' : 'provider_unavailable', classified.error.message);
    }
    return failed('token_exchange_failed', classified.message);
  }

  // No half-made connection: give the unused authorization back where the provider allows it.
  const giveBack = () => revokeQuietly(deps.config, provider, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }, deps.logger);
  let stored: Result<IdentifiedAccount, ConnectFailureCode>;
  try {
    stored = await identifyAndStore(deps, attempt, context, tokens);
  } catch (error) {
    await giveBack();
    throw error;
  }
  if (!stored.ok) await giveBack();
  return stored;
}

/** Checks the granted scopes, asks the provider who and what the token belongs to, stores the connection. */
async function identifyAndStore(
  deps: ConnectDeps,
  attempt: ConnectAttempt,
  context: SessionContext,
  tokens: TokenSet,
): Promise<Result<IdentifiedAccount, ConnectFailureCode>> {
  const provider = attempt.provider;
  const client = deps.oauth[provider];
  const missing = client.requiredScopes.filter((scope) => !tokens.scopes.includes(scope));
  if (missing.length > 0) {
    const granted = tokens.scopes.join(' ') || '(none)';
    return connectFailed(provider, 'insufficient_scope', `Granted: ${granted}. Missing: ${missing.join(', ')}. ${client.missingScopeAdvice}`);
  }
  let identified: IdentifyResult;
  try {
    identified = await providers.get(provider).identify(deps.config, { accessToken: tokens.accessToken, scopes: tokens.scopes, hints: tokens.hints });
  } catch (error) {
    if (error instanceof ProviderUnavailableError) return connectFailed(provider, 'provider_unavailable', error.message);
    if (error instanceof ProviderError) return connectFailed(provider, 'account_lookup_failed', error.message);
    throw error;
  }
  if (!identified.ok) return connectFailed(provider, identified.code, identified.message);
  const stored = await storeConnection(deps, attempt, context, identified.value, tokens);
  return stored.ok ? ok(identified.value) : stored;
}

import * as oauth from 'oauth4webapi';
import type { SessionContext } from '../accounts/sessions.js';
import { newId } from '../core/ids.js';
import type { ProviderName } from '../db/tables.js';
import type { ConnectFailureCode } from '../http/api-types.js';
import type { Logger } from '../observability/logger.js';
import type { IdentifiedAccount } from '../providers/adapter.js';
import { PROVIDER_NAMES, ProviderError, ProviderUnavailableError } from '../providers/errors.js';
import { PROVIDER_ADAPTERS } from '../providers/index.js';
import { claimAttempt, findAttemptByStateHash, finishAttempt, insertAttempt, type AttemptRow } from './attempts-repository.js';
import { ConnectFailure, connectFailureMessage } from './connect-messages.js';
import { hashState, verifierRef } from './connect-start.js';
import type { ConnectDeps } from './deps.js';
import { classifyTokenError, type TokenSet } from './oauth-client.js';
import { revokeQuietly } from './revoke.js';
import { storeConnection, successMessage } from './store-connection.js';

/**
 * The Connect flow's second half (connect-start.ts records the attempt and builds the authorize
 * URL). `completeConnect` runs on the callback: it checks the state
 * (present, known, this provider, this session, unused, unexpired), lets oauth4webapi check the
 * reply, exchanges the code at once, checks the granted scopes, learns the account and user
 * (and for PagerDuty the role), and only then stores the connection and its tokens in one
 * transaction. Any failure leaves no connection behind and is recorded on the attempt, which
 * the Connections tab shows.
 */

/**
 * `attempt`: the outcome is recorded on an attempt of the caller's session (for a reply that
 * matched none, a failed attempt is recorded). `no_attempt`: there is no session to tell.
 */
export type CallbackResult =
  | { kind: 'attempt'; attemptId: string; outcome: 'succeeded' | 'failed' }
  | { kind: 'no_attempt'; code: ConnectFailureCode };

/** Handles GET /oauth/:provider/callback. Never throws for a bad reply: the result says what happened. */
export async function completeConnect(
  deps: ConnectDeps,
  provider: ProviderName,
  parameters: URLSearchParams,
  context: SessionContext | null,
): Promise<CallbackResult> {
  const result = await handleCallback(deps, provider, parameters, context);
  if (result.kind === 'attempt' || context === null) return result;
  // A reply that matches none of this session's attempts: record the refusal as an attempt of
  // this session, so the tab shows the hub's own message (the URL carries only an id).
  return { kind: 'attempt', attemptId: await recordRefusedReply(deps, context, provider, result.code), outcome: 'failed' };
}

async function recordRefusedReply(
  deps: ConnectDeps,
  context: SessionContext,
  provider: ProviderName,
  code: ConnectFailureCode,
): Promise<string> {
  const now = deps.clock.now();
  const id = newId('att');
  await insertAttempt(deps.database.db, {
    id,
    organisation_id: context.organisation.id,
    user_id: context.user.id,
    session_id_hash: context.session.idHash,
    provider,
    // Never matches a real state: it is the hash of a value nobody holds.
    state_hash: hashState(`refused:${id}:${oauth.generateRandomState()}`),
    status: 'failed',
    error_code: code,
    message: connectFailureMessage(provider, code),
    created_at: now,
    expires_at: now,
    finished_at: now,
  });
  deps.logger.info({ attemptId: id, provider, code }, 'callback refused');
  deps.metrics.connectAttempts.inc({ provider, outcome: code });
  return id;
}

async function handleCallback(
  deps: ConnectDeps,
  provider: ProviderName,
  parameters: URLSearchParams,
  context: SessionContext | null,
): Promise<CallbackResult> {
  const state = parameters.get('state');
  if (state === null || state === '') return { kind: 'no_attempt', code: context === null ? 'session_required' : 'state_missing' };
  const attempt = await findAttemptByStateHash(deps.database.db, hashState(state));
  const stateProblem = checkState(attempt, provider, context, deps.clock.now());
  if (attempt === undefined || (stateProblem !== undefined && attempt.status !== 'pending')) {
    return { kind: 'no_attempt', code: stateProblem ?? 'state_unknown' };
  }
  if (stateProblem === 'state_other_session' || stateProblem === 'session_required' || stateProblem === 'state_wrong_provider') {
    // Not this browser's attempt: leave it for its owner (it will expire), report here only.
    return { kind: 'no_attempt', code: stateProblem };
  }
  if (!(await claimAttempt(deps.database.db, attempt.id))) return { kind: 'no_attempt', code: 'state_reused' };
  const log = deps.logger.child({ attemptId: attempt.id, provider });
  let outcome: { status: 'succeeded' | 'failed'; code: ConnectFailureCode | null; message: string };
  try {
    if (stateProblem !== undefined) throw new ConnectFailure(stateProblem);
    const account = await exchangeAndStore(deps, attempt, parameters, state, context!);
    outcome = { status: 'succeeded', code: null, message: successMessage(provider, account) };
    log.info({ account: account.accountId }, 'connected');
  } catch (error) {
    const failure = error instanceof ConnectFailure ? error : unexpected(error, log);
    outcome = { status: 'failed', code: failure.code, message: connectFailureMessage(provider, failure.code, failure.detail) };
    log.info({ code: failure.code }, 'connect attempt failed');
  }
  await deps.database.db.transaction().execute(async (trx) => {
    await finishAttempt(trx, attempt.id, outcome, deps.clock.now());
    await deps.vault.delete(trx, verifierRef(attempt));
  });
  deps.metrics.connectAttempts.inc({ provider, outcome: outcome.code ?? 'succeeded' });
  return { kind: 'attempt', attemptId: attempt.id, outcome: outcome.status };
}

function checkState(
  attempt: AttemptRow | undefined,
  provider: ProviderName,
  context: SessionContext | null,
  now: number,
): ConnectFailureCode | undefined {
  if (attempt === undefined) return 'state_unknown';
  if (attempt.status !== 'pending') return 'state_reused';
  if (context === null) return 'session_required';
  if (attempt.organisation_id !== context.organisation.id || attempt.session_id_hash !== context.session.idHash) {
    return 'state_other_session';
  }
  if (attempt.provider !== provider) return 'state_wrong_provider';
  // Connecting is for admins; one demoted since the click may not finish it.
  if (context.user.role !== 'admin') return 'not_admin';
  if (attempt.expires_at <= now) return 'state_expired';
  return undefined;
}

async function exchangeAndStore(
  deps: ConnectDeps,
  attempt: AttemptRow,
  parameters: URLSearchParams,
  state: string,
  context: SessionContext,
): Promise<IdentifiedAccount> {
  const provider = attempt.provider;
  const client = deps.oauth[provider];
  let validated: URLSearchParams;
  try {
    validated = client.validateCallback(parameters, state);
  } catch (error) {
    if (error instanceof oauth.AuthorizationResponseError) {
      if (error.error === 'access_denied') throw new ConnectFailure('access_denied');
      throw new ConnectFailure('authorization_error', `${PROVIDER_NAMES[provider]} said: ${error.error}${error.error_description ? ` — ${error.error_description}` : ''}.`);
    }
    throw new ConnectFailure('code_missing');
  }
  if (!validated.get('code')) throw new ConnectFailure('code_missing');
  const codeVerifier = await deps.vault.get(deps.database.db, verifierRef(attempt));
  if (codeVerifier === undefined) throw new ConnectFailure('state_unknown');

  let tokens: TokenSet;
  try {
    tokens = await client.exchangeCode(validated, codeVerifier);
  } catch (error) {
    const classified = classifyTokenError(provider, error);
    if (classified.kind === 'invalid_grant') throw new ConnectFailure('code_rejected', `${PROVIDER_NAMES[provider]} said: ${classified.description}`);
    if (classified.kind === 'unavailable') {
      throw new ConnectFailure(classified.error.cause_ === 'timeout' ? 'token_exchange_timeout' : 'provider_unavailable', classified.error.message);
    }
    throw new ConnectFailure('token_exchange_failed', classified.message);
  }

  try {
    const missing = client.requiredScopes.filter((scope) => !tokens.scopes.includes(scope));
    if (missing.length > 0) {
      throw new ConnectFailure(
        'insufficient_scope',
        `Granted: ${tokens.scopes.join(' ') || '(none)'}. Missing: ${missing.join(', ')}. ${client.missingScopeAdvice}`,
      );
    }
    const identified = await PROVIDER_ADAPTERS[provider]
      .identify(deps.config, { accessToken: tokens.accessToken, scopes: tokens.scopes, hints: tokens.hints })
      .catch((error: unknown) => {
        if (error instanceof ProviderUnavailableError) throw new ConnectFailure('provider_unavailable', error.message);
        if (error instanceof ProviderError) throw new ConnectFailure('account_lookup_failed', error.message);
        throw error;
      });
    if (!identified.ok) throw new ConnectFailure(identified.code, identified.message);
    const account = identified.account;
    await storeConnection(deps, attempt, context, account, tokens);
    return account;
  } catch (error) {
    // No half-made connection: give the unused authorization back where the provider allows it.
    await revokeQuietly(deps.config, provider, { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken }, deps.logger);
    throw error;
  }
}

function unexpected(error: unknown, log: Logger): ConnectFailure {
  // Name, message and stack only: a library error's `cause` may hold a provider response body.
  const { name, message, stack } = error instanceof Error ? error : new Error(String(error));
  log.error({ error: { name, message, stack } }, 'unexpected error while connecting');
  return new ConnectFailure('token_exchange_failed', 'An unexpected error occurred in the hub; its log has the details.');
}

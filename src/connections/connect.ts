import { createHash } from 'node:crypto';
import * as oauth from 'oauth4webapi';
import type { SessionContext } from '../accounts/sessions.js';
import { newId } from '../core/ids.js';
import { isUniqueViolation } from '../db/errors.js';
import type { ProviderName } from '../db/tables.js';
import type { ConnectFailureCode } from '../http/api-types.js';
import type { Logger } from '../observability/logger.js';
import type { IdentifiedAccount } from '../providers/adapter.js';
import { PROVIDER_NAMES, ProviderError, ProviderUnavailableError } from '../providers/errors.js';
import { PROVIDER_ADAPTERS } from '../providers/index.js';
import {
  claimAttempt,
  deleteAttempt,
  findAttemptByStateHash,
  findAttemptsBefore,
  finishAttempt,
  insertAttempt,
  type AttemptRow,
} from './attempts-repository.js';
import { ConnectFailure, connectFailureMessage } from './connect-messages.js';
import { findConnection, insertConnection, updateConnectionOnConnect, type ConnectionRow } from './connections-repository.js';
import type { ConnectionsDeps, OAuthProviders } from './deps.js';
import { classifyTokenError, type TokenSet } from './oauth-client.js';
import { revokeQuietly } from './revoke.js';
import { tokenRef } from './tokens.js';

/**
 * The Connect flow. `startConnect` records an attempt — SHA-256 of a one-time `state`, the
 * session that clicked, a 10-minute lifetime, the PKCE verifier in the vault — and returns the
 * provider's authorize URL. `completeConnect` runs on the callback: it checks the state
 * (present, known, this provider, this session, unused, unexpired), lets oauth4webapi check the
 * reply, exchanges the code at once, checks the granted scopes, learns the account and user
 * (and for PagerDuty the role), and only then stores the connection and its tokens in one
 * transaction. Any failure leaves no connection behind and is recorded on the attempt, which
 * the Connections tab shows.
 */

export const ATTEMPT_LIFETIME_MS = 10 * 60_000;

export type ConnectDeps = ConnectionsDeps & { oauth: OAuthProviders };

const verifierRef = (attempt: Pick<AttemptRow, 'organisation_id' | 'id'>) => ({
  organisationId: attempt.organisation_id,
  ownerTable: 'oauth_attempts',
  ownerId: attempt.id,
  field: 'code_verifier',
});

export const hashState = (state: string) => createHash('sha256').update(state).digest('hex');

export async function startConnect(
  deps: ConnectDeps,
  context: SessionContext,
  provider: ProviderName,
): Promise<{ authorizationUrl: string; attemptId: string }> {
  const state = oauth.generateRandomState();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const codeChallenge = await oauth.calculatePKCECodeChallenge(codeVerifier);
  const now = deps.clock.now();
  const attempt: AttemptRow = {
    id: newId('att'),
    organisation_id: context.organisation.id,
    user_id: context.user.id,
    session_id_hash: context.session.idHash,
    provider,
    state_hash: hashState(state),
    status: 'pending',
    error_code: null,
    message: null,
    created_at: now,
    expires_at: now + ATTEMPT_LIFETIME_MS,
    finished_at: null,
  };
  await deps.database.db.transaction().execute(async (trx) => {
    await insertAttempt(trx, attempt);
    await deps.vault.put(trx, verifierRef(attempt), codeVerifier);
  });
  return { authorizationUrl: deps.oauth[provider].authorizationUrl(state, codeChallenge).toString(), attemptId: attempt.id };
}

/**
 * `attempt`: the outcome is recorded on an attempt of the caller's session (for a reply that
 * matched none, a failed attempt is recorded). `no_attempt`: there is no session to tell.
 */
/** How long a finished or abandoned attempt (and its outcome message) is kept. */
export const ATTEMPT_RETENTION_MS = 24 * 3600_000;

/**
 * Deletes attempts older than the retention, with any PKCE verifier an abandoned one still
 * holds in the vault. Bounded per call; the connection keeper calls it on every pass.
 */
export async function purgeOldAttempts(deps: Pick<ConnectDeps, 'database' | 'vault' | 'clock'>): Promise<number> {
  const old = await findAttemptsBefore(deps.database.db, deps.clock.now() - ATTEMPT_RETENTION_MS, 500);
  for (const attempt of old) {
    await deps.database.db.transaction().execute(async (trx) => {
      await deps.vault.deleteOwner(trx, attempt.organisation_id, 'oauth_attempts', attempt.id);
      await deleteAttempt(trx, attempt.id);
    });
  }
  return old.length;
}

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

async function storeConnection(
  deps: ConnectDeps,
  attempt: AttemptRow,
  context: SessionContext,
  account: IdentifiedAccount,
  tokens: TokenSet,
): Promise<void> {
  const now = deps.clock.now();
  const provider = attempt.provider;
  try {
    await deps.database.db.transaction().execute(async (trx) => {
      const existing = await findConnection(trx, attempt.organisation_id, provider);
      if (existing?.status === 'connected') throw new ConnectFailure('already_connected');
      if (existing?.status === 'disconnected' && existing.external_account_id !== account.accountId) {
        throw new ConnectFailure('wrong_account', wrongAccountMessage(provider, existing, account));
      }
      const row: ConnectionRow = {
        id: existing?.id ?? newId('con'),
        organisation_id: attempt.organisation_id,
        provider,
        status: 'connected',
        status_reason: null,
        status_message: null,
        status_changed_at: now,
        external_account_id: account.accountId,
        account_name: account.accountName,
        account_subdomain: account.subdomain,
        account_url: account.accountUrl,
        region: account.region,
        api_url: account.apiUrl,
        provider_user_id: account.user.id,
        provider_user_name: account.user.name,
        provider_user_email: account.user.email,
        provider_user_role: account.user.role,
        scopes: tokens.scopes.join(' '),
        connected_by_user_id: context.user.id,
        connected_by_email: context.user.email,
        connected_at: now,
        access_token_expires_at: tokens.expiresIn !== undefined && tokens.expiresIn > 0 ? now + tokens.expiresIn * 1000 : null,
        token_version: existing?.token_version ?? 0,
        refresh_lease_owner: null,
        refresh_lease_until: null,
        refresh_failures: 0,
        refresh_retry_at: null,
        last_checked_at: now,
        created_at: existing?.created_at ?? now,
        updated_at: now,
      };
      if (existing === undefined) await insertConnection(trx, row);
      else await updateConnectionOnConnect(trx, row);
      await deps.vault.put(trx, tokenRef(row, 'access_token'), tokens.accessToken);
      if (tokens.refreshToken !== undefined) await deps.vault.put(trx, tokenRef(row, 'refresh_token'), tokens.refreshToken);
      else await deps.vault.delete(trx, tokenRef(row, 'refresh_token'));
    });
  } catch (error) {
    // Two callbacks racing to create the first connection: the second loses here.
    if (isUniqueViolation(error)) throw new ConnectFailure('already_connected');
    throw error;
  }
}

function wrongAccountMessage(provider: ProviderName, existing: ConnectionRow, account: IdentifiedAccount): string {
  const name = PROVIDER_NAMES[provider];
  const what = provider === 'pagerduty' ? 'account' : 'workspace';
  return `You authorized the ${name} ${what} ${account.accountName}, but this organisation's ${name} connection belongs to ${existing.account_name}. Log in to ${existing.account_name} in ${name} and reconnect to resume it, or click Disconnect first to switch ${what}s.`;
}

function successMessage(provider: ProviderName, account: IdentifiedAccount): string {
  return provider === 'pagerduty'
    ? `Connected to the PagerDuty account ${account.accountName}${account.region ? ` (${account.region.toUpperCase()})` : ''} as ${account.user.name}.`
    : `Connected to the Linear workspace ${account.accountName} as ${account.user.name}.`;
}

function unexpected(error: unknown, log: Logger): ConnectFailure {
  // Name, message and stack only: a library error's `cause` may hold a provider response body.
  const { name, message, stack } = error instanceof Error ? error : new Error(String(error));
  log.error({ error: { name, message, stack } }, 'unexpected error while connecting');
  return new ConnectFailure('token_exchange_failed', 'An unexpected error occurred in the hub; its log has the details.');
}

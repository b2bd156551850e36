import * as oauth from 'oauth4webapi';
import type { SessionContext } from '../accounts/sessions.js';
import { newId } from '../core/ids.js';
import type { ProviderName } from '../providers/names.js';
import type { ConnectFailureCode } from './outcome-codes.js';
import type { Logger } from '../observability/logger.js';
import { providers } from '../providers/registry.js';
import { claimAttempt, findAttemptByStateHash, finishAttempt, insertAttempt, type ConnectAttempt } from './attempts-repository.js';
import { exchangeAndStore } from './connect-exchange.js';
import { connectFailed, connectFailureMessage, type ConnectFailed } from './connect-messages.js';
import { hashState, verifierRef } from './connect-start.js';
import type { ConnectDeps } from './deps.js';

/**
 * The Connect flow's second half (connect-start.ts records the attempt and builds the authorize
 * URL). `completeConnect` runs on the callback: it checks the state (present, known, this
 * provider, this session, unused, unexpired), then connect-exchange.ts exchanges the code,
 * checks scopes and identity and stores the connection and its tokens in one transaction.
 * Any failure leaves no connection behind and is recorded on the attempt, which the
 * Connections tab shows.
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
    organisationId: context.organisation.id,
    userId: context.user.id,
    sessionIdHash: context.session.idHash,
    provider,
    // Never matches a real state: it is the hash of a value nobody holds.
    stateHash: hashState(`refused:${id}:${oauth.generateRandomState()}`),
    status: 'failed',
    errorCode: code,
    message: connectFailureMessage(provider, code),
    createdAt: now,
    expiresAt: now,
    finishedAt: now,
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
  const notThisBrowsers =
    stateProblem === 'state_other_session' || stateProblem === 'session_required' || stateProblem === 'state_wrong_provider';
  if (notThisBrowsers || context === null) {
    // Not this browser's attempt: leave it for its owner (it will expire), report here only.
    return { kind: 'no_attempt', code: stateProblem ?? 'session_required' };
  }
  if (!(await claimAttempt(deps.database.db, attempt.id))) return { kind: 'no_attempt', code: 'state_reused' };
  const log = deps.logger.child({ attemptId: attempt.id, provider });
  let outcome: { status: 'succeeded' | 'failed'; code: ConnectFailureCode | null; message: string };
  try {
    const result =
      stateProblem !== undefined ? connectFailed(provider, stateProblem) : await exchangeAndStore(deps, attempt, parameters, state, context);
    outcome = result.ok
      ? { status: 'succeeded', code: null, message: providers.get(provider).connectedMessage(result.value) }
      : { status: 'failed', code: result.code, message: result.message };
    if (result.ok) log.info({ account: result.value.accountId }, 'connected');
  } catch (error) {
    const failure = unexpected(provider, error, log);
    outcome = { status: 'failed', code: failure.code, message: failure.message };
  }
  if (outcome.code !== null) log.info({ code: outcome.code }, 'connect attempt failed');
  await deps.database.db.transaction().execute(async (trx) => {
    await finishAttempt(trx, attempt.id, outcome, deps.clock.now());
    await deps.vault.delete(trx, verifierRef(attempt));
  });
  deps.metrics.connectAttempts.inc({ provider, outcome: outcome.code ?? 'succeeded' });
  return { kind: 'attempt', attemptId: attempt.id, outcome: outcome.status };
}

function checkState(
  attempt: ConnectAttempt | undefined,
  provider: ProviderName,
  context: SessionContext | null,
  now: number,
): ConnectFailureCode | undefined {
  if (attempt === undefined) return 'state_unknown';
  if (attempt.status !== 'pending') return 'state_reused';
  if (context === null) return 'session_required';
  if (attempt.organisationId !== context.organisation.id || attempt.sessionIdHash !== context.session.idHash) {
    return 'state_other_session';
  }
  if (attempt.provider !== provider) return 'state_wrong_provider';
  // Connecting is for admins; one demoted since the click may not finish it.
  if (context.user.role !== 'admin') return 'not_admin';
  if (attempt.expiresAt <= now) return 'state_expired';
  return undefined;
}

function unexpected(provider: ProviderName, error: unknown, log: Logger): ConnectFailed {
  // Name, message and stack only: a library error's `cause` may hold a provider response body.
  const { name, message, stack } = error instanceof Error ? error : new Error(String(error));
  log.error({ error: { name, message, stack } }, 'unexpected error while connecting');
  return connectFailed(provider, 'token_exchange_failed', 'An unexpected error occurred in the hub; its log has the details.');
}

import { ProviderUnavailableError } from '../providers/errors.js';
import { tokenRef, type Connection } from './connection.js';
import type { ConnectionTokensDeps } from './deps.js';
import { classifyTokenError } from './oauth-client.js';
import { MIN_USABLE_LIFETIME_MS, statedLifetimeMs, UNUSABLE_TOKEN_LIMIT, unusableTokensInARow } from './refresh-policy.js';
import { disconnectMessage } from './status-messages.js';
import { commitRefreshedTokens, markDisconnected, releaseRefreshLease } from './token-state-repository.js';

/**
 * One refresh of a connection's tokens, by the holder of its refresh lease (tokens.ts decides
 * when and takes the lease). Contract:
 * - The rotated refresh token and the new access token are stored in one transaction, only if
 *   the token version is still the one refreshed from; that also releases the lease.
 * - `invalid_grant`, no stored refresh token, or refreshes that keep returning tokens too
 *   short-lived to use mark the connection Disconnected with the reason.
 * - Transient failures (timeouts, 5xx) release the lease with a jittered, growing back-off and
 *   throw ProviderUnavailableError; they never disconnect.
 */

const MAX_BACKOFF_MS = 5 * 60_000;

type DeadTokensReason = 'access_revoked' | 'refresh_failed' | 'token_lifetime_too_short';

/** `refused`: the provider just refused the access token (401), rather than it expiring soon. */
export async function refreshConnectionTokens(deps: ConnectionTokensDeps, connection: Connection, leaseOwner: string, refused: boolean): Promise<void> {
  const { database, vault, clock, logger, oauth, metrics } = deps;
  const { id, provider, tokenVersion } = connection;
  const log = logger.child({ connectionId: id, provider });
  const refreshToken = await vault.get(database.db, tokenRef(connection, 'refresh_token'));
  if (refreshToken === undefined) {
    await disconnectDeadTokens(deps, connection, 'refresh_failed', 'no refresh token is stored');
    return;
  }
  const startedAt = clock.now();
  // The provider keeps issuing tokens too short-lived to use: stop asking it for more.
  const shortLivedTokens = unusableTokensInARow(connection, startedAt, refused);
  if (shortLivedTokens >= UNUSABLE_TOKEN_LIMIT) {
    const said = `${shortLivedTokens} access tokens in a row lived less than ${MIN_USABLE_LIFETIME_MS / 1000} s`;
    await disconnectDeadTokens(deps, connection, 'token_lifetime_too_short', said);
    return;
  }
  let tokens;
  try {
    tokens = await oauth[provider].refresh(refreshToken);
  } catch (error) {
    const outcome = classifyTokenError(provider, error);
    metrics.tokenRefreshes.inc({ provider, outcome: outcome.kind === 'invalid_grant' ? 'rejected' : 'failed' });
    if (outcome.kind === 'invalid_grant') {
      // The access token was refused before it expired, and now the refresh token too: the
      // authorization was revoked. A refresh ahead of expiry that fails means the refresh
      // token itself expired (or, within those last minutes, a revocation: indistinguishable).
      const revoked = refused && (connection.accessTokenExpiresAt === null || connection.accessTokenExpiresAt > startedAt);
      await disconnectDeadTokens(deps, connection, revoked ? 'access_revoked' : 'refresh_failed', outcome.description);
      return;
    }
    const failures = connection.refreshFailures + 1;
    const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** failures);
    const retryAt = clock.now() + Math.round(backoff / 2 + Math.random() * (backoff / 2));
    await releaseRefreshLease(database.db, id, leaseOwner, { refreshFailures: failures, refreshRetryAt: retryAt });
    log.warn({ failures, retryAt, reason: outcome.kind === 'unavailable' ? outcome.error.message : outcome.message }, 'token refresh failed; backing off');
    throw outcome.kind === 'unavailable' ? outcome.error : new ProviderUnavailableError(provider, outcome.message, 'server', Math.ceil(backoff / 1000));
  }
  const now = clock.now();
  const lifetimeMs = statedLifetimeMs(tokens.expiresIn);
  const expiresAt = lifetimeMs === null ? null : now + lifetimeMs;
  const stored = await database.db.transaction().execute(async (trx) => {
    if (!(await commitRefreshedTokens(trx, id, tokenVersion, { expiresAt, lifetimeMs, shortLivedTokens }, now))) return false;
    await vault.put(trx, tokenRef(connection, 'access_token'), tokens.accessToken);
    // Some providers keep the refresh token; PagerDuty and Linear rotate it.
    if (tokens.refreshToken !== undefined) await vault.put(trx, tokenRef(connection, 'refresh_token'), tokens.refreshToken);
    return true;
  });
  metrics.tokenRefreshes.inc({ provider, outcome: stored ? 'refreshed' : 'discarded' });
  if (stored) log.info({ tokenVersion: tokenVersion + 1, expiresAt, shortLivedTokens }, 'token refreshed');
  else log.warn('refreshed tokens discarded: the connection changed meanwhile (lease outlived?)');
}

async function disconnectDeadTokens(deps: ConnectionTokensDeps, connection: Connection, reason: DeadTokensReason, providerSaid: string): Promise<void> {
  const { id, provider } = connection;
  const message = disconnectMessage(provider, reason);
  const changed = await markDisconnected(deps.database.db, id, connection.tokenVersion, reason, message, deps.clock.now());
  if (!changed) return;
  deps.metrics.connectionsLost.inc({ provider, reason });
  deps.logger.warn({ connectionId: id, provider, reason, providerSaid }, 'connection disconnected');
}

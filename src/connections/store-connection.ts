import type { SessionContext } from '../accounts/sessions.js';
import { newId } from '../core/ids.js';
import { ok, type Result } from '../core/result.js';
import { isUniqueViolation } from '../db/errors.js';
import type { ProviderName } from '../providers/names.js';
import type { IdentifiedAccount } from '../providers/provider.js';
import { providers } from '../providers/registry.js';
import type { ConnectAttempt } from './attempts-repository.js';
import { connectFailed, type ConnectFailed } from './connect-messages.js';
import { tokenRef, type Connection } from './connection.js';
import { findConnection, insertConnection, updateConnectionOnConnect } from './connections-repository.js';
import type { ConnectDeps } from './deps.js';
import type { TokenSet } from './oauth-client.js';
import type { ConnectFailureCode } from './outcome-codes.js';
import { statedLifetimeMs } from './refresh-policy.js';

/**
 * The last step of Connect: the connection and its tokens, in one transaction, only after
 * every check passed. One connection per provider per organisation: an existing connected one
 * wins (already_connected); a Disconnected one is resumed only with the same account.
 */

/** Thrown inside the transaction to roll it back; answered as a value below. */
class Refused extends Error {
  constructor(readonly failure: ConnectFailed) {
    super(failure.code);
  }
}

export async function storeConnection(
  deps: ConnectDeps,
  attempt: ConnectAttempt,
  context: SessionContext,
  account: IdentifiedAccount,
  tokens: TokenSet,
): Promise<Result<undefined, ConnectFailureCode>> {
  const now = deps.clock.now();
  const provider = attempt.provider;
  const lifetimeMs = statedLifetimeMs(tokens.expiresIn);
  try {
    await deps.database.db.transaction().execute(async (trx) => {
      const existing = await findConnection(trx, attempt.organisationId, provider);
      if (existing?.status === 'connected') throw new Refused(connectFailed(provider, 'already_connected'));
      if (existing?.status === 'disconnected' && existing.externalAccountId !== account.accountId) {
        throw new Refused(connectFailed(provider, 'wrong_account', wrongAccountMessage(provider, existing, account)));
      }
      const connection: Connection = {
        id: existing?.id ?? newId('con'),
        organisationId: attempt.organisationId,
        provider,
        status: 'connected',
        statusReason: null,
        statusMessage: null,
        statusChangedAt: now,
        externalAccountId: account.accountId,
        accountName: account.accountName,
        accountSubdomain: account.subdomain,
        accountUrl: account.accountUrl,
        region: account.region,
        apiUrl: account.apiUrl,
        providerUserId: account.user.id,
        providerUserName: account.user.name,
        providerUserEmail: account.user.email,
        providerUserRole: account.user.role,
        scopes: tokens.scopes,
        connectedByUserId: context.user.id,
        connectedByEmail: context.user.email,
        connectedAt: now,
        accessTokenExpiresAt: lifetimeMs === null ? null : now + lifetimeMs,
        accessTokenLifetimeMs: lifetimeMs,
        tokenVersion: existing?.tokenVersion ?? 0,
        refreshFailures: 0,
        refreshRetryAt: null,
        lastRefreshedAt: null,
        shortLivedTokens: 0,
        lastCheckedAt: now,
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
      };
      if (existing === undefined) await insertConnection(trx, connection);
      else await updateConnectionOnConnect(trx, connection);
      await deps.vault.put(trx, tokenRef(connection, 'access_token'), tokens.accessToken);
      if (tokens.refreshToken !== undefined) await deps.vault.put(trx, tokenRef(connection, 'refresh_token'), tokens.refreshToken);
      else await deps.vault.delete(trx, tokenRef(connection, 'refresh_token'));
    });
  } catch (error) {
    if (error instanceof Refused) return error.failure;
    // Two callbacks racing to create the first connection: the second loses here.
    if (isUniqueViolation(error)) return connectFailed(provider, 'already_connected');
    throw error;
  }
  return ok(undefined);
}

function wrongAccountMessage(provider: ProviderName, existing: Connection, account: IdentifiedAccount): string {
  const { displayName: name, accountNoun: what } = providers.get(provider);
  return `You authorized the ${name} ${what} ${account.accountName}, but this organisation's ${name} connection belongs to ${existing.accountName}. Log in to ${existing.accountName} in ${name} and reconnect to resume it, or click Disconnect first to switch ${what}s.`;
}

import type { SessionContext } from '../accounts/sessions.js';
import { newId } from '../core/ids.js';
import { ok, type Result } from '../core/result.js';
import { isUniqueViolation } from '../db/errors.js';
import type { ProviderName } from '../db/tables.js';
import type { IdentifiedAccount } from '../providers/provider.js';
import { providers } from '../providers/registry.js';
import type { AttemptRow } from './attempts-repository.js';
import { connectFailed, type ConnectFailed } from './connect-messages.js';
import { findConnection, insertConnection, updateConnectionOnConnect, type ConnectionRow } from './connections-repository.js';
import type { ConnectDeps } from './deps.js';
import type { TokenSet } from './oauth-client.js';
import type { ConnectFailureCode } from './outcome-codes.js';
import { statedLifetimeMs } from './refresh-policy.js';
import { tokenRef } from './tokens.js';

/**
 * The last step of Connect: the connection row and its tokens, in one transaction, only after
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
  attempt: AttemptRow,
  context: SessionContext,
  account: IdentifiedAccount,
  tokens: TokenSet,
): Promise<Result<undefined, ConnectFailureCode>> {
  const now = deps.clock.now();
  const provider = attempt.provider;
  const lifetimeMs = statedLifetimeMs(tokens.expiresIn);
  try {
    await deps.database.db.transaction().execute(async (trx) => {
      const existing = await findConnection(trx, attempt.organisation_id, provider);
      if (existing?.status === 'connected') throw new Refused(connectFailed(provider, 'already_connected'));
      if (existing?.status === 'disconnected' && existing.external_account_id !== account.accountId) {
        throw new Refused(connectFailed(provider, 'wrong_account', wrongAccountMessage(provider, existing, account)));
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
        access_token_expires_at: lifetimeMs === null ? null : now + lifetimeMs,
        access_token_lifetime_ms: lifetimeMs,
        token_version: existing?.token_version ?? 0,
        refresh_lease_owner: null,
        refresh_lease_until: null,
        refresh_failures: 0,
        refresh_retry_at: null,
        last_refreshed_at: null,
        short_lived_tokens: 0,
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
    if (error instanceof Refused) return error.failure;
    // Two callbacks racing to create the first connection: the second loses here.
    if (isUniqueViolation(error)) return connectFailed(provider, 'already_connected');
    throw error;
  }
  return ok(undefined);
}

function wrongAccountMessage(provider: ProviderName, existing: ConnectionRow, account: IdentifiedAccount): string {
  const { displayName: name, accountNoun: what } = providers.get(provider);
  return `You authorized the ${name} ${what} ${account.accountName}, but this organisation's ${name} connection belongs to ${existing.account_name}. Log in to ${existing.account_name} in ${name} and reconnect to resume it, or click Disconnect first to switch ${what}s.`;
}

import type { SessionContext } from '../accounts/sessions.js';
import { fail, ok, type Result } from '../core/result.js';
import type { ProviderName } from '../providers/names.js';
import { PROVIDER_NAMES } from '../providers/errors.js';
import { tokenRef, type Connection } from './connection.js';
import { findConnection, markNotConnected } from './connections-repository.js';
import type { ConnectDeps } from './deps.js';
import { revokeAuthorization } from './revoke.js';
import type { ConnectionTokens } from './tokens.js';

/**
 * Something that owns provider-side objects of a connection (webhooks, subscriptions) and
 * removes them when the connection is disconnected. Called while the tokens still work;
 * best effort: it reports what it could not delete instead of failing the disconnect.
 */
export type DisconnectCleanup = (connection: Connection) => Promise<{ deleted: number; problems: string[] }>;

/** What a disconnect did besides erasing the tokens. Best effort, reported to the person. */
export interface DisconnectReport {
  /** `revoked` at the provider, `not_supported` (no revocation endpoint), `failed`, or `skipped` (nothing left to revoke). */
  revocation: 'revoked' | 'not_supported' | 'failed' | 'skipped';
  /** Webhooks / subscriptions the hub had created for this connection and deleted. */
  webhooksDeleted: number;
  /** Anything that could not be cleaned up, in words. */
  problems: string[];
}

export interface DisconnectOutcome {
  connection: Connection;
  report: DisconnectReport;
}

/**
 * Disconnect: delete what the hub created at the provider (cleanups), revoke the authorization
 * where the provider allows it, then erase the tokens and mark the connection not connected
 * (by whom) — one transaction. Rules and history stay; they refer to the connection, which
 * is kept. `not_connected` when there is nothing to disconnect.
 */
export async function disconnectConnection(
  deps: ConnectDeps & { tokens: ConnectionTokens; cleanups?: readonly DisconnectCleanup[] },
  context: SessionContext,
  provider: ProviderName,
): Promise<Result<DisconnectOutcome, 'not_connected'>> {
  const { database, vault, clock, logger, config } = deps;
  const connection = await findConnection(database.db, context.organisation.id, provider);
  if (connection === undefined || connection.status === 'not_connected') return fail('not_connected', 'There is no connection to disconnect.');
  const log = logger.child({ connectionId: connection.id, provider });
  const report: DisconnectReport = { revocation: 'skipped', webhooksDeleted: 0, problems: [] };

  for (const cleanup of deps.cleanups ?? []) {
    try {
      const result = await cleanup(connection);
      report.webhooksDeleted += result.deleted;
      report.problems.push(...result.problems);
    } catch (error) {
      report.problems.push(error instanceof Error ? error.message : 'A cleanup step failed.');
    }
  }

  const accessToken = await vault.get(database.db, tokenRef(connection, 'access_token'));
  const refreshToken = await vault.get(database.db, tokenRef(connection, 'refresh_token'));
  try {
    // 'skipped': no working authorization was left at the provider (already revoked, or no tokens).
    const result = accessToken === undefined && refreshToken === undefined ? 'already_gone' : await revokeAuthorization(config, provider, { accessToken, refreshToken });
    report.revocation = result === 'already_gone' ? 'skipped' : result;
  } catch (error) {
    report.revocation = 'failed';
    report.problems.push(
      `${PROVIDER_NAMES[provider]} could not revoke the hub's authorization (${error instanceof Error ? error.message.replace(/\.$/, '') : 'unknown error'}). The hub has forgotten its tokens; remove the app in ${PROVIDER_NAMES[provider]}'s settings to be sure.`,
    );
  }

  const now = clock.now();
  const message = `Disconnected by ${context.user.email}.`;
  await database.db.transaction().execute(async (trx) => {
    await vault.deleteOwner(trx, connection.organisationId, 'connections', connection.id);
    await markNotConnected(trx, connection, message, now);
  });
  log.info({ by: context.user.id, revocation: report.revocation, webhooksDeleted: report.webhooksDeleted }, 'connection disconnected by a person');
  const updated = await findConnection(database.db, context.organisation.id, provider);
  return ok({ connection: updated ?? connection, report });
}

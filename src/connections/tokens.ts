import { setTimeout as sleep } from 'node:timers/promises';
import { newId } from '../core/ids.js';
import type { ProviderName } from '../db/tables.js';
import { PROVIDER_NAMES, ProviderUnavailableError } from '../providers/errors.js';
import {
  commitRefreshedTokens,
  findConnectionById,
  markDisconnected,
  releaseRefreshLease,
  tryTakeRefreshLease,
  type ConnectionRow,
} from './connections-repository.js';
import type { ConnectionsDeps, OAuthProviders } from './deps.js';
import { ConnectionUnavailableError } from './errors.js';
import { classifyTokenError } from './oauth-client.js';
import {
  MIN_REFRESH_INTERVAL_MS,
  MIN_USABLE_LIFETIME_MS,
  refreshAllowedAt,
  refreshDue,
  statedLifetimeMs,
  UNUSABLE_TOKEN_LIMIT,
  unusableTokensInARow,
} from './refresh-policy.js';
import { disconnectMessage } from './status-messages.js';

/**
 * Token lifecycle of connections. Contract:
 * - Tokens live only in the vault (owner `connections`/<id>, fields `access_token`,
 *   `refresh_token`); the row holds the expiry and a `token_version`.
 * - A token is refreshed when it is due by the margin (which scales with its lifetime, see
 *   refresh-policy.ts), and when the provider refused it (401) — at most one refresh per
 *   connection at a time, across processes: a lease column taken by one conditional UPDATE
 *   (see tryTakeRefreshLease); everyone else waits for `token_version` to move. In one
 *   process, waiters share a promise.
 * - The rotated refresh token and the new access token are stored in one transaction, and
 *   only then is the new access token used — by every call that waited for it, even when the
 *   margin already calls it due (a token living less than the margin must not be refreshed
 *   again at once: that was an endless loop).
 * - At most one refresh per connection per MIN_REFRESH_INTERVAL_MS: a due token is used while
 *   it lasts; an expired or refused one answers ProviderUnavailableError with a Retry-After.
 * - `invalid_grant` (or a token the provider refuses right after a refresh, or refreshes that
 *   keep returning tokens too short-lived to use) marks the connection Disconnected with the
 *   reason; transient failures (timeouts, 5xx) back off and never disconnect.
 */

const WAIT_POLL_MS = 40;
const MAX_BACKOFF_MS = 5 * 60_000;

export const tokenRef = (row: Pick<ConnectionRow, 'organisation_id' | 'id'>, field: 'access_token' | 'refresh_token') => ({
  organisationId: row.organisation_id,
  ownerTable: 'connections',
  ownerId: row.id,
  field,
});

export type ConnectionTokensDeps = Omit<ConnectionsDeps, 'config'> & {
  oauth: OAuthProviders;
  /** Provider call timeout; the lease outlives one token request comfortably. */
  timeoutMs: number;
};

export class ConnectionTokens {
  readonly #deps: ConnectionTokensDeps;
  /** Identifies this process as a lease holder. */
  readonly #owner = newId('proc');
  readonly #leaseMs: number;
  /** Refreshes running in this process, by connection id. */
  readonly #inFlight = new Map<string, Promise<void>>();

  constructor(deps: ConnectionTokensDeps) {
    this.#deps = deps;
    this.#leaseMs = deps.timeoutMs * 2 + 5_000;
  }

  /**
   * The connection row with a usable access token: refreshed first when it is due, or — with
   * `refusedVersion` — when the provider refused the token of that version. A token a refresh
   * produced while this call waited is returned as it is.
   * Throws ConnectionUnavailableError when the connection is not (or no longer) connected, and
   * ProviderUnavailableError when a needed refresh failed, is backing off or is rate-limited.
   */
  async fresh(provider: ProviderName, organisationId: string, connectionId: string, refusedVersion?: number): Promise<ConnectionRow> {
    const { database, clock } = this.#deps;
    const deadline = clock.now() + this.#leaseMs * 3;
    /** The token version this call saw before it waited for a refresh (its own or another's). */
    let waitedFrom: number | undefined;
    for (;;) {
      const row = await findConnectionById(database.db, organisationId, connectionId);
      if (row === undefined) throw new ConnectionUnavailableError(provider, 'not_connected', 'The connection no longer exists.');
      assertUsable(row);
      // The token that replaced the one this call saw is the answer, never judged "due" again:
      // with a lifetime under the margin, re-judging it refreshed without end.
      if (waitedFrom !== undefined && row.token_version !== waitedFrom) return row;
      const now = clock.now();
      const mustRefresh = refusedVersion !== undefined ? row.token_version === refusedVersion : refreshDue(row, now);
      if (!mustRefresh) return row;
      if (row.refresh_retry_at !== null && row.refresh_retry_at > now) {
        // Backing off after transient failures: use the old token while it lasts.
        if (refusedVersion === undefined && !expired(row, now)) return row;
        throw new ProviderUnavailableError(
          row.provider,
          `Refreshing the ${PROVIDER_NAMES[row.provider]} token keeps failing; the hub tries again at ${new Date(row.refresh_retry_at).toISOString()}.`,
          'server',
          Math.ceil((row.refresh_retry_at - now) / 1000),
        );
      }
      const allowedAt = refreshAllowedAt(row);
      if (allowedAt > now) {
        // Rate-limited: refreshed moments ago. Use the current token while it lasts.
        this.#deps.metrics.tokenRefreshes.inc({ provider: row.provider, outcome: 'throttled' });
        if (refusedVersion === undefined && !expired(row, now)) return row;
        throw new ProviderUnavailableError(
          row.provider,
          `The ${PROVIDER_NAMES[row.provider]} token was refreshed ${Math.round((now - (row.last_refreshed_at ?? now)) / 1000)} s ago and is already unusable; the hub refreshes a connection at most once every ${MIN_REFRESH_INTERVAL_MS / 1000} s.`,
          'server',
          Math.ceil((allowedAt - now) / 1000),
        );
      }
      waitedFrom = row.token_version;
      const running = this.#inFlight.get(row.id);
      if (running !== undefined) {
        await running.catch(() => undefined);
        continue;
      }
      if (await tryTakeRefreshLease(database.db, row.id, row.token_version, this.#owner, now, this.#leaseMs)) {
        const refresh = this.#refresh(row, refusedVersion !== undefined).finally(() => this.#inFlight.delete(row.id));
        this.#inFlight.set(row.id, refresh);
        try {
          await refresh;
        } catch (error) {
          // A refresh ahead of expiry that failed for a transient reason: the current token
          // still works, and the back-off branch above returns it on the next pass.
          const stillUsable = refusedVersion === undefined && !expired(row, clock.now());
          if (!stillUsable || !(error instanceof ProviderUnavailableError)) throw error;
        }
        continue;
      }
      // Another process holds the lease (or the version just moved): wait for it.
      if (clock.now() > deadline) {
        throw new ProviderUnavailableError(row.provider, `Timed out waiting for another hub process to refresh the ${PROVIDER_NAMES[row.provider]} token.`, 'timeout');
      }
      await sleep(WAIT_POLL_MS);
    }
  }

  /** The stored access token of a row returned by {@link fresh}. */
  async accessToken(row: ConnectionRow): Promise<string> {
    const token = await this.#deps.vault.get(this.#deps.database.db, tokenRef(row, 'access_token'));
    if (token === undefined) throw new ConnectionUnavailableError(row.provider, 'not_connected', 'The connection has no stored token.');
    return token;
  }

  /** Marks a connection whose fresh token was refused again: it needs a person to reconnect. */
  async refusedAfterRefresh(row: ConnectionRow): Promise<never> {
    const now = this.#deps.clock.now();
    const message = disconnectMessage(row.provider, 'unauthorized_after_refresh');
    if (await markDisconnected(this.#deps.database.db, row.id, row.token_version, 'unauthorized_after_refresh', message, now)) {
      this.#deps.metrics.connectionsLost.inc({ provider: row.provider, reason: 'unauthorized_after_refresh' });
    }
    this.#deps.logger.warn({ connectionId: row.id, provider: row.provider }, 'connection disconnected: token refused after refresh');
    throw new ConnectionUnavailableError(row.provider, 'disconnected', message);
  }

  /** `refused`: the provider just refused the access token (401), rather than it expiring soon. */
  async #refresh(row: ConnectionRow, refused: boolean): Promise<void> {
    const { database, vault, clock, logger, oauth, metrics } = this.#deps;
    const log = logger.child({ connectionId: row.id, provider: row.provider });
    const refreshToken = await vault.get(database.db, tokenRef(row, 'refresh_token'));
    if (refreshToken === undefined) {
      await this.#disconnect(row, 'refresh_failed', 'no refresh token is stored');
      return;
    }
    const startedAt = clock.now();
    // The provider keeps issuing tokens too short-lived to use: stop asking it for more.
    const shortLivedTokens = unusableTokensInARow(row, startedAt, refused);
    if (shortLivedTokens >= UNUSABLE_TOKEN_LIMIT) {
      await this.#disconnect(row, 'token_lifetime_too_short', `${shortLivedTokens} access tokens in a row lived less than ${MIN_USABLE_LIFETIME_MS / 1000} s`);
      return;
    }
    let tokens;
    try {
      tokens = await oauth[row.provider].refresh(refreshToken);
    } catch (error) {
      const outcome = classifyTokenError(row.provider, error);
      metrics.tokenRefreshes.inc({ provider: row.provider, outcome: outcome.kind === 'invalid_grant' ? 'rejected' : 'failed' });
      if (outcome.kind === 'invalid_grant') {
        // The access token was refused before it expired, and now the refresh token too: the
        // authorization was revoked. A refresh ahead of expiry that fails means the refresh
        // token itself expired (or, within those last minutes, a revocation: indistinguishable).
        const revoked = refused && (row.access_token_expires_at === null || row.access_token_expires_at > startedAt);
        await this.#disconnect(row, revoked ? 'access_revoked' : 'refresh_failed', outcome.description);
        return;
      }
      const failures = row.refresh_failures + 1;
      const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** failures);
      const retryAt = clock.now() + Math.round(backoff / 2 + Math.random() * (backoff / 2));
      await releaseRefreshLease(database.db, row.id, this.#owner, { refresh_failures: failures, refresh_retry_at: retryAt });
      log.warn({ failures, retryAt, reason: outcome.kind === 'unavailable' ? outcome.error.message : outcome.message }, 'token refresh failed; backing off');
      throw outcome.kind === 'unavailable'
        ? outcome.error
        : new ProviderUnavailableError(row.provider, outcome.message, 'server', Math.ceil(backoff / 1000));
    }
    const now = clock.now();
    const lifetimeMs = statedLifetimeMs(tokens.expiresIn);
    const expiresAt = lifetimeMs === null ? null : now + lifetimeMs;
    const stored = await database.db.transaction().execute(async (trx) => {
      if (!(await commitRefreshedTokens(trx, row.id, row.token_version, { expiresAt, lifetimeMs, shortLivedTokens }, now))) return false;
      await vault.put(trx, tokenRef(row, 'access_token'), tokens.accessToken);
      // Some providers keep the refresh token; PagerDuty and Linear rotate it.
      if (tokens.refreshToken !== undefined) await vault.put(trx, tokenRef(row, 'refresh_token'), tokens.refreshToken);
      return true;
    });
    metrics.tokenRefreshes.inc({ provider: row.provider, outcome: stored ? 'refreshed' : 'discarded' });
    if (stored) log.info({ tokenVersion: row.token_version + 1, expiresAt, shortLivedTokens }, 'token refreshed');
    else log.warn('refreshed tokens discarded: the connection changed meanwhile (lease outlived?)');
  }

  async #disconnect(row: ConnectionRow, reason: 'access_revoked' | 'refresh_failed' | 'token_lifetime_too_short', providerSaid: string): Promise<void> {
    const message = disconnectMessage(row.provider, reason);
    const changed = await markDisconnected(this.#deps.database.db, row.id, row.token_version, reason, message, this.#deps.clock.now());
    if (!changed) return;
    this.#deps.metrics.connectionsLost.inc({ provider: row.provider, reason });
    this.#deps.logger.warn({ connectionId: row.id, provider: row.provider, reason, providerSaid }, 'connection disconnected');
  }
}

function assertUsable(row: ConnectionRow): void {
  if (row.status === 'connected') return;
  const name = PROVIDER_NAMES[row.provider];
  throw new ConnectionUnavailableError(
    row.provider,
    row.status,
    row.status === 'disconnected' ? (row.status_message ?? `${name} is disconnected.`) : `${name} is not connected.`,
  );
}

function expired(row: ConnectionRow, now: number): boolean {
  return row.access_token_expires_at !== null && row.access_token_expires_at <= now;
}

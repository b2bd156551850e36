import { setTimeout as sleep } from 'node:timers/promises';
import { newId } from '../core/ids.js';
import type { ProviderName } from '../providers/names.js';
import { PROVIDER_NAMES, ProviderUnavailableError } from '../providers/errors.js';
import { tokenRef, type Connection } from './connection.js';
import { findConnectionById } from './connections-repository.js';
import type { ConnectionTokensDeps } from './deps.js';
import { ConnectionUnavailableError } from './errors.js';
import { MIN_REFRESH_INTERVAL_MS, refreshAllowedAt, refreshDue } from './refresh-policy.js';
import { disconnectMessage } from './status-messages.js';
import { refreshConnectionTokens } from './token-refresh.js';
import { markDisconnected, tryTakeRefreshLease } from './token-state-repository.js';

/**
 * Token lifecycle of connections. Contract:
 * - Tokens live only in the vault (owner `connections`/<id>, fields `access_token`,
 *   `refresh_token`); the row holds the expiry and a `token_version`.
 * - A token is refreshed when it is due by the margin (which scales with its lifetime, see
 *   refresh-policy.ts), and when the provider refused it (401) — at most one refresh per
 *   connection at a time, across processes: a lease column taken by one conditional UPDATE
 *   (see tryTakeRefreshLease); everyone else waits for `token_version` to move. In one
 *   process, waiters share a promise. The refresh itself is token-refresh.ts.
 * - Only once the new tokens are stored is the new access token used — by every call that
 *   waited for it, even when the margin already calls it due (a token living less than the
 *   margin must not be refreshed again at once: that was an endless loop).
 * - At most one refresh per connection per MIN_REFRESH_INTERVAL_MS: a due token is used while
 *   it lasts; an expired or refused one answers ProviderUnavailableError with a Retry-After.
 * - A token the provider refuses right after a refresh marks the connection Disconnected.
 */

const WAIT_POLL_MS = 40;

/** How long a decrypted access token is reused for its token version (accessToken). */
const ACCESS_TOKEN_MEMO_MS = 60_000;

export class ConnectionTokens {
  readonly #deps: ConnectionTokensDeps;
  /** Identifies this process as a lease holder. */
  readonly #owner = newId('proc');
  readonly #leaseMs: number;
  /** Refreshes running in this process, by connection id. */
  readonly #inFlight = new Map<string, Promise<void>>();
  /** Decrypted access tokens by connection id, for the token version read (see accessToken). */
  readonly #accessTokens = new Map<string, { version: number; token: string; readAt: number }>();

  constructor(deps: ConnectionTokensDeps) {
    this.#deps = deps;
    this.#leaseMs = deps.timeoutMs * 2 + 5_000;
  }

  /**
   * The connection with a usable access token: refreshed first when it is due, or — with
   * `refusedVersion` — when the provider refused the token of that version. A token a refresh
   * produced while this call waited is returned as it is.
   * Throws ConnectionUnavailableError when the connection is not (or no longer) connected, and
   * ProviderUnavailableError when a needed refresh failed, is backing off or is rate-limited.
   */
  async fresh(provider: ProviderName, organisationId: string, connectionId: string, refusedVersion?: number, justRead?: Connection): Promise<Connection> {
    const { database, clock } = this.#deps;
    const deadline = clock.now() + this.#leaseMs * 3;
    /** The token version this call saw before it waited for a refresh (its own or another's). */
    let waitedFrom: number | undefined;
    /** The caller's row, read moments ago, stands for the first pass (one statement less per call). */
    let known = justRead?.id === connectionId ? justRead : undefined;
    for (;;) {
      const connection = known ?? (await findConnectionById(database.db, organisationId, connectionId));
      known = undefined;
      if (connection === undefined) throw new ConnectionUnavailableError(provider, 'not_connected', 'The connection no longer exists.');
      assertUsable(connection);
      // The token that replaced the one this call saw is the answer, never judged "due" again:
      // with a lifetime under the margin, re-judging it refreshed without end.
      if (waitedFrom !== undefined && connection.tokenVersion !== waitedFrom) return connection;
      const now = clock.now();
      const mustRefresh = refusedVersion !== undefined ? connection.tokenVersion === refusedVersion : refreshDue(connection, now);
      if (!mustRefresh) return connection;
      // Backing off after transient failures, or rate-limited: use the current token while it lasts.
      const notYet = refreshNotYet(connection, now);
      if (notYet !== undefined) {
        if (notYet.throttled) this.#deps.metrics.tokenRefreshes.inc({ provider: connection.provider, outcome: 'throttled' });
        if (refusedVersion === undefined && !expired(connection, now)) return connection;
        throw notYet.error;
      }
      waitedFrom = connection.tokenVersion;
      const running = this.#inFlight.get(connection.id);
      if (running !== undefined) {
        await running.catch(() => undefined);
        continue;
      }
      if (await tryTakeRefreshLease(database.db, connection.id, connection.tokenVersion, this.#owner, now, this.#leaseMs)) {
        const refresh = refreshConnectionTokens(this.#deps, connection, this.#owner, refusedVersion !== undefined).finally(() =>
          this.#inFlight.delete(connection.id),
        );
        this.#inFlight.set(connection.id, refresh);
        try {
          await refresh;
        } catch (error) {
          // A refresh ahead of expiry that failed for a transient reason: the current token
          // still works, and the back-off branch above returns it on the next pass.
          const stillUsable = refusedVersion === undefined && !expired(connection, clock.now());
          if (!stillUsable || !(error instanceof ProviderUnavailableError)) throw error;
        }
        continue;
      }
      // Another process holds the lease (or the version just moved): wait for it.
      if (clock.now() > deadline) {
        const name = PROVIDER_NAMES[connection.provider];
        throw new ProviderUnavailableError(connection.provider, `Timed out waiting for another hub process to refresh the ${name} token.`, 'timeout');
      }
      await sleep(WAIT_POLL_MS);
    }
  }

  /**
   * The stored access token of a connection returned by {@link fresh}. Kept decrypted in this
   * process for at most ACCESS_TOKEN_MEMO_MS per token version — every refresh and reconnect
   * moves the version, and a connection that is not usable fails in `fresh` before this — so a
   * burst of calls costs one vault read, not one each. Never written anywhere.
   */
  async accessToken(connection: Connection): Promise<string> {
    const now = this.#deps.clock.now();
    const memo = this.#accessTokens.get(connection.id);
    const age = memo === undefined ? Number.POSITIVE_INFINITY : now - memo.readAt;
    if (memo?.version === connection.tokenVersion && age >= 0 && age < ACCESS_TOKEN_MEMO_MS) return memo.token;
    const token = await this.#deps.vault.get(this.#deps.database.db, tokenRef(connection, 'access_token'));
    if (token === undefined) {
      this.#accessTokens.delete(connection.id);
      throw new ConnectionUnavailableError(connection.provider, 'not_connected', 'The connection has no stored token.');
    }
    this.#accessTokens.set(connection.id, { version: connection.tokenVersion, token, readAt: now });
    return token;
  }

  /** Marks a connection whose fresh token was refused again: it needs a person to reconnect. */
  async refusedAfterRefresh(connection: Connection): Promise<never> {
    const { id, provider, tokenVersion } = connection;
    const now = this.#deps.clock.now();
    const message = disconnectMessage(provider, 'unauthorized_after_refresh');
    if (await markDisconnected(this.#deps.database.db, id, tokenVersion, 'unauthorized_after_refresh', message, now)) {
      this.#deps.metrics.connectionsLost.inc({ provider, reason: 'unauthorized_after_refresh' });
    }
    this.#deps.logger.warn({ connectionId: id, provider }, 'connection disconnected: token refused after refresh');
    throw new ConnectionUnavailableError(provider, 'disconnected', message);
  }
}

function assertUsable(connection: Connection): void {
  if (connection.status === 'connected') return;
  const name = PROVIDER_NAMES[connection.provider];
  throw new ConnectionUnavailableError(
    connection.provider,
    connection.status,
    connection.status === 'disconnected' ? (connection.statusMessage ?? `${name} is disconnected.`) : `${name} is not connected.`,
  );
}

/** Why a due token cannot be refreshed now (backing off, or refreshed moments ago), as the error a call that cannot wait gets. */
function refreshNotYet(connection: Connection, now: number): { throttled: boolean; error: ProviderUnavailableError } | undefined {
  const { provider, refreshRetryAt } = connection;
  const name = PROVIDER_NAMES[provider];
  if (refreshRetryAt !== null && refreshRetryAt > now) {
    const message = `Refreshing the ${name} token keeps failing; the hub tries again at ${new Date(refreshRetryAt).toISOString()}.`;
    return { throttled: false, error: new ProviderUnavailableError(provider, message, 'server', Math.ceil((refreshRetryAt - now) / 1000)) };
  }
  const allowedAt = refreshAllowedAt(connection);
  if (allowedAt <= now) return undefined;
  const ago = Math.round((now - (connection.lastRefreshedAt ?? now)) / 1000);
  const message = `The ${name} token was refreshed ${ago} s ago and is already unusable; the hub refreshes a connection at most once every ${MIN_REFRESH_INTERVAL_MS / 1000} s.`;
  return { throttled: true, error: new ProviderUnavailableError(provider, message, 'server', Math.ceil((allowedAt - now) / 1000)) };
}

function expired(connection: Connection, now: number): boolean {
  return connection.accessTokenExpiresAt !== null && connection.accessTokenExpiresAt <= now;
}

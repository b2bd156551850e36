import type { Connection } from './connection.js';

/**
 * When the hub refreshes a connection's access token (docs/security.md § Token refresh). Pure:
 * a connection and the time in, a decision out; ConnectionTokens and the keeper act on it.
 *
 * - Margin: a token is refreshed when it expires within `min(REFRESH_MARGIN_MS, a quarter of
 *   the lifetime the provider stated)` — a 1-day token 5 minutes ahead, a 60 s token 15 s
 *   ahead; without a stated lifetime, 5 minutes. (A fixed 5-minute margin made any token
 *   living 5 minutes or less "due" the moment it arrived: the hub refreshed without end.)
 * - Rate limit: at most one refresh per connection every MIN_REFRESH_INTERVAL_MS, whatever asks
 *   for it (a call, the keeper, a 401). Failed refreshes back off on their own (token-refresh.ts).
 * - Unusable tokens: an access token stated to live, or refused (401) after living, less than
 *   MIN_USABLE_LIFETIME_MS is unusable. When the token a refresh would replace is the
 *   UNUSABLE_TOKEN_LIMIT-th unusable one in a row, the hub stops asking the provider for more
 *   and marks the connection Disconnected (`token_lifetime_too_short`).
 */

export const REFRESH_MARGIN_MS = 5 * 60_000;
/** The margin never exceeds this share of the token's stated lifetime. */
export const REFRESH_MARGIN_SHARE = 1 / 4;
/** The shortest time between two refreshes of one connection (successful ones; see above). */
export const MIN_REFRESH_INTERVAL_MS = 10_000;
/**
 * Shorter-lived tokens are unusable. A token living at least this long is never due again
 * before the rate limit lets the hub refresh it (a quarter of 30 s is 7.5 s; 22.5 s > 10 s).
 */
export const MIN_USABLE_LIFETIME_MS = 30_000;
/** Unusable access tokens in a row before the connection is marked Disconnected. */
export const UNUSABLE_TOKEN_LIMIT = 3;

type TokenTiming = Pick<Connection, 'accessTokenExpiresAt' | 'accessTokenLifetimeMs'>;

/**
 * The lifetime a token response states (`expires_in`, seconds), in ms. Missing or 0 means "not
 * stated": the PagerDuty stand-in answers 0 for tokens that never expire.
 */
export function statedLifetimeMs(expiresIn: number | undefined): number | null {
  return expiresIn !== undefined && expiresIn > 0 ? expiresIn * 1000 : null;
}

/** How long before expiry a token with this stated lifetime (ms; null: not stated) is refreshed. */
export function refreshMargin(lifetimeMs: number | null): number {
  if (lifetimeMs === null) return REFRESH_MARGIN_MS;
  return Math.min(REFRESH_MARGIN_MS, Math.floor(lifetimeMs * REFRESH_MARGIN_SHARE));
}

/** From when the token is due for a refresh; null when it never expires (as far as the hub knows). */
export function refreshDueAt(timing: TokenTiming): number | null {
  if (timing.accessTokenExpiresAt === null) return null;
  return timing.accessTokenExpiresAt - refreshMargin(timing.accessTokenLifetimeMs);
}

export function refreshDue(timing: TokenTiming, now: number): boolean {
  const dueAt = refreshDueAt(timing);
  return dueAt !== null && dueAt <= now;
}

/** The earliest time the rate limit lets this connection refresh again (0: now). */
export function refreshAllowedAt(connection: Pick<Connection, 'lastRefreshedAt'>): number {
  return connection.lastRefreshedAt === null ? 0 : connection.lastRefreshedAt + MIN_REFRESH_INTERVAL_MS;
}

/**
 * How many unusable access tokens in a row there are once the current token is replaced
 * at `now`: the count grows when that token was unusable — stated to live too short, or
 * `refused` (401) too soon after it was issued — and starts again at 0 otherwise.
 */
export function unusableTokensInARow(
  connection: Pick<Connection, 'accessTokenLifetimeMs' | 'lastRefreshedAt' | 'connectedAt' | 'shortLivedTokens'>,
  now: number,
  refused: boolean,
): number {
  const lifetimeMs = connection.accessTokenLifetimeMs;
  const statedShort = lifetimeMs !== null && lifetimeMs < MIN_USABLE_LIFETIME_MS;
  const issuedAt = connection.lastRefreshedAt ?? connection.connectedAt;
  const refusedYoung = refused && now - issuedAt < MIN_USABLE_LIFETIME_MS;
  return statedShort || refusedYoung ? connection.shortLivedTokens + 1 : 0;
}

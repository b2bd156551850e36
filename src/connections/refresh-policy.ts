import type { ConnectionRow } from './connections-repository.js';

/**
 * When the hub refreshes a connection's access token (docs/security.md § Token refresh). Pure:
 * a row and the time in, a decision out; ConnectionTokens and the keeper act on it.
 *
 * - Margin: a token is refreshed when it expires within `min(REFRESH_MARGIN_MS, a quarter of
 *   the lifetime the provider stated)` — a 1-day token 5 minutes ahead, a 60 s token 15 s
 *   ahead; without a stated lifetime, 5 minutes. (A fixed 5-minute margin made any token
 *   living 5 minutes or less "due" the moment it arrived: the hub refreshed without end.)
 * - Rate limit: at most one refresh per connection every MIN_REFRESH_INTERVAL_MS, whatever asks
 *   for it (a call, the keeper, a 401). Failed refreshes back off on their own (tokens.ts).
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

type TimingRow = Pick<ConnectionRow, 'access_token_expires_at' | 'access_token_lifetime_ms'>;

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

/** From when the row's token is due for a refresh; null when it never expires (as far as the hub knows). */
export function refreshDueAt(row: TimingRow): number | null {
  if (row.access_token_expires_at === null) return null;
  return row.access_token_expires_at - refreshMargin(row.access_token_lifetime_ms);
}

export function refreshDue(row: TimingRow, now: number): boolean {
  const dueAt = refreshDueAt(row);
  return dueAt !== null && dueAt <= now;
}

/** The earliest time the rate limit lets this connection refresh again (0: now). */
export function refreshAllowedAt(row: Pick<ConnectionRow, 'last_refreshed_at'>): number {
  return row.last_refreshed_at === null ? 0 : row.last_refreshed_at + MIN_REFRESH_INTERVAL_MS;
}

/**
 * How many unusable access tokens in a row there are once the row's current token is replaced
 * at `now`: the count grows when that token was unusable — stated to live too short, or
 * `refused` (401) too soon after it was issued — and starts again at 0 otherwise.
 */
export function unusableTokensInARow(
  row: Pick<ConnectionRow, 'access_token_lifetime_ms' | 'last_refreshed_at' | 'connected_at' | 'short_lived_tokens'>,
  now: number,
  refused: boolean,
): number {
  const statedShort = row.access_token_lifetime_ms !== null && row.access_token_lifetime_ms < MIN_USABLE_LIFETIME_MS;
  const issuedAt = row.last_refreshed_at ?? row.connected_at;
  const refusedYoung = refused && now - issuedAt < MIN_USABLE_LIFETIME_MS;
  return statedShort || refusedYoung ? row.short_lived_tokens + 1 : 0;
}

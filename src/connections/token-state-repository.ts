import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { ConnectionStatusReason } from './outcome-codes.js';

type Db = Kysely<Database>;

/**
 * The token bookkeeping of `connections` rows (see tokens.ts): the cross-process refresh
 * lease, refreshed token metadata, back-off, and Disconnected when the tokens are dead. Every
 * change is conditional (on the lease holder or the token version), so racing processes
 * cannot undo each other's work.
 */

/**
 * Takes the refresh lease when the tokens are still at `tokenVersion` and nobody else holds an
 * unexpired lease. One statement, so it is atomic on both databases: exactly one caller wins.
 */
export async function tryTakeRefreshLease(
  db: Db,
  id: string,
  tokenVersion: number,
  owner: string,
  now: number,
  leaseMs: number,
): Promise<boolean> {
  const result = await db
    .updateTable('connections')
    .set({ refresh_lease_owner: owner, refresh_lease_until: now + leaseMs })
    .where('id', '=', id)
    .where('status', '=', 'connected')
    .where('token_version', '=', tokenVersion)
    .where((eb) => eb.or([eb('refresh_lease_until', 'is', null), eb('refresh_lease_until', '<', now)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Releases the lease after a failed refresh, recording the failures in a row and when to try again. */
export async function releaseRefreshLease(
  db: Db,
  id: string,
  owner: string,
  backoff: { refreshFailures: number; refreshRetryAt: number },
): Promise<void> {
  await db
    .updateTable('connections')
    .set({ refresh_failures: backoff.refreshFailures, refresh_retry_at: backoff.refreshRetryAt, refresh_lease_owner: null, refresh_lease_until: null })
    .where('id', '=', id)
    .where('refresh_lease_owner', '=', owner)
    .execute();
}

/** What a refresh learnt about the new access token (see refresh-policy.ts). */
export interface RefreshedTokenTiming {
  expiresAt: number | null;
  /** The lifetime the provider stated, null when it did not. */
  lifetimeMs: number | null;
  /** Access tokens in a row, the one just replaced included, that proved too short-lived to use. */
  shortLivedTokens: number;
}

/** Stores refreshed token metadata if the version is still the one refreshed from. */
export async function commitRefreshedTokens(
  db: Db,
  id: string,
  fromVersion: number,
  timing: RefreshedTokenTiming,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('connections')
    .set({
      token_version: fromVersion + 1,
      access_token_expires_at: timing.expiresAt,
      access_token_lifetime_ms: timing.lifetimeMs,
      last_refreshed_at: now,
      short_lived_tokens: timing.shortLivedTokens,
      refresh_lease_owner: null,
      refresh_lease_until: null,
      refresh_failures: 0,
      refresh_retry_at: null,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('token_version', '=', fromVersion)
    .where('status', '=', 'connected')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Marks the connection unusable (tokens dead) unless it already changed since `fromVersion`. */
export async function markDisconnected(
  db: Db,
  id: string,
  fromVersion: number,
  reason: ConnectionStatusReason,
  message: string,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('connections')
    .set({
      status: 'disconnected',
      status_reason: reason,
      status_message: message,
      status_changed_at: now,
      refresh_lease_owner: null,
      refresh_lease_until: null,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('token_version', '=', fromVersion)
    .where('status', '=', 'connected')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

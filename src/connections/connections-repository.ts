import { sql, type Kysely, type Selectable } from 'kysely';
import type { ConnectionsTable, Database, ProviderName } from '../db/tables.js';

type Db = Kysely<Database>;
export type ConnectionRow = Selectable<ConnectionsTable>;

/**
 * Row access for `connections`. Every function takes the organisation id: a connection is
 * never looked up by its id alone from a request.
 */

export async function findConnection(db: Db, organisationId: string, provider: ProviderName): Promise<ConnectionRow | undefined> {
  return db
    .selectFrom('connections')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('provider', '=', provider)
    .executeTakeFirst();
}

export async function findConnectionById(db: Db, organisationId: string, id: string): Promise<ConnectionRow | undefined> {
  return db.selectFrom('connections').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
}

export async function listConnections(db: Db, organisationId: string): Promise<ConnectionRow[]> {
  return db.selectFrom('connections').selectAll().where('organisation_id', '=', organisationId).execute();
}

export async function insertConnection(db: Db, row: ConnectionRow): Promise<void> {
  await db.insertInto('connections').values(row).execute();
}

/** Replaces everything a (re)connect learns; bumps token_version. */
export async function updateConnectionOnConnect(
  db: Db,
  row: ConnectionRow,
): Promise<void> {
  const { id, organisation_id, provider: _provider, created_at: _created, token_version: _version, ...changes } = row;
  await db
    .updateTable('connections')
    .set({ ...changes, token_version: sql<number>`token_version + 1` })
    .where('id', '=', id)
    .where('organisation_id', '=', organisation_id)
    .execute();
}

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

export async function releaseRefreshLease(db: Db, id: string, owner: string, changes: Partial<ConnectionRow> = {}): Promise<void> {
  await db
    .updateTable('connections')
    .set({ ...changes, refresh_lease_owner: null, refresh_lease_until: null })
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
  reason: string,
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

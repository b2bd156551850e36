import { sql, type Kysely } from 'kysely';
import type { Database, ProviderName } from '../db/tables.js';
import type { Connection } from './connection.js';
import { connectionFromRow, connectionToRow } from './connection-rows.js';

type Db = Kysely<Database>;

/**
 * Row access for `connections`: connections in and out as {@link Connection}s. Every lookup
 * from a request takes the organisation id: a connection is never found by its id alone there.
 * The token bookkeeping (refresh lease, refreshed tokens) is token-state-repository.ts.
 */

export async function findConnection(db: Db, organisationId: string, provider: ProviderName): Promise<Connection | undefined> {
  const row = await db
    .selectFrom('connections')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('provider', '=', provider)
    .executeTakeFirst();
  return row && connectionFromRow(row);
}

export async function findConnectionById(db: Db, organisationId: string, id: string): Promise<Connection | undefined> {
  const row = await db.selectFrom('connections').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
  return row && connectionFromRow(row);
}

export async function listConnections(db: Db, organisationId: string): Promise<Connection[]> {
  const rows = await db.selectFrom('connections').selectAll().where('organisation_id', '=', organisationId).execute();
  return rows.map(connectionFromRow);
}

export async function insertConnection(db: Db, connection: Connection): Promise<void> {
  await db.insertInto('connections').values(connectionToRow(connection)).execute();
}

/** Replaces everything a (re)connect learns and releases any lease; bumps token_version. */
export async function updateConnectionOnConnect(db: Db, connection: Connection): Promise<void> {
  const { id, organisation_id, provider: _provider, created_at: _created, token_version: _version, ...changes } = connectionToRow(connection);
  await db
    .updateTable('connections')
    .set({ ...changes, token_version: sql<number>`token_version + 1` })
    .where('id', '=', id)
    .where('organisation_id', '=', organisation_id)
    .execute();
}

/** A person disconnected it: not connected (`disconnected_by_user`), tokens expired, lease and back-off cleared. */
export async function markNotConnected(db: Db, connection: Pick<Connection, 'id' | 'organisationId'>, message: string, now: number): Promise<void> {
  await db
    .updateTable('connections')
    .set({
      status: 'not_connected',
      status_reason: 'disconnected_by_user',
      status_message: message,
      status_changed_at: now,
      access_token_expires_at: null,
      token_version: sql<number>`token_version + 1`,
      refresh_lease_owner: null,
      refresh_lease_until: null,
      refresh_failures: 0,
      refresh_retry_at: null,
      updated_at: now,
    })
    .where('id', '=', connection.id)
    .where('organisation_id', '=', connection.organisationId)
    .execute();
}

/** What the keeper needs to know of a connection it may check. */
export type KeeperCandidate = Pick<Connection, 'id' | 'organisationId' | 'provider' | 'lastCheckedAt' | 'accessTokenExpiresAt' | 'accessTokenLifetimeMs'>;

/**
 * Installation-wide, for the keeper: connected connections not checked since `checkedBefore`,
 * or whose token expires before `expiringBefore`.
 */
export async function findKeeperCandidates(db: Db, checkedBefore: number, expiringBefore: number): Promise<KeeperCandidate[]> {
  const rows = await db
    .selectFrom('connections')
    .select(['id', 'organisation_id', 'provider', 'last_checked_at', 'access_token_expires_at', 'access_token_lifetime_ms'])
    .where('status', '=', 'connected')
    .where((eb) =>
      eb.or([
        eb('last_checked_at', 'is', null),
        eb('last_checked_at', '<=', checkedBefore),
        eb('access_token_expires_at', '<=', expiringBefore),
      ]),
    )
    .execute();
  return rows.map((row) => ({
    id: row.id,
    organisationId: row.organisation_id,
    provider: row.provider,
    lastCheckedAt: row.last_checked_at,
    accessTokenExpiresAt: row.access_token_expires_at,
    accessTokenLifetimeMs: row.access_token_lifetime_ms,
  }));
}

/** Claims the check of this interval: true for the one process whose `lastCheckedAt` was still current. */
export async function claimConnectionCheck(db: Db, candidate: Pick<Connection, 'id' | 'lastCheckedAt'>, now: number): Promise<boolean> {
  const { id, lastCheckedAt } = candidate;
  const claim = await db
    .updateTable('connections')
    .set({ last_checked_at: now })
    .where('id', '=', id)
    .where((eb) => (lastCheckedAt === null ? eb('last_checked_at', 'is', null) : eb('last_checked_at', '=', lastCheckedAt)))
    .executeTakeFirst();
  return Number(claim.numUpdatedRows) === 1;
}

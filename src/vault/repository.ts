/**
 * Contract: every SQL statement of the vault (tables vault_secrets, vault_state,
 * vault_retired_keys). Functions take the database or a transaction handle first. Per-secret
 * queries filter by organisation_id; the installation-wide ones (start-up checks, rotation)
 * say so in their name or comment. Rows hold envelopes only, never plaintext.
 */
import { sql, type Kysely } from 'kysely';
import { newId } from '../core/ids.js';
import type { Dialect } from '../db/database.js';
import type { Database } from '../db/tables.js';
import type { SecretRef } from './envelope.js';

type Db = Kysely<Database>;

export interface SecretRow {
  id: string;
  ref: SecretRef;
  keyId: string;
  envelope: string;
}

const whereRef = (ref: SecretRef) =>
  ({ organisation_id: ref.organisationId, owner_table: ref.ownerTable, owner_id: ref.ownerId, field: ref.field }) as const;

export async function findSecretEnvelope(db: Db, ref: SecretRef): Promise<string | undefined> {
  const w = whereRef(ref);
  const row = await db
    .selectFrom('vault_secrets')
    .select('envelope')
    .where('organisation_id', '=', w.organisation_id)
    .where('owner_table', '=', w.owner_table)
    .where('owner_id', '=', w.owner_id)
    .where('field', '=', w.field)
    .executeTakeFirst();
  return row?.envelope;
}

/**
 * Inserts or replaces the secret, but ONLY if vault_state.active_key_id still equals `keyId`
 * (one statement, so it cannot interleave with a rotation switching the key; on PostgreSQL
 * FOR SHARE makes the switch wait for us, or us see the switch). False: the active key moved.
 */
export async function upsertSecretIfKeyActive(
  db: Db,
  dialect: Dialect,
  ref: SecretRef,
  keyId: string,
  envelope: string,
  now: number,
): Promise<boolean> {
  const lock = dialect === 'postgres' ? sql` for share` : sql``;
  const result = await sql<{ id: string }>`
    insert into vault_secrets
      (id, organisation_id, owner_table, owner_id, field, key_id, envelope, created_at, updated_at)
    select ${newId('sec')}, ${ref.organisationId}, ${ref.ownerTable}, ${ref.ownerId}, ${ref.field},
      ${keyId}, ${envelope}, cast(${now} as bigint), cast(${now} as bigint)
    from vault_state where id = 1 and active_key_id = ${keyId}${lock}
    on conflict (organisation_id, owner_table, owner_id, field) do update
      set key_id = excluded.key_id, envelope = excluded.envelope, updated_at = excluded.updated_at
    returning id`.execute(db);
  return result.rows.length === 1;
}

export async function deleteSecret(db: Db, ref: SecretRef): Promise<boolean> {
  const result = await db
    .deleteFrom('vault_secrets')
    .where('organisation_id', '=', ref.organisationId)
    .where('owner_table', '=', ref.ownerTable)
    .where('owner_id', '=', ref.ownerId)
    .where('field', '=', ref.field)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function deleteOwnerSecrets(db: Db, organisationId: string, ownerTable: string, ownerId: string): Promise<number> {
  const result = await db
    .deleteFrom('vault_secrets')
    .where('organisation_id', '=', organisationId)
    .where('owner_table', '=', ownerTable)
    .where('owner_id', '=', ownerId)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function readActiveKeyId(db: Db): Promise<string | undefined> {
  const row = await db.selectFrom('vault_state').select('active_key_id').where('id', '=', 1).executeTakeFirst();
  return row?.active_key_id;
}

/** Creates the single vault_state row unless another process did first. */
export async function initVaultState(db: Db, keyId: string, now: number): Promise<void> {
  await db
    .insertInto('vault_state')
    .values({ id: 1, active_key_id: keyId, updated_at: now })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Compare-and-set of the active key id; false when it no longer was `expected`. */
export async function switchActiveKeyId(db: Db, expected: string, next: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('vault_state')
    .set({ active_key_id: next, updated_at: now })
    .where('id', '=', 1)
    .where('active_key_id', '=', expected)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function retireKeyId(db: Db, keyId: string, now: number): Promise<void> {
  await db
    .insertInto('vault_retired_keys')
    .values({ key_id: keyId, retired_at: now })
    .onConflict((oc) => oc.column('key_id').doNothing())
    .execute();
}

export async function isKeyIdRetired(db: Db, keyId: string): Promise<boolean> {
  const row = await db.selectFrom('vault_retired_keys').select('key_id').where('key_id', '=', keyId).executeTakeFirst();
  return row !== undefined;
}

/** Installation-wide: every key id some secret is wrapped with. */
export async function keyIdsInUse(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('vault_secrets').select('key_id').distinct().orderBy('key_id').execute();
  return rows.map((row) => row.key_id);
}

/** Installation-wide: how many secrets are not wrapped with `keyId`. */
export async function countSecretsNotUnder(db: Db, keyId: string): Promise<number> {
  const row = await db
    .selectFrom('vault_secrets')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .where('key_id', '<>', keyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Installation-wide, for rotation: the next page (by id) of secrets not under `keyId`. */
export async function listSecretsNotUnder(db: Db, keyId: string, afterId: string, limit: number): Promise<SecretRow[]> {
  const rows = await db
    .selectFrom('vault_secrets')
    .select(['id', 'organisation_id', 'owner_table', 'owner_id', 'field', 'key_id', 'envelope'])
    .where('key_id', '<>', keyId)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    ref: { organisationId: row.organisation_id, ownerTable: row.owner_table, ownerId: row.owner_id, field: row.field },
    keyId: row.key_id,
    envelope: row.envelope,
  }));
}

/** Replaces a secret's envelope only if it is still `expected` (a concurrent write wins). */
export async function replaceEnvelopeIfUnchanged(
  db: Db,
  row: SecretRow,
  next: { keyId: string; envelope: string },
): Promise<boolean> {
  const result = await db
    .updateTable('vault_secrets')
    .set({ key_id: next.keyId, envelope: next.envelope })
    .where('id', '=', row.id)
    .where('organisation_id', '=', row.ref.organisationId)
    .where('envelope', '=', row.envelope)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

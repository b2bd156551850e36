import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testDialects, type TestDatabase } from '../../test/helpers/databases.js';
import { b64, captureLogger, createOrganisation, newKey, refFor, tempDataDir, type TempDataDir } from '../../test/helpers/vault.js';
import { keyIdOf } from './envelope.js';
import { VaultDecryptError, VaultKeyUnavailableError, VaultStartupError } from './errors.js';
import { openVault } from './open.js';
import type { SecretRef, Vault } from './vault.js';

describe.each(testDialects())('Vault on %s', (dialect) => {
  let database: TestDatabase;
  let dir: TempDataDir;
  let vault: Vault;
  let orgA: string;
  let orgB: string;
  const key = newKey();

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    dir = tempDataDir();
    vault = await openVault(dir.config({ HUB_MASTER_KEY: b64(key) }), database, captureLogger().logger);
    orgA = await createOrganisation(database.db);
    orgB = await createOrganisation(database.db);
  });
  afterEach(async () => {
    await database.destroy();
    dir.remove();
  });

  const rows = () => database.db.selectFrom('vault_secrets').selectAll().orderBy('id').execute();

  it('records the active key id in vault_state on first start', async () => {
    const state = await database.db.selectFrom('vault_state').selectAll().execute();
    expect(state).toEqual([expect.objectContaining({ id: 1, active_key_id: keyIdOf(key) })]);
    expect(vault.activeKeyId).toBe(keyIdOf(key));
  });

  it('round-trips, replaces, and stores only an envelope under the active key id', async () => {
    const ref = refFor(orgA, 'con_1');
    expect(await vault.get(database.db, ref)).toBeUndefined();
    await vault.put(database.db, ref, 'first-token');
    expect(await vault.get(database.db, ref)).toBe('first-token');
    await vault.put(database.db, ref, 'second-token');
    expect(await vault.get(database.db, ref)).toBe('second-token');
    const stored = await rows();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.key_id).toBe(keyIdOf(key));
    expect(stored[0]?.envelope).toMatch(new RegExp(`^v1\\.${keyIdOf(key)}\\.`));
    expect(stored[0]?.envelope).not.toContain('second-token');
  });

  it('works inside a transaction handle, and rolls back with it', async () => {
    const ref = refFor(orgA, 'con_tx');
    await database.db.transaction().execute(async (trx) => {
      await vault.put(trx, ref, 'in-transaction');
      expect(await vault.get(trx, ref)).toBe('in-transaction');
    });
    expect(await vault.get(database.db, ref)).toBe('in-transaction');
    await expect(
      database.db.transaction().execute(async (trx) => {
        await vault.put(trx, refFor(orgA, 'con_rolled_back'), 'gone');
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await vault.get(database.db, refFor(orgA, 'con_rolled_back'))).toBeUndefined();
  });

  it('keeps organisations apart: same owner and field in two organisations are two secrets', async () => {
    await vault.put(database.db, refFor(orgA, 'con_1'), 'token-of-a');
    await vault.put(database.db, refFor(orgB, 'con_1'), 'token-of-b');
    expect(await vault.get(database.db, refFor(orgA, 'con_1'))).toBe('token-of-a');
    expect(await vault.get(database.db, refFor(orgB, 'con_1'))).toBe('token-of-b');
    expect(await vault.delete(database.db, refFor(orgB, 'con_1'))).toBe(true);
    expect(await vault.get(database.db, refFor(orgA, 'con_1'))).toBe('token-of-a');
    expect(await vault.delete(database.db, refFor(orgB, 'con_1'))).toBe(false);
  });

  it('deleteOwner removes every field of one record of one organisation only', async () => {
    await vault.put(database.db, refFor(orgA, 'con_1', 'access_token'), 'a');
    await vault.put(database.db, refFor(orgA, 'con_1', 'refresh_token'), 'r');
    await vault.put(database.db, refFor(orgA, 'con_2', 'access_token'), 'other record');
    await vault.put(database.db, refFor(orgB, 'con_1', 'access_token'), 'other organisation');
    expect(await vault.deleteOwner(database.db, orgA, 'connections', 'con_1')).toBe(2);
    expect(await vault.get(database.db, refFor(orgA, 'con_1', 'refresh_token'))).toBeUndefined();
    expect(await vault.get(database.db, refFor(orgA, 'con_2'))).toBe('other record');
    expect(await vault.get(database.db, refFor(orgB, 'con_1'))).toBe('other organisation');
  });

  type Pair = (org: string, other: string) => [SecretRef, SecretRef];
  it.each<[string, Pair]>([
    ['another organisation', (org, other) => [refFor(org, 'con_1'), refFor(other, 'con_1')]],
    ['another owner', (org) => [refFor(org, 'con_1'), refFor(org, 'con_2')]],
    ['another field', (org) => [refFor(org, 'con_1', 'access_token'), refFor(org, 'con_1', 'refresh_token')]],
  ])('refuses an envelope copied from %s', async (_name, refs) => {
    const [source, target] = refs(orgA, orgB);
    await vault.put(database.db, source, 'the-victim-token');
    await vault.put(database.db, target, 'the-attacker-token');
    const victim = await database.db
      .selectFrom('vault_secrets')
      .select('envelope')
      .where('organisation_id', '=', source.organisationId)
      .where('owner_id', '=', source.ownerId)
      .where('field', '=', source.field)
      .executeTakeFirstOrThrow();
    await database.db
      .updateTable('vault_secrets')
      .set({ envelope: victim.envelope })
      .where('organisation_id', '=', target.organisationId)
      .where('owner_id', '=', target.ownerId)
      .where('field', '=', target.field)
      .execute();
    const error = await vault.get(database.db, target).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VaultDecryptError);
    expect((error as Error).message).toContain(`connections/${target.ownerId} field ${target.field}`);
    expect((error as Error).message).not.toMatch(/victim|attacker/);
    expect(await vault.get(database.db, source)).toBe('the-victim-token');
  });

  it('names an envelope under a key it does not hold with VaultKeyUnavailableError', async () => {
    const ref = refFor(orgA, 'con_1');
    await vault.put(database.db, ref, 'secret');
    const other = await openVault(tempDataDir().config({ HUB_MASTER_KEY: b64(newKey()), HUB_MASTER_KEY_PREVIOUS: b64(key) }), database, captureLogger().logger);
    await other.put(database.db, ref, 'sealed under the other key');
    // `vault` (key only) now meets an envelope under the other process's key.
    const error = await vault.get(database.db, ref).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VaultKeyUnavailableError);
    expect((error as Error).message).not.toContain('sealed under');
    // and cannot write either: the active key moved to one it lacks.
    await expect(vault.put(database.db, refFor(orgA, 'con_9'), 'x')).rejects.toBeInstanceOf(VaultKeyUnavailableError);
  });

  it('refuses to start when the database was rotated to a key the process lacks', async () => {
    await vault.put(database.db, refFor(orgA, 'con_1'), 'secret');
    const next = newKey();
    await openVault(dir.config({ HUB_MASTER_KEY: b64(next), HUB_MASTER_KEY_PREVIOUS: b64(key) }), database, captureLogger().logger);
    const stranger = newKey();
    const error = await openVault(dir.config({ HUB_MASTER_KEY: b64(stranger) }), database, captureLogger().logger).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VaultStartupError);
    expect((error as Error).message).toContain(`the database was last rotated to key ${keyIdOf(next)}`);
    expect((error as Error).message).not.toContain(b64(next));
    expect((error as Error).message).not.toContain(b64(stranger));
  });

  it('refuses to start when secrets are wrapped with a key the process lacks, naming the ids', async () => {
    await vault.put(database.db, refFor(orgA, 'con_1'), 'secret');
    const next = newKey();
    // A process that holds the new key and has dropped the old one too early.
    await database.db.updateTable('vault_state').set({ active_key_id: keyIdOf(next) }).execute();
    const error = await openVault(dir.config({ HUB_MASTER_KEY: b64(next) }), database, captureLogger().logger).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VaultStartupError);
    expect((error as Error).message).toContain(`stored secrets are wrapped with master key id(s) ${keyIdOf(key)}`);
  });

  it('refuses to switch the database back to a retired key', async () => {
    const next = newKey();
    await openVault(dir.config({ HUB_MASTER_KEY: b64(next), HUB_MASTER_KEY_PREVIOUS: b64(key) }), database, captureLogger().logger);
    const error = await openVault(dir.config({ HUB_MASTER_KEY: b64(key), HUB_MASTER_KEY_PREVIOUS: b64(next) }), database, captureLogger().logger).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(VaultStartupError);
    expect((error as Error).message).toContain(`master key ${keyIdOf(key)}`);
    expect((error as Error).message).toContain('was retired');
  });

  it('rejects empty references', async () => {
    await expect(vault.put(database.db, refFor(orgA, ''), 'x')).rejects.toThrow(/ownerId must be a non-empty string/);
  });
});

/**
 * `rotate-key` while a hub keeps running: in file mode (DATA_DIR/master.key, SQLite) and in env
 * mode (HUB_MASTER_KEY / HUB_MASTER_KEY_PREVIOUS) on both dialects. The rotation runs on its
 * own database handle, as the CLI process would; the "running hub" is a Vault opened before.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubDatabase } from '../src/db/database.js';
import type { Database } from '../src/db/tables.js';
import { envelopeKeyId, keyIdOf, type SecretRef } from '../src/vault/envelope.js';
import { VaultError } from '../src/vault/errors.js';
import { openVault } from '../src/vault/open.js';
import { listSecretsNotUnder, replaceEnvelopeIfUnchanged } from '../src/vault/repository.js';
import { formatRotationSummary, rotateMasterKey } from '../src/vault/rotate.js';
import type { Vault } from '../src/vault/vault.js';
import { createTestDatabase, testDialects, type TestDatabase } from './helpers/databases.js';
import { b64, captureLogger, createOrganisation, newKey, refFor, secondHandle, tempDataDir, type TempDataDir } from './helpers/vault.js';

/** What the running hub wrote last, per secret, to check every read against. */
class Expected {
  readonly values = new Map<string, { ref: SecretRef; value: string }>();
  private counter = 0;
  async write(vault: Vault, db: Kysely<Database>, ref: SecretRef): Promise<void> {
    const value = `value-${this.counter++}`;
    await vault.put(db, ref, value);
    this.values.set(JSON.stringify(ref), { ref, value });
  }
  async checkAll(vault: Vault, db: Kysely<Database>): Promise<void> {
    for (const { ref, value } of this.values.values()) expect(await vault.get(db, ref)).toBe(value);
  }
  some(n: number): SecretRef[] {
    return [...this.values.values()].slice(0, n).map((entry) => entry.ref);
  }
}

async function keyIdsOfRows(db: Kysely<Database>): Promise<string[]> {
  const rows = await db.selectFrom('vault_secrets').select(['key_id', 'envelope']).execute();
  for (const row of rows) expect(envelopeKeyId(row.envelope)).toBe(row.key_id);
  return [...new Set(rows.map((row) => row.key_id))];
}

const readKeyFile = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { active: string; previous: string[] };

describe('rotate-key in file mode (embedded SQLite)', () => {
  let database: TestDatabase;
  let rotatorDb: HubDatabase;
  let dir: TempDataDir;
  let file: string;
  beforeEach(async () => {
    database = await createTestDatabase('sqlite');
    rotatorDb = await secondHandle(database);
    dir = tempDataDir();
    file = path.join(dir.dataDir, 'master.key');
  });
  afterEach(async () => {
    await rotatorDb.close();
    await database.destroy();
    dir.remove();
  });

  it('re-wraps every secret under a new key while a running hub keeps reading and writing', async () => {
    const hubLog = captureLogger();
    const hub = await openVault(dir.config(), database, hubLog.logger);
    const { db } = database;
    const oldKeyB64 = readKeyFile(file).active;
    const oldId = keyIdOf(Buffer.from(oldKeyB64, 'base64'));
    const orgs = [await createOrganisation(db), await createOrganisation(db)];
    const expected = new Expected();
    for (let i = 0; i < 24; i++) await expected.write(hub, db, refFor(orgs[i % 2]!, `con_${i}`));

    const rotatorLog = captureLogger();
    let batches = 0;
    let newId = '';
    const summary = await rotateMasterKey(dir.config(), rotatorDb, rotatorLog.logger, {
      batchSize: 5,
      graceMs: 0,
      onBatch: async () => {
        batches++;
        const during = readKeyFile(file);
        expect(during.previous).toEqual([oldKeyB64]);
        newId = keyIdOf(Buffer.from(during.active, 'base64'));
        // The running hub, between two batches: reads everything, replaces one, adds one.
        await expected.checkAll(hub, db);
        const [existing] = expected.some(1 + (batches % 5)).slice(-1);
        await expected.write(hub, db, existing!);
        const added = refFor(orgs[batches % 2]!, `con_new_${batches}`, 'refresh_token');
        await expected.write(hub, db, added);
        const row = await db.selectFrom('vault_secrets').select('key_id').where('owner_id', '=', added.ownerId).executeTakeFirstOrThrow();
        expect(row.key_id).toBe(newId); // new writes already use the new key
      },
    });

    expect(batches).toBeGreaterThanOrEqual(5);
    expect(summary).toMatchObject({ mode: 'file', rotated: true, fromKeyIds: [oldId], toKeyId: newId, keyFile: file });
    // Old rows the hub replaced before the rotator reached them were already under the new key.
    expect(summary.rewrapped).toBeGreaterThanOrEqual(24 - batches);
    expect(summary.rewrapped).toBeLessThanOrEqual(24);
    expect(await keyIdsOfRows(db)).toEqual([newId]);
    const after = readKeyFile(file);
    expect(keyIdOf(Buffer.from(after.active, 'base64'))).toBe(newId);
    expect(after.previous).toEqual([]);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const state = await db.selectFrom('vault_state').select('active_key_id').executeTakeFirstOrThrow();
    expect(state.active_key_id).toBe(newId);

    await expected.checkAll(hub, db); // the running hub, after
    await expected.write(hub, db, refFor(orgs[0]!, 'con_after'));
    const restarted = await openVault(dir.config(), database, captureLogger().logger); // a hub started afterwards
    await expected.checkAll(restarted, db);
    expect(hubLog.logs.text).toContain('master key file reloaded');

    const text = formatRotationSummary(summary);
    expect(text).toContain(`under master key ${newId} (old key id(s): ${oldId})`);
    for (const secret of [oldKeyB64, after.active]) {
      expect(text).not.toContain(secret);
      expect(hubLog.logs.text).not.toContain(secret);
      expect(rotatorLog.logs.text).not.toContain(secret);
    }
    expect(rotatorLog.logs.text).not.toContain('value-');
  });

  it('can rotate twice in a row, and a hub that slept through both still follows', async () => {
    const hub = await openVault(dir.config(), database, captureLogger().logger);
    const org = await createOrganisation(database.db);
    const expected = new Expected();
    for (let i = 0; i < 3; i++) await expected.write(hub, database.db, refFor(org, `con_${i}`));
    const first = await rotateMasterKey(dir.config(), rotatorDb, captureLogger().logger, { graceMs: 0 });
    const second = await rotateMasterKey(dir.config(), rotatorDb, captureLogger().logger, { graceMs: 0 });
    expect(second.fromKeyIds).toEqual([first.toKeyId]);
    expect(await keyIdsOfRows(database.db)).toEqual([second.toKeyId]);
    await expected.checkAll(hub, database.db);
    await expected.write(hub, database.db, refFor(org, 'con_3'));
    expect(await keyIdsOfRows(database.db)).toEqual([second.toKeyId]);
  });

  it('refuses to run while another rotation holds the lock, and without a key file', async () => {
    await expect(rotateMasterKey(dir.config(), rotatorDb, captureLogger().logger, { graceMs: 0 })).rejects.toThrow(/no master key file at/);
    await openVault(dir.config(), database, captureLogger().logger);
    writeFileSync(`${file}.rotating`, '12345\n');
    await expect(rotateMasterKey(dir.config(), rotatorDb, captureLogger().logger, { graceMs: 0 })).rejects.toThrow(/another rotate-key is running/);
  });
});

describe.each(testDialects())('rotate-key in env mode on %s', (dialect) => {
  let database: TestDatabase;
  let rotatorDb: HubDatabase;
  let dir: TempDataDir;
  const oldKey = newKey();
  const nextKey = newKey();
  const oldId = keyIdOf(oldKey);
  const nextId = keyIdOf(nextKey);
  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    rotatorDb = await secondHandle(database);
    dir = tempDataDir();
  });
  afterEach(async () => {
    await rotatorDb.close();
    await database.destroy();
    dir.remove();
  });
  const env = (active: Buffer, previous?: Buffer) =>
    dir.config({ HUB_MASTER_KEY: b64(active), ...(previous === undefined ? {} : { HUB_MASTER_KEY_PREVIOUS: b64(previous) }) });
  const stateKeyId = async () =>
    (await database.db.selectFrom('vault_state').select('active_key_id').executeTakeFirstOrThrow()).active_key_id;

  it('restart with the new key switches new writes to it; rotate-key re-wraps the rest; then the old key can go', async () => {
    const { db } = database;
    const before = await openVault(env(oldKey), database, captureLogger().logger);
    const org = await createOrganisation(db);
    const expected = new Expected();
    for (let i = 0; i < 7; i++) await expected.write(before, db, refFor(org, `con_${i}`));
    expect(await stateKeyId()).toBe(oldId);

    const log = captureLogger();
    const restarted = await openVault(env(nextKey, oldKey), database, log.logger);
    expect(await stateKeyId()).toBe(nextId);
    expect(log.logs.text).toContain('new secrets now use the configured master key');
    await expected.write(restarted, db, refFor(org, 'con_new'));
    expect((await keyIdsOfRows(db)).sort()).toEqual([oldId, nextId].sort());
    await expected.checkAll(restarted, db);

    const summary = await rotateMasterKey(env(nextKey, oldKey), rotatorDb, captureLogger().logger, { graceMs: 0, batchSize: 3 });
    expect(summary).toMatchObject({ mode: 'env', rotated: true, rewrapped: 7, fromKeyIds: [oldId], toKeyId: nextId, previousKeysRemovable: true });
    expect(formatRotationSummary(summary)).toContain('HUB_MASTER_KEY_PREVIOUS can now be removed');
    expect(await keyIdsOfRows(db)).toEqual([nextId]);

    const again = await rotateMasterKey(env(nextKey, oldKey), rotatorDb, captureLogger().logger, { graceMs: 0 });
    expect(again).toMatchObject({ rotated: false, rewrapped: 0, toKeyId: nextId });
    expect(formatRotationSummary(again)).toContain(`Nothing to do: every secret is already wrapped with master key ${nextId}`);

    const withoutOld = await openVault(env(nextKey), database, captureLogger().logger);
    await expected.checkAll(withoutOld, db);
    await expect(openVault(env(oldKey, nextKey), database, captureLogger().logger)).rejects.toThrow(/was retired by an earlier rotation/);
  });

  it('keeps hubs that hold the new key as a previous key working throughout (zero-downtime path)', async () => {
    const { db } = database;
    // Every process first learns the new key as a previous key; nothing changes yet.
    const hub = await openVault(env(oldKey, nextKey), database, captureLogger().logger);
    expect(await stateKeyId()).toBe(oldId);
    const org = await createOrganisation(db);
    const expected = new Expected();
    for (let i = 0; i < 12; i++) await expected.write(hub, db, refFor(org, `con_${i}`));

    let stop = false;
    let rounds = 0;
    const work = async (): Promise<void> => {
      // A truly concurrent writer is only possible across connections that do not share a thread
      // lock: on PostgreSQL. On SQLite the hub works between batches (onBatch) instead.
      while (!stop) {
        rounds++;
        await expected.write(hub, db, refFor(org, `con_${rounds % 15}`));
        await expected.checkAll(hub, db);
      }
    };
    const background = dialect === 'postgres' ? work() : Promise.resolve();
    const summary = await rotateMasterKey(env(nextKey, oldKey), rotatorDb, captureLogger().logger, {
      graceMs: 0,
      batchSize: 2,
      onBatch: async () => {
        if (dialect === 'sqlite') {
          rounds++;
          await expected.write(hub, db, refFor(org, `con_${rounds % 15}`));
          await expected.checkAll(hub, db);
        }
      },
    });
    stop = true;
    await background;
    expect(summary.toKeyId).toBe(nextId);
    expect(rounds).toBeGreaterThan(0);
    expect(await keyIdsOfRows(db)).toEqual([nextId]);
    expect(hub.activeKeyId).toBe(nextId);
    await expected.checkAll(hub, db);
    await expected.checkAll(await openVault(env(nextKey), database, captureLogger().logger), db);
  });

  it('never lets a re-wrap clobber a concurrent write (compare-and-set on the envelope)', async () => {
    const { db } = database;
    const hub = await openVault(env(oldKey), database, captureLogger().logger);
    const org = await createOrganisation(db);
    const ref = refFor(org, 'con_1');
    await hub.put(db, ref, 'before');
    const [row] = await listSecretsNotUnder(db, nextId, '', 10);
    await hub.put(db, ref, 'written meanwhile');
    expect(await replaceEnvelopeIfUnchanged(db, row!, { keyId: nextId, envelope: 'v1.x' })).toBe(false);
    expect(await hub.get(db, ref)).toBe('written meanwhile');
  });

  it('refuses to rotate when some secret is under a key it does not hold', async () => {
    const hub = await openVault(env(oldKey), database, captureLogger().logger);
    await hub.put(database.db, refFor(await createOrganisation(database.db), 'con_1'), 'x');
    const error = await rotateMasterKey(env(nextKey), rotatorDb, captureLogger().logger, { graceMs: 0 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VaultError);
    expect((error as Error).message).toContain(`the database was last rotated to key ${oldId}`);
  });
});

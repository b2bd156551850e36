/**
 * Contract: `integration-hub rotate-key` — re-wraps every secret's data key under a new master
 * key while hubs keep running. Never prints or logs a key; the summary names key ids only.
 *
 * File mode (embedded default, DATA_DIR/master.key): generate a key, write the file as
 * {active:new, previous:[old…]}, switch vault_state to it, re-wrap, then write {active:new}.
 * Running hubs learn the new key by re-reading the file when they meet its id.
 * Env mode (HUB_MASTER_KEY set, typically new, with HUB_MASTER_KEY_PREVIOUS=old): switch
 * vault_state to HUB_MASTER_KEY's id if needed and re-wrap everything still under other ids.
 *
 * Both then re-wrap every secret still under another key id (rewrap.ts).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { Config } from '../config/index.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { HubDatabase } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import { keyIdOf } from './envelope.js';
import { VaultError, VaultStartupError } from './errors.js';
import { writeMasterKeyFile } from './key-file.js';
import { Keyring } from './keyring.js';
import { envMasterKey, keySourceFor, readKeyFileChecked, type LoadedKeys } from './keys.js';
import { assertSecretsReadable, reconcileVaultState } from './open.js';
import { keyIdsInUse, retireKeyId, switchActiveKeyId } from './repository.js';
import { rewrapAll, type RewrapOptions } from './rewrap.js';

export interface RotateOptions extends RewrapOptions {
  clock?: Clock;
}

export interface RotationSummary {
  mode: 'file' | 'env';
  /** False when there was nothing to do (env mode only). */
  rotated: boolean;
  rewrapped: number;
  fromKeyIds: string[];
  toKeyId: string;
  /** File mode: the key file now holding only the new key. */
  keyFile?: string;
  /** Env mode: HUB_MASTER_KEY_PREVIOUS was set and is no longer needed. */
  previousKeysRemovable: boolean;
}

export async function rotateMasterKey(
  config: Config,
  database: HubDatabase,
  logger: Logger,
  options: RotateOptions = {},
): Promise<RotationSummary> {
  const source = keySourceFor(config);
  return source.kind === 'file'
    ? rotateKeyFile(source.path, database, logger, options)
    : rotateFromEnv(config, database, logger, options);
}

async function rotateFromEnv(config: Config, database: HubDatabase, logger: Logger, options: RotateOptions): Promise<RotationSummary> {
  const clock = options.clock ?? systemClock;
  const loaded: LoadedKeys = { keyring: new Keyring(envMasterKey(config), config.previousMasterKeys), source: { kind: 'env' } };
  const toKeyId = loaded.keyring.activeKeyId;
  const before = await stateKeyIds(database, toKeyId);
  await reconcileVaultState(database, loaded, clock, logger);
  await assertSecretsReadable(database, loaded);
  const previousKeysRemovable = config.previousMasterKeys.length > 0;
  if (before.length === 0) {
    return { mode: 'env', rotated: false, rewrapped: 0, fromKeyIds: [], toKeyId, previousKeysRemovable };
  }
  const rewrapped = await rewrapAll(database, loaded.keyring, toKeyId, logger, options);
  return { mode: 'env', rotated: true, rewrapped, fromKeyIds: before, toKeyId, previousKeysRemovable };
}

async function rotateKeyFile(file: string, database: HubDatabase, logger: Logger, options: RotateOptions): Promise<RotationSummary> {
  const clock = options.clock ?? systemClock;
  const { db } = database;
  const release = await lockRotation(`${file}.rotating`);
  try {
    const current = await readKeyFileChecked(file, logger);
    if (current === undefined) {
      throw new VaultStartupError(`no master key file at ${file}: nothing to rotate (the hub creates it on first start)`);
    }
    const old: LoadedKeys = { keyring: new Keyring(current.active, current.previous), source: { kind: 'file', path: file } };
    const oldActive = await reconcileVaultState(database, old, clock, logger);
    await assertSecretsReadable(database, old);

    const newKey = randomBytes(32);
    const toKeyId = keyIdOf(newKey);
    const fromKeyIds = [...new Set([oldActive, ...(await keyIdsInUse(db))])];
    // The file first: a hub that meets the new id must find it there.
    await writeMasterKeyFile(file, { active: newKey, previous: [current.active, ...current.previous] });
    const keyring = new Keyring(newKey, [current.active, ...current.previous]);
    if (!(await switchActiveKeyId(db, oldActive, toKeyId, clock.now()))) {
      throw new VaultError('the active master key changed during rotation (another rotate-key?); run rotate-key again');
    }
    for (const id of keyring.keyIds()) if (id !== toKeyId) await retireKeyId(db, id, clock.now());
    logger.info({ fromKeyIds, toKeyId }, 'rotate-key: new secrets now use the new master key; re-wrapping the others');

    const rewrapped = await rewrapAll(database, keyring, toKeyId, logger, options);

    const check = await readKeyFileChecked(file, logger);
    if (check === undefined || keyIdOf(check.active) !== toKeyId) {
      throw new VaultError(`${file} changed during rotation; old keys were left in it`);
    }
    await writeMasterKeyFile(file, { active: newKey, previous: [] });
    return { mode: 'file', rotated: true, rewrapped, fromKeyIds, toKeyId, keyFile: file, previousKeysRemovable: false };
  } finally {
    await release();
  }
}

/** Key ids (other than `toKeyId`) that vault_state or some secret still uses. */
async function stateKeyIds(database: HubDatabase, toKeyId: string): Promise<string[]> {
  const state = await database.db.selectFrom('vault_state').select('active_key_id').executeTakeFirst();
  const ids = [...(state === undefined ? [] : [state.active_key_id]), ...(await keyIdsInUse(database.db))];
  return [...new Set(ids)].filter((id) => id !== toKeyId);
}

async function lockRotation(lockFile: string): Promise<() => Promise<void>> {
  try {
    const handle = await fs.open(lockFile, 'wx', 0o600);
    await handle.writeFile(`${process.pid}\n`);
    await handle.close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    throw new VaultError(
      `another rotate-key is running (${lockFile} exists); if none is, a previous one stopped early: delete that file and run rotate-key again`,
    );
  }
  return () => fs.rm(lockFile, { force: true });
}

/** The lines `integration-hub rotate-key` prints: counts and key ids, never keys. */
export function formatRotationSummary(summary: RotationSummary): string {
  const lines: string[] = [];
  if (!summary.rotated) {
    lines.push(`Nothing to do: every secret is already wrapped with master key ${summary.toKeyId}.`);
    if (summary.previousKeysRemovable) lines.push('HUB_MASTER_KEY_PREVIOUS can be removed (then restart the hub).');
    else lines.push('To rotate: restart the hub with HUB_MASTER_KEY=<new key> and HUB_MASTER_KEY_PREVIOUS=<current key>, then run rotate-key with the same environment.');
    return `${lines.join('\n')}\n`;
  }
  const from = summary.fromKeyIds.length > 0 ? summary.fromKeyIds.join(', ') : '(none)';
  lines.push(`Re-wrapped ${summary.rewrapped} secret(s) under master key ${summary.toKeyId} (old key id(s): ${from}).`);
  if (summary.mode === 'file') lines.push(`Old keys removed from ${summary.keyFile ?? 'the key file'}; back up the new file.`);
  else lines.push('HUB_MASTER_KEY_PREVIOUS can now be removed (then restart the hub).');
  return `${lines.join('\n')}\n`;
}

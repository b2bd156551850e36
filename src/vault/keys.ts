/**
 * Contract: where this process's master keys come from.
 * - HUB_MASTER_KEY set ("env" source): config.masterKey + config.previousMasterKeys; the key
 *   file is never read.
 * - Otherwise, on SQLite only ("file" source): DATA_DIR/master.key, generated on first start
 *   (one log line names the file; the key is never logged). A file looser than 0600 is used
 *   with a warning. `reload()` re-reads the file so a running hub learns keys written by
 *   `integration-hub rotate-key`.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import { VaultStartupError } from './errors.js';
import { createMasterKeyFile, isModeTooOpen, masterKeyPath, readMasterKeyFile, type MasterKeys } from './key-file.js';
import { Keyring } from './keyring.js';

export type KeySource = { kind: 'env' } | { kind: 'file'; path: string };

export interface LoadedKeys {
  keyring: Keyring;
  source: KeySource;
}

export function keySourceFor(config: Config): KeySource {
  if (config.masterKey !== undefined) return { kind: 'env' };
  if (config.database.dialect !== 'sqlite') {
    // Config refuses this already; kept as a guard for hand-built configs.
    throw new VaultStartupError('HUB_MASTER_KEY is required with PostgreSQL (only the embedded SQLite default may generate one)');
  }
  return { kind: 'file', path: masterKeyPath(config.dataDir) };
}

/** HUB_MASTER_KEY, for a process whose key source is 'env' (keySourceFor checked it is set). */
export function envMasterKey(config: Config): Buffer {
  if (config.masterKey === undefined) throw new Error('the key source is env but HUB_MASTER_KEY is not set');
  return config.masterKey;
}

/** Reads the key file, warning if its mode is too open. `undefined` if it does not exist. */
export async function readKeyFileChecked(file: string, logger: Logger): Promise<MasterKeys | undefined> {
  const read = await readMasterKeyFile(file);
  if (read !== undefined && isModeTooOpen(read.mode)) {
    logger.warn(
      { path: file, mode: `0${(read.mode & 0o777).toString(8)}` },
      'master key file is readable by other users: run chmod 600 on it',
    );
  }
  return read?.keys;
}

/** Loads (or, embedded default only, generates) the process's keys. */
export async function loadKeys(config: Config, logger: Logger): Promise<LoadedKeys> {
  const source = keySourceFor(config);
  if (source.kind === 'env') {
    return { keyring: new Keyring(envMasterKey(config), config.previousMasterKeys), source };
  }
  let keys = await readKeyFileChecked(source.path, logger);
  if (keys === undefined) {
    const created = await createMasterKeyFile(source.path, { active: randomBytes(32), previous: [] });
    if (created) {
      logger.info(
        { path: source.path },
        `generated a new master key in ${source.path} (back it up: stored secrets cannot be read without it)`,
      );
    }
    keys = await readKeyFileChecked(source.path, logger);
    if (keys === undefined) throw new VaultStartupError(`master key file ${source.path} vanished while starting`);
  }
  return { keyring: new Keyring(keys.active, keys.previous), source };
}

/**
 * For the file source: re-reads the key file and adds any new key to `keyring`.
 * Returns the ids learned (empty for the env source or when nothing changed).
 */
export async function reloadKeys(loaded: LoadedKeys, logger: Logger): Promise<string[]> {
  if (loaded.source.kind !== 'file') return [];
  const keys = await readKeyFileChecked(loaded.source.path, logger);
  if (keys === undefined) return [];
  const added = loaded.keyring.add([keys.active, ...keys.previous]);
  if (added.length > 0) logger.info({ keyIds: added }, 'master key file reloaded: learned new key id(s)');
  return added;
}

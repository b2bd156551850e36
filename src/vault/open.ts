/**
 * Contract: start-up of the vault (`openVault`, called by main.ts after migrations).
 * 1. Load the keys (HUB_MASTER_KEY[_PREVIOUS], or DATA_DIR/master.key — generated if missing).
 * 2. vault_state: create it with this process's active key id if empty. If it names another
 *    key that this process holds as a previous key, switch it to the active one (the env-mode
 *    rotation restart), unless the active key was retired by an earlier rotation. If it names a
 *    key this process does not hold, refuse to start.
 * 3. Refuse to start if any stored secret is wrapped with a key id this process does not hold.
 * Errors name key ids and files, never keys.
 */
import type { Config } from '../config/index.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { HubDatabase } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import { VaultStartupError } from './errors.js';
import { loadKeys, reloadKeys, type KeySource, type LoadedKeys } from './keys.js';
import {
  initVaultState,
  isKeyIdRetired,
  keyIdsInUse,
  readActiveKeyId,
  retireKeyId,
  switchActiveKeyId,
} from './repository.js';
import { Vault } from './vault.js';

export interface OpenVaultOptions {
  clock?: Clock;
}

function holderOf(source: KeySource): string {
  return source.kind === 'env' ? 'HUB_MASTER_KEY / HUB_MASTER_KEY_PREVIOUS' : source.path;
}

/** Brings vault_state in line with this process's keys (step 2); returns the active key id. */
export async function reconcileVaultState(
  database: HubDatabase,
  loaded: LoadedKeys,
  clock: Clock,
  logger: Logger,
): Promise<string> {
  const { db } = database;
  const { keyring, source } = loaded;
  const mine = keyring.activeKeyId;
  let state = await readActiveKeyId(db);
  if (state === undefined) {
    await initVaultState(db, mine, clock.now());
    state = await readActiveKeyId(db);
    if (state === undefined) throw new VaultStartupError('could not initialise vault_state');
  }
  if (state === mine) return mine;
  if (await isKeyIdRetired(db, mine)) {
    throw new VaultStartupError(
      `the configured master key ${mine} (${holderOf(source)}) was retired by an earlier rotation; ` +
        `the database now uses key ${state}. Set HUB_MASTER_KEY to that key (or to a new key with ` +
        `HUB_MASTER_KEY_PREVIOUS set to it).`,
    );
  }
  if (!keyring.has(state)) {
    throw new VaultStartupError(
      `the database was last rotated to key ${state}; set HUB_MASTER_KEY to that key ` +
        `(or keep it in HUB_MASTER_KEY_PREVIOUS while rotating). ${holderOf(source)} holds key id(s) ` +
        `${keyring.keyIds().join(', ')} only.`,
    );
  }
  if (await switchActiveKeyId(db, state, mine, clock.now())) {
    await retireKeyId(db, state, clock.now());
    logger.info(
      { fromKeyId: state, toKeyId: mine },
      'vault: new secrets now use the configured master key; run `integration-hub rotate-key` to re-wrap the others',
    );
    return mine;
  }
  // Another process moved it at the same moment: check again from the top.
  return reconcileVaultState(database, loaded, clock, logger);
}

/** Step 3: refuses when some secret is wrapped with a key id not in the keyring. */
export async function assertSecretsReadable(database: HubDatabase, loaded: LoadedKeys): Promise<void> {
  const missing = (await keyIdsInUse(database.db)).filter((id) => !loaded.keyring.has(id));
  if (missing.length > 0) {
    throw new VaultStartupError(
      `stored secrets are wrapped with master key id(s) ${missing.join(', ')}, which ${holderOf(loaded.source)} ` +
        `does not hold; set HUB_MASTER_KEY or HUB_MASTER_KEY_PREVIOUS to include them.`,
    );
  }
}

/** Opens the vault for a running hub (see the contract above). */
export async function openVault(
  config: Config,
  database: HubDatabase,
  logger: Logger,
  options: OpenVaultOptions = {},
): Promise<Vault> {
  const clock = options.clock ?? systemClock;
  const loaded = await loadKeys(config, logger);
  const activeKeyId = await reconcileVaultState(database, loaded, clock, logger);
  await assertSecretsReadable(database, loaded);
  return new Vault({
    keyring: loaded.keyring,
    dialect: database.dialect,
    activeKeyId,
    clock,
    ...(loaded.source.kind === 'file' ? { reloadKeys: () => reloadKeys(loaded, logger) } : {}),
  });
}

/**
 * `integration-hub rotate-key` through a real child process (the built CLI), next to a "running
 * hub" in this process on the same DATA_DIR: the hub keeps reading after the CLI rotated.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../src/core/package-root.js';
import { openDatabase, type HubDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { keyIdOf } from '../src/vault/envelope.js';
import { openVault } from '../src/vault/open.js';
import { requirePrerequisite } from './helpers/prerequisites.js';
import { b64, captureLogger, createOrganisation, newKey, refFor, tempDataDir, type TempDataDir } from './helpers/vault.js';

const root = packageRoot();
const built = requirePrerequisite('the built server (npm run build:server)', existsSync(path.join(root, 'dist/src/cli.js')));
const run = promisify(execFile);

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(root, 'bin/integration-hub.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
      timeout: 30_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe.runIf(built)('integration-hub rotate-key (child process)', () => {
  let dir: TempDataDir;
  let database: HubDatabase | undefined;
  beforeEach(() => {
    dir = tempDataDir();
  });
  afterEach(async () => {
    await database?.close();
    database = undefined;
    dir.remove();
  });

  it('rotates the embedded key file while a hub holds the database open', async () => {
    const config = dir.config();
    database = await openDatabase(config.database);
    await migrateToLatest(database);
    const hub = await openVault(config, database, captureLogger().logger);
    const org = await createOrganisation(database.db);
    for (const owner of ['con_1', 'con_2', 'con_3']) await hub.put(database.db, refFor(org, owner), `token-${owner}`);
    const file = path.join(dir.dataDir, 'master.key');
    const oldKey = (JSON.parse(readFileSync(file, 'utf8')) as { active: string }).active;

    const result = await cli(['rotate-key'], { DATA_DIR: dir.dataDir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const newKeyB64 = (JSON.parse(readFileSync(file, 'utf8')) as { active: string; previous: string[] }).active;
    const newId = keyIdOf(Buffer.from(newKeyB64, 'base64'));
    expect(result.stdout).toContain(`Re-wrapped 3 secret(s) under master key ${newId} (old key id(s): ${keyIdOf(Buffer.from(oldKey, 'base64'))})`);
    expect(result.stdout).toContain(`Old keys removed from ${file}`);
    for (const key of [oldKey, newKeyB64]) expect(result.stdout + result.stderr).not.toContain(key);
    expect(result.stdout).not.toContain('token-con');

    for (const owner of ['con_1', 'con_2', 'con_3']) expect(await hub.get(database.db, refFor(org, owner))).toBe(`token-${owner}`);
    const rows = await database.db.selectFrom('vault_secrets').select('key_id').distinct().execute();
    expect(rows).toEqual([{ key_id: newId }]);
  });

  it('says there is nothing to do in env mode when every secret is under HUB_MASTER_KEY', async () => {
    const key = newKey();
    const result = await cli(['rotate-key'], { DATA_DIR: dir.dataDir, HUB_MASTER_KEY: b64(key) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Nothing to do: every secret is already wrapped with master key ${keyIdOf(key)}`);
    expect(result.stdout).not.toContain(b64(key));
  });

  it.each([['rotate-key'], ['start']])('%s refuses a malformed key file with one clear line', async (verb) => {
    const file = path.join(dir.dataDir, 'master.key');
    const short = Buffer.from('only-sixteen-byt').toString('base64');
    writeFileSync(file, JSON.stringify({ active: short }), { mode: 0o600 });
    const result = await cli([verb], { DATA_DIR: dir.dataDir, PORT: '0' });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain(`integration-hub: master key file ${file} is malformed: "active" must decode to exactly 32 bytes, got 16`);
    expect(result.stdout + result.stderr).not.toContain(short);
  });
});

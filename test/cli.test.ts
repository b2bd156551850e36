import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli, waitForOk } from './helpers/cli.js';
import { freePort } from './helpers/hub.js';

describe('integration-hub command line', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hub-cli-'));
    dirs.push(dir);
    return dir;
  };
  beforeAll(() => assertBuilt());
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('prints help listing every verb', async () => {
    const result = await runCli(['--help'], {}).done;
    expect(result.code).toBe(0);
    for (const verb of ['start', 'migrate', 'rotate-key']) expect(result.stdout).toContain(verb);
  });

  it('rejects an unknown verb with exit code 2', async () => {
    const result = await runCli(['frobnicate'], {}).done;
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown command "frobnicate"');
  });

  it('fails fast listing every bad variable and never echoing a value', async () => {
    const result = await runCli(['start'], { PORT: 'x', LOG_LEVEL: 'chatty', HUB_MASTER_KEY: 'dG9vLXNob3J0' }).done;
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/PORT: /);
    expect(result.stderr).toMatch(/LOG_LEVEL: /);
    expect(result.stderr).toMatch(/HUB_MASTER_KEY: must decode to exactly 32 bytes/);
    expect(result.stderr).not.toContain('dG9vLXNob3J0');
  });

  it('migrate creates and migrates the embedded database in DATA_DIR', async () => {
    const dataDir = tempDir();
    const result = await runCli(['migrate'], { DATA_DIR: dataDir, LOG_LEVEL: 'info' }).done;
    expect(result.code).toBe(0);
    const db = new Database(path.join(dataDir, 'hub.db'), { readonly: true });
    const tables = db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[];
    db.close();
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['organisations', 'users', 'sessions', 'vault_secrets']));
  });

  it('start serves on PORT, becomes ready, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const hub = runCli(['start'], { DATA_DIR: tempDir(), PORT: String(port), LOG_LEVEL: 'info' });
    await waitForOk(`http://127.0.0.1:${port}/readyz`);
    hub.child.kill('SIGTERM');
    const result = await hub.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"msg":"shutting down: draining in-flight requests"');
    expect(result.stdout).toContain('"msg":"stopped"');
  });
});

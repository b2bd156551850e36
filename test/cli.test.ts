import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
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
    const tables = db.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>;
    db.close();
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['organisations', 'users', 'sessions', 'vault_secrets']));
  });

  it('start serves on PORT, becomes ready, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const hub = runCli(['start'], { DATA_DIR: tempDir(), PORT: String(port), LOG_LEVEL: 'info', SANDBOX: 'off' });
    await waitForOk(`http://127.0.0.1:${port}/readyz`);
    const meta = (await (await fetch(`http://127.0.0.1:${port}/api/meta`)).json()) as { sandboxMode: boolean };
    expect(meta.sandboxMode).toBe(false);
    hub.child.kill('SIGTERM');
    const result = await hub.done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"msg":"shutting down: draining in-flight requests"');
    expect(result.stdout).toContain('"msg":"stopped"');
  });

  it('start in sandbox mode (the default) also serves both stand-ins and says so in /api/meta', async () => {
    const [port, pagerdutyPort, linearPort] = [await freePort(), await freePort(), await freePort()];
    const hub = runCli(['start'], {
      DATA_DIR: tempDir(),
      PORT: String(port),
      SANDBOX_PAGERDUTY_PORT: String(pagerdutyPort),
      SANDBOX_LINEAR_PORT: String(linearPort),
    });
    try {
      await waitForOk(`http://127.0.0.1:${port}/readyz`);
      const meta = (await (await fetch(`http://127.0.0.1:${port}/api/meta`)).json()) as Record<string, unknown>;
      expect(meta).toMatchObject({
        sandboxMode: true,
        sandbox: { pagerdutyUrl: `http://localhost:${pagerdutyPort}`, linearUrl: `http://localhost:${linearPort}` },
      });
      // The consent pages accept the hub's own callback: start registered PUBLIC_URL with both.
      const redirect = encodeURIComponent(`http://localhost:${port}/oauth/linear/callback`);
      const consent = await fetch(
        `http://127.0.0.1:${linearPort}/oauth/authorize?client_id=integration-hub-sandbox&redirect_uri=${redirect}&response_type=code&scope=read,write,admin&state=s1`,
      );
      expect(consent.status).toBe(200);
      expect(await consent.text()).toContain('Authorize');
      expect((await fetch(`http://127.0.0.1:${pagerdutyPort}/`)).status).toBe(200);
    } finally {
      hub.child.kill('SIGTERM');
    }
    expect((await hub.done).code).toBe(0);
  });

  it('sandbox serves only the stand-ins, on the configured ports, until SIGTERM', async () => {
    const [pagerdutyPort, linearPort] = [await freePort(), await freePort()];
    const sandbox = runCli(['sandbox'], {
      SANDBOX_PAGERDUTY_PORT: String(pagerdutyPort),
      SANDBOX_LINEAR_PORT: String(linearPort),
      SANDBOX: 'off',
    });
    try {
      await waitForOk(`http://127.0.0.1:${pagerdutyPort}/`);
      await waitForOk(`http://127.0.0.1:${linearPort}/`);
      const token = await fetch(`http://127.0.0.1:${pagerdutyPort}/_sandbox/tokens`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ account: 'acme' }),
      });
      expect(token.status).toBe(200);
      expect(sandbox.output()).toContain(`PagerDuty sandbox: http://localhost:${pagerdutyPort}`);
    } finally {
      sandbox.child.kill('SIGTERM');
    }
    expect((await sandbox.done).code).toBe(0);
  });

  it('start refuses clearly when its own PORT is taken (exit 78, one line, no stack)', async () => {
    const blocker = createNetServer();
    await new Promise<void>((resolve, reject) => {
      blocker.once('error', reject);
      blocker.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (blocker.address() as AddressInfo).port;
    const dataDir = tempDir();
    try {
      const result = await runCli(['start'], {
        DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        PORT: String(port),
        SANDBOX: 'off',
        LOG_LEVEL: 'warn',
      }).done;
      expect(result.code).toBe(78);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`PORT ${port}`);
      expect(lines[0]).toContain('already in use');
      expect(result.stdout + result.stderr).not.toContain('    at ');
      // The database was closed: its WAL was checkpointed away.
      expect(existsSync(path.join(dataDir, 'hub.db-wal'))).toBe(false);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('start refuses clearly when a sandbox port is taken', async () => {
    const [port, linearPort] = [await freePort(), await freePort()];
    const blocker = runCli(['sandbox'], { SANDBOX_PAGERDUTY_PORT: String(await freePort()), SANDBOX_LINEAR_PORT: String(linearPort) });
    try {
      await waitForOk(`http://127.0.0.1:${linearPort}/`);
      const result = await runCli(['start'], {
        DATA_DIR: tempDir(),
        PORT: String(port),
        SANDBOX_PAGERDUTY_PORT: String(await freePort()),
        SANDBOX_LINEAR_PORT: String(linearPort),
      }).done;
      expect(result.code).toBe(78);
      expect(result.stderr).toContain(`cannot listen on SANDBOX_HOST 127.0.0.1 SANDBOX_LINEAR_PORT ${linearPort}: the port is already in use`);
      expect(result.stderr).not.toContain('    at ');
    } finally {
      blocker.child.kill('SIGTERM');
      await blocker.done;
    }
  });

  it('sandbox refuses clearly when SANDBOX_HOST is not an address of this machine', async () => {
    // 203.0.113.0/24 is reserved for documentation: binding fails locally, nothing is sent.
    const result = await runCli(['sandbox'], {
      SANDBOX_HOST: '203.0.113.1',
      SANDBOX_PAGERDUTY_PORT: String(await freePort()),
      SANDBOX_LINEAR_PORT: String(await freePort()),
    }).done;
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('SANDBOX_HOST is not an address of this machine');
    expect(result.stderr).not.toContain('    at ');
  });
});

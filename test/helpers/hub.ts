import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parseConfig, type Config } from '../../src/config/index.js';
import type { Clock } from '../../src/core/clock.js';
import type { Dialect } from '../../src/db/database.js';
import { startHub, type RunningHub } from '../../src/main.js';
import { createLogger } from '../../src/observability/logger.js';
import { createTestDatabase, type TestDatabase } from './databases.js';

/** Collects every log line the hub writes, for assertions (e.g. no secret ever logged). */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter((line) => line !== ''));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

/** A port that was free a moment ago (so PUBLIC_URL can name it before the hub listens). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface TestHub {
  url: string;
  config: Config;
  hub: RunningHub;
  database: TestDatabase;
  logs: LogCapture;
  dataDir: string;
  close(): Promise<void>;
}

export interface TestHubOptions {
  /** The hub's clock (default: the system clock); pass a ManualClock to move time in tests. */
  clock?: Clock;
}

/**
 * Starts a real hub on a free port over a fresh database of the given dialect, logging at
 * debug level into a capture. `env` adds or overrides environment variables.
 */
export async function startTestHub(
  dialect: Dialect = 'sqlite',
  env: Record<string, string> = {},
  options: TestHubOptions = {},
): Promise<TestHub> {
  // freePort() cannot reserve the port: a suite running in parallel may take it first. Retry.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startTestHubOnce(dialect, env, options);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof Error && error.message.includes('already in use'))) throw error;
    }
  }
}

async function startTestHubOnce(dialect: Dialect, env: Record<string, string>, options: TestHubOptions): Promise<TestHub> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hub-data-'));
  const config = parseConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'debug',
    HUB_MASTER_KEY: randomBytes(32).toString('base64'),
    // Suites that need the stand-ins start them on free ports themselves.
    SANDBOX: 'off',
    ...env,
  });
  const database = await createTestDatabase(dialect);
  const logs = new LogCapture();
  let hub: RunningHub;
  try {
    hub = await startHub(config, {
      database,
      logger: createLogger({ level: config.logLevel, destination: logs }),
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
    });
  } catch (error) {
    await database.destroy();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    config,
    hub,
    database,
    logs,
    dataDir,
    close: async () => {
      await hub.close();
      await database.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

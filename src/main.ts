import type { FastifyInstance } from 'fastify';
import { ensureBootstrapAdmin } from './accounts/bootstrap.js';
import type { Config } from './config/index.js';
import { systemClock, type Clock } from './core/clock.js';
import { OperatorError } from './core/operator-error.js';
import { openDatabase, type HubDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { buildApp } from './http/app.js';
import type { AppDeps } from './http/deps.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import { openVault } from './vault/open.js';
import type { RunningSandbox } from '../sandbox/index.js';

export interface RunningHub {
  app: FastifyInstance;
  deps: AppDeps;
  /** The built-in stand-ins, when this process serves them (sandbox mode). */
  sandbox: RunningSandbox | undefined;
  /** The URL the server listens on (useful with PORT=0). */
  url: string;
  /** Stops accepting requests, drains in-flight ones, closes the database. Idempotent. */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  clock?: Clock;
  /** Use this database instead of opening the configured one (tests). */
  database?: HubDatabase;
}

/** Opens the database and applies migrations; shared by `start` and `migrate`. */
export async function openMigratedDatabase(config: Config, logger: Logger): Promise<HubDatabase> {
  const database = await openDatabase(config.database);
  const { applied } = await migrateToLatest(database);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  return database;
}

/**
 * Starts the PagerDuty and Linear stand-ins when the configuration asks for them. Loaded
 * lazily: a hub talking to the real vendors never loads the sandbox code.
 */
export async function startConfiguredSandbox(
  config: Config,
  logger: Logger,
  options: { evenIfDisabled?: boolean } = {},
): Promise<RunningSandbox | undefined> {
  if (!config.sandbox.enabled && options.evenIfDisabled !== true) return undefined;
  const { startSandbox } = await import('../sandbox/index.js');
  const sandbox = await startSandbox({
    host: config.sandbox.host,
    pagerdutyPort: config.sandbox.pagerdutyPort,
    linearPort: config.sandbox.linearPort,
    hubPublicUrl: config.publicUrl,
  });
  logger.info(
    { pagerduty: sandbox.pagerdutyUrl, linear: sandbox.linearUrl },
    'sandbox mode: serving the PagerDuty and Linear stand-ins',
  );
  return sandbox;
}

/**
 * Listens on HOST:PORT. The usual reasons this fails (the port is taken, a privileged port,
 * HOST is not an address of this machine) are the operator's to fix: OperatorError, one line.
 * Fastify's own "Server listening at …" line names the bound address, which may differ from
 * PUBLIC_URL (127.0.0.1 vs localhost); the line says where to open the hub.
 */
async function listenOrExplain(app: FastifyInstance, config: Config): Promise<string> {
  const where = `HOST ${config.host} PORT ${config.port}`;
  try {
    return await app.listen({
      port: config.port,
      host: config.host,
      listenTextResolver: (address) => `Server listening at ${address}; open ${config.publicUrl.origin} in a browser`,
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') {
      throw new OperatorError(
        `cannot listen on ${where}: the port is already in use (another hub?). Stop that program or set PORT to a free port.`,
        { cause: error },
      );
    }
    if (code === 'EACCES') {
      throw new OperatorError(
        `cannot listen on ${where}: permission denied (ports below 1024 need privileges). Set PORT to 1024 or higher.`,
        { cause: error },
      );
    }
    if (code === 'EADDRNOTAVAIL') {
      throw new OperatorError(`cannot listen on ${where}: HOST is not an address of this machine. Check HOST.`, {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * The process entry for `integration-hub start`: config → database → migrate → vault →
 * sandbox (in sandbox mode) → HTTP server.
 */
export async function startHub(config: Config, options: StartOptions = {}): Promise<RunningHub> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const database = options.database ?? (await openMigratedDatabase(config, logger));
  if (options.database !== undefined) await migrateToLatest(database);
  const clock = options.clock ?? systemClock;
  const vault = await openVault(config, database, logger, { clock }).catch(async (error: unknown) => {
    if (options.database === undefined) await database.close();
    throw error;
  });
  await ensureBootstrapAdmin(database, config.bootstrapAdmin, { logger, now: clock.now() });
  const sandbox = await startConfiguredSandbox(config, logger).catch(async (error: unknown) => {
    if (options.database === undefined) await database.close();
    throw error;
  });
  const deps: AppDeps = {
    config,
    database,
    logger,
    metrics: createMetrics(),
    clock,
    vault,
    sandbox: sandbox === undefined ? undefined : { pagerdutyUrl: sandbox.pagerdutyUrl, linearUrl: sandbox.linearUrl },
  };
  const app = await buildApp(deps);
  const address = await listenOrExplain(app, config).catch(async (error: unknown) => {
    // Close what this call opened before the error reaches the CLI.
    await app.close();
    await sandbox?.close();
    if (options.database === undefined) await database.close();
    throw error;
  });
  logger.info(
    { url: address, publicUrl: config.publicUrl.origin, database: database.dialect },
    `hub listening: open ${config.publicUrl.origin} in a browser`,
  );

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await app.close();
      await sandbox?.close();
      if (options.database === undefined) await database.close();
    })();
    return closing;
  };
  return { app, deps, sandbox, url: address, close };
}

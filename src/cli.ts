import { ConfigError, readConfigFromProcess, type Config } from './config/index.js';
import { createLogger } from './observability/logger.js';
import { openMigratedDatabase, startHub } from './main.js';
import { VaultError } from './vault/errors.js';
import { formatRotationSummary, rotateMasterKey } from './vault/rotate.js';

const HELP = `Usage: integration-hub [command]

Commands:
  start        Start the hub (default): migrate the database, serve HTTP on PORT.
  migrate      Apply pending database migrations, then exit.
  rotate-key   Re-wrap every stored secret under a new master key (the hub may keep running).
  --help       Show this help.

Configuration comes from environment variables: see docs/configuration.md.
`;

type Command = (config: Config) => Promise<number>;

const commands: Record<string, Command> = {
  start: runStart,
  migrate: runMigrate,
  'rotate-key': runRotateKey,
};

/** Runs one CLI verb and resolves to the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const verb = argv[0] ?? 'start';
  if (verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const command = commands[verb];
  if (command === undefined) {
    process.stderr.write(`integration-hub: unknown command "${verb}"\n\n${HELP}`);
    return 2;
  }
  let config: Config;
  try {
    config = readConfigFromProcess();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`integration-hub: ${error.message}\nSee docs/configuration.md.\n`);
      return 78; // EX_CONFIG
    }
    throw error;
  }
  try {
    return await command(config);
  } catch (error) {
    // Vault refusals (missing or malformed key, key mismatch) are operator errors: one clear line.
    if (error instanceof VaultError) {
      process.stderr.write(`integration-hub: ${error.message}\n`);
      return 78; // EX_CONFIG
    }
    throw error;
  }
}

async function runStart(config: Config): Promise<number> {
  const logger = createLogger({ level: config.logLevel });
  const hub = await startHub(config, { logger });
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutting down: draining in-flight requests');
      hub.close().then(resolve, (error: unknown) => {
        logger.error({ err: error }, 'error during shutdown');
        resolve();
      });
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  logger.info('stopped');
  logger.flush();
  return 0;
}

async function runMigrate(config: Config): Promise<number> {
  const logger = createLogger({ level: config.logLevel });
  const database = await openMigratedDatabase(config, logger);
  await database.close();
  logger.info('migrations up to date');
  logger.flush();
  return 0;
}

async function runRotateKey(config: Config): Promise<number> {
  const logger = createLogger({ level: config.logLevel });
  const database = await openMigratedDatabase(config, logger);
  try {
    const summary = await rotateMasterKey(config, database, logger);
    process.stdout.write(formatRotationSummary(summary));
    return 0;
  } finally {
    await database.close();
    logger.flush();
  }
}

import { ConfigError, readConfigFromProcess, type Config } from './config/index.js';
import { parseRole } from './config/roles.js';
import { OperatorError } from './core/operator-error.js';
import { createLogger, type Logger } from './observability/logger.js';
import { openMigratedDatabase, startConfiguredSandbox, startHub } from './main.js';
import { VaultError } from './vault/errors.js';
import { formatRotationSummary, rotateMasterKey } from './vault/rotate.js';

const HELP = `Usage: integration-hub [command]

Commands:
  start        Start the hub (default): migrate the database, serve HTTP on PORT.
               --role all|web|worker (or HUB_ROLE; default all): web serves the UI, API and
               webhook intake; worker runs the queue and scheduled jobs and serves only
               /healthz, /readyz and /metrics. See docs/deployment.md.
  migrate      Apply pending database migrations, then exit.
  rotate-key   Re-wrap every stored secret under a new master key (the hub may keep running).
  sandbox      Serve only the PagerDuty and Linear stand-ins (ports SANDBOX_PAGERDUTY_PORT,
               SANDBOX_LINEAR_PORT; default 4010 and 4020). \`start\` serves them too in sandbox mode.
  --help       Show this help.

Configuration comes from environment variables: see docs/configuration.md.
`;

type Command = (config: Config) => Promise<number>;

const commands: Record<string, Command> = {
  start: runStart,
  migrate: runMigrate,
  'rotate-key': runRotateKey,
  sandbox: runSandbox,
};

/** Runs one CLI verb and resolves to the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  // `integration-hub --role web` is `start --role web` (start is the default verb).
  const startByDefault = argv[0] === undefined || argv[0].startsWith('--role');
  const verb = startByDefault ? 'start' : (argv[0] ?? 'start');
  if (verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const command = commands[verb];
  if (command === undefined) {
    process.stderr.write(`integration-hub: unknown command "${verb}"\n\n${HELP}`);
    return 2;
  }
  const role = roleFlag(verb, argv.slice(startByDefault ? 0 : 1));
  if (typeof role === 'object') {
    process.stderr.write(`integration-hub: ${role.problem}\n\n${HELP}`);
    return 2;
  }
  let config: Config;
  try {
    config = readConfigFromProcess();
    if (role !== undefined) config = { ...config, role };
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
    if (error instanceof VaultError || error instanceof OperatorError) {
      process.stderr.write(`integration-hub: ${error.message}\n`);
      return 78; // EX_CONFIG
    }
    throw error;
  }
}

/** `start --role X` / `--role=X`: the role (over HUB_ROLE), undefined when not given, or what is wrong. */
function roleFlag(verb: string, args: string[]): Config['role'] | undefined | { problem: string } {
  if (verb !== 'start') return undefined; // the other verbs take no options (and ignore words after them, as before)
  let value: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--role') value = args[++i] ?? '';
    else if (arg.startsWith('--role=')) value = arg.slice('--role='.length);
    else return { problem: `unknown option "${arg}" for start` };
  }
  if (value === undefined) return undefined;
  return parseRole(value) ?? { problem: `--role must be all, web or worker (got "${value}")` };
}

async function runStart(config: Config): Promise<number> {
  const logger = createLogger({ level: config.logLevel });
  const hub = await startHub(config, { logger });
  await untilSignal(logger, () => hub.close());
  return 0;
}

async function runSandbox(config: Config): Promise<number> {
  const logger = createLogger({ level: config.logLevel });
  // Serves the stand-ins even when SANDBOX=off keeps `start` from doing so.
  const sandbox = await startConfiguredSandbox(config, logger, { evenIfDisabled: true });
  process.stdout.write(
    `PagerDuty sandbox: ${config.sandbox.pagerdutyUrl}\nLinear sandbox:    ${config.sandbox.linearUrl}\nPress Ctrl+C to stop.\n`,
  );
  await untilSignal(logger, async () => sandbox?.close());
  return 0;
}

/** Waits for SIGTERM or SIGINT, then runs `close` (which drains in-flight work) once. */
async function untilSignal(logger: Logger, close: () => Promise<void>): Promise<void> {
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      // A second signal during the drain falls through to Node's default: the process ends.
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      logger.info({ signal }, 'shutting down: draining in-flight requests');
      close().then(resolve, (error: unknown) => {
        logger.error({ err: error }, 'error during shutdown');
        resolve();
      });
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  logger.info('stopped');
  logger.flush();
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

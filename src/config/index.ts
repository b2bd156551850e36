import path from 'node:path';
import { envSchema, masterKeySchema } from './schema.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export type DatabaseConfig =
  | { dialect: 'sqlite'; file: string; synchronous: 'NORMAL' | 'FULL' }
  | { dialect: 'postgres'; url: string };

/** Everything the hub needs to know about its environment, parsed once at start-up. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: DatabaseConfig;
  /** Origin users reach the hub on; OAuth redirects and webhook URLs are built from it. */
  publicUrl: URL;
  trustProxy: boolean;
  /** Master key(s); undefined means "embedded default: load or create DATA_DIR/master.key". */
  masterKey: Buffer | undefined;
  previousMasterKeys: Buffer[];
  bootstrapAdmin: { email: string; password: string; organisationName: string } | undefined;
  sessionTtlMs: number;
  bodyLimitBytes: number;
  logLevel: LogLevel;
  /**
   * The built-in PagerDuty and Linear stand-ins, served beside the hub by `start` while no real
   * OAuth client is configured (in this release: always, unless SANDBOX=off).
   */
  sandbox: SandboxConfig;
}

export interface SandboxConfig {
  /** False with SANDBOX=off: `start` then serves no stand-ins (`integration-hub sandbox` still does). */
  enabled: boolean;
  host: string;
  pagerdutyPort: number;
  linearPort: number;
  /** Base URLs the stand-ins are reached on (consent pages, links in API answers). */
  pagerdutyUrl: string;
  linearUrl: string;
}

/** Thrown when the environment is invalid; the message lists every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses an environment. Pure: pass `process.env` (see {@link readConfigFromProcess})
 * or a plain object in tests.
 */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    // Never echo the offending value: it may be a secret.
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  const database: DatabaseConfig =
    e.DATABASE_URL === undefined
      ? { dialect: 'sqlite', file: path.join(dataDir, 'hub.db'), synchronous: e.SQLITE_SYNCHRONOUS }
      : e.DATABASE_URL.startsWith('sqlite:')
        ? {
            dialect: 'sqlite',
            file: path.resolve(e.DATABASE_URL.slice('sqlite:'.length).replace(/^\/\//, '')),
            synchronous: e.SQLITE_SYNCHRONOUS,
          }
        : { dialect: 'postgres', url: e.DATABASE_URL };
  const publicUrl = new URL(e.PUBLIC_URL ?? `http://localhost:${e.PORT}`);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database,
    publicUrl,
    trustProxy: e.TRUST_PROXY === 'true',
    masterKey: e.HUB_MASTER_KEY,
    previousMasterKeys: (e.HUB_MASTER_KEY_PREVIOUS?.split(',') ?? []).map((key) => masterKeySchema.parse(key)),
    bootstrapAdmin:
      e.HUB_ADMIN_EMAIL !== undefined && e.HUB_ADMIN_PASSWORD !== undefined
        ? { email: e.HUB_ADMIN_EMAIL, password: e.HUB_ADMIN_PASSWORD, organisationName: e.HUB_ADMIN_ORGANISATION }
        : undefined,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    logLevel: e.LOG_LEVEL,
    sandbox: {
      enabled: e.SANDBOX !== 'off',
      host: e.SANDBOX_HOST,
      pagerdutyPort: e.SANDBOX_PAGERDUTY_PORT,
      linearPort: e.SANDBOX_LINEAR_PORT,
      pagerdutyUrl: `http://localhost:${e.SANDBOX_PAGERDUTY_PORT}`,
      linearUrl: `http://localhost:${e.SANDBOX_LINEAR_PORT}`,
    },
  };
}

/** The only place in the hub that reads `process.env`. */
export function readConfigFromProcess(): Config {
  return parseConfig(process.env);
}

import path from 'node:path';
import { providersConfig, type ProvidersConfig } from './providers.js';
import { envSchema, HUB_ROLES, masterKeySchema } from './schema.js';

export {
  SANDBOX_OAUTH_CLIENT,
  type LinearProviderConfig,
  type PagerDutyProviderConfig,
  type ProviderMode,
  type ProvidersConfig,
} from './providers.js';

/**
 * What one process does (docs/deployment.md#process-roles): `web` serves HTTP (UI, API, webhook
 * intake, which enqueues) and runs no queue worker and no scheduler; `worker` runs the queue
 * worker and the scheduler and serves only /healthz, /readyz and /metrics; `all` does both.
 */
export type HubRole = (typeof HUB_ROLES)[number];

export { HUB_ROLES };

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
   * The built-in PagerDuty and Linear stand-ins, served beside the hub by `start` while a
   * provider has no real OAuth client configured (unless SANDBOX=off).
   */
  sandbox: SandboxConfig;
  /** How the hub reaches each provider: see {@link ProviderConfig}. */
  providers: ProvidersConfig;
  /** Timeout of every call to a provider (OAuth token endpoint, REST, GraphQL). */
  providerTimeoutMs: number;
  /** How often the connection keeper checks each connection's token (0: never). */
  connectionCheckIntervalMs: number;
  /** How often each organisation is reconciled, and scheduled jobs are made sure of (docs/queue.md#scheduled-jobs). */
  reconcileIntervalMs: number;
  /** The reconciliation sweep's share of each connection's rate limit (0 < share ≤ 1). */
  reconcileRateShare: number;
  /** Changes younger than this are left to their webhooks (the sweep looks at them next time). */
  reconcileGraceMs: number;
  /** Largest webhook body accepted (413 above it). */
  webhookBodyLimitBytes: number;
  /** Jobs this process runs at once (0: this process runs no queue worker). */
  workerConcurrency: number;
  /** What this process does (HUB_ROLE, or `start --role`): see {@link HubRole}. */
  role: HubRole;
  /**
   * Days deliveries (with their bodies), succeeded jobs and closed links' timelines are kept
   * before the retention purge deletes them (src/retention/); dead jobs and open links are kept.
   */
  retentionDays: number;
  /** How long a client may take to send a request: see {@link HttpTimeouts}. */
  httpTimeouts: HttpTimeouts;
  /** Bearer token that GET /metrics requires; undefined: /metrics is not served (404). A secret. */
  metricsToken: string | undefined;
}

/** Limits on slow clients (REQUEST_TIMEOUT_SECONDS, HEADERS_TIMEOUT_SECONDS, KEEP_ALIVE_TIMEOUT_SECONDS). */
export interface HttpTimeouts {
  /** The whole request (headers and body) must arrive within this, counted from its start. */
  requestMs: number;
  /** The headers must arrive within this; never more than `requestMs`. */
  headersMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveMs: number;
}

export interface SandboxConfig {
  /** False with SANDBOX=off, or when both providers have real OAuth clients: `start` then serves no stand-ins (`integration-hub sandbox` still does). */
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
  const pagerdutyUrl = `http://localhost:${e.SANDBOX_PAGERDUTY_PORT}`;
  const linearUrl = `http://localhost:${e.SANDBOX_LINEAR_PORT}`;
  const { pagerduty, linear } = providersConfig(e, { pagerduty: pagerdutyUrl, linear: linearUrl });
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
    providers: { pagerduty, linear },
    providerTimeoutMs: e.PROVIDER_TIMEOUT_SECONDS * 1000,
    connectionCheckIntervalMs: e.CONNECTION_CHECK_INTERVAL_SECONDS * 1000,
    reconcileIntervalMs: e.RECONCILE_INTERVAL_SECONDS * 1000,
    reconcileRateShare: e.RECONCILE_RATE_SHARE_PERCENT / 100,
    reconcileGraceMs: e.RECONCILE_GRACE_SECONDS * 1000,
    webhookBodyLimitBytes: e.WEBHOOK_BODY_LIMIT_BYTES,
    workerConcurrency: e.WORKER_CONCURRENCY,
    role: e.HUB_ROLE,
    retentionDays: e.RETENTION_DAYS,
    httpTimeouts: {
      requestMs: e.REQUEST_TIMEOUT_SECONDS * 1000,
      // Node refuses a headers timeout longer than the request timeout.
      headersMs: Math.min(e.HEADERS_TIMEOUT_SECONDS, e.REQUEST_TIMEOUT_SECONDS) * 1000,
      keepAliveMs: e.KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
    },
    metricsToken: e.METRICS_TOKEN,
    sandbox: {
      // Served while at least one provider has no real client to use instead.
      enabled: pagerduty.mode === 'sandbox' || linear.mode === 'sandbox',
      host: e.SANDBOX_HOST,
      pagerdutyPort: e.SANDBOX_PAGERDUTY_PORT,
      linearPort: e.SANDBOX_LINEAR_PORT,
      pagerdutyUrl,
      linearUrl,
    },
  };
}

/** The only place in the hub that reads `process.env`. */
export function readConfigFromProcess(): Config {
  return parseConfig(process.env);
}

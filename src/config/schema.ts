import { z } from 'zod';
import { nameCharacterProblem } from '../core/name-characters.js';

/**
 * The one schema for the hub's environment. Every variable is documented in
 * docs/configuration.md; keep the two in step.
 *
 * Secrets (HUB_MASTER_KEY, HUB_ADMIN_PASSWORD, client secrets, METRICS_TOKEN) have no defaults.
 */

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Process roles (docs/deployment.md#process-roles): HTTP only, queue work only, or both. */
export const HUB_ROLES = ['all', 'web', 'worker'] as const;

/** A 32-byte key written as standard or URL-safe base64. */
export const masterKeySchema = z
  .string()
  .trim()
  .refine((value) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(value), {
    error: 'must be base64 (generate one with: openssl rand -base64 32)',
  })
  .transform((value, ctx) => {
    const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length !== 32) {
      ctx.addIssue({
        code: 'custom',
        message: `must decode to exactly 32 bytes, got ${bytes.length} (generate one with: openssl rand -base64 32)`,
      });
      return z.NEVER;
    }
    return bytes;
  });

const emptyAsUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optional = <T extends z.ZodType>(schema: T) => z.preprocess(emptyAsUndefined, schema.optional());

const port = z.coerce.number().int().min(0).max(65535);

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A provider base URL: https, or http only towards this machine (a stand-in such as the
 * sandbox). Stored without a trailing slash.
 */
const providerUrl = z
  .url({ protocol: /^https?$/, error: 'must be an absolute URL such as https://api.pagerduty.com' })
  .refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || LOOPBACK_HOSTS.has(url.hostname);
  }, { error: 'must use https (plain http is allowed only for localhost, e.g. a stand-in)' })
  .transform((value) => value.replace(/\/+$/, ''));

export const envSchema = z
  .object({
    PORT: optional(port).default(3000),
    HOST: optional(z.string()).default('127.0.0.1'),
    DATA_DIR: optional(z.string()).default('./data'),
    DATABASE_URL: optional(
      z.string().refine((url) => /^(postgres|postgresql):\/\//.test(url) || url.startsWith('sqlite:'), {
        error: 'must be a postgres:// (or postgresql://) URL, or sqlite:<path>',
      }),
    ),
    SQLITE_SYNCHRONOUS: optional(z.enum(['NORMAL', 'FULL'])).default('NORMAL'),
    PUBLIC_URL: optional(
      z.url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL such as https://hub.example.com' }),
    ),
    TRUST_PROXY: optional(z.enum(['true', 'false'])).default('false'),
    HUB_MASTER_KEY: optional(masterKeySchema),
    HUB_MASTER_KEY_PREVIOUS: optional(z.string()),
    HUB_ADMIN_EMAIL: optional(z.email({ error: 'must be an e-mail address' })),
    HUB_ADMIN_PASSWORD: optional(z.string().min(12, 'must be at least 12 characters')),
    // Same character rules as an organisation name set through the API (docs/security.md).
    HUB_ADMIN_ORGANISATION: optional(
      z
        .string()
        .min(1)
        .max(100)
        .superRefine((name, ctx) => {
          const problem = nameCharacterProblem(name);
          if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
        }),
    ).default('My organisation'),
    SESSION_TTL_HOURS: optional(z.coerce.number().positive().max(24 * 90)).default(12),
    BODY_LIMIT_BYTES: optional(z.coerce.number().int().min(1024).max(50 * 1024 * 1024)).default(1024 * 1024),
    LOG_LEVEL: optional(z.enum(LOG_LEVELS)).default('info'),
    SANDBOX: optional(z.enum(['auto', 'off'])).default('auto'),
    SANDBOX_HOST: optional(z.string()).default('127.0.0.1'),
    SANDBOX_PAGERDUTY_PORT: optional(port.min(1)).default(4010),
    SANDBOX_LINEAR_PORT: optional(port.min(1)).default(4020),
    PAGERDUTY_CLIENT_ID: optional(z.string().trim().min(1)),
    PAGERDUTY_CLIENT_SECRET: optional(z.string().min(1)),
    PAGERDUTY_OAUTH: optional(z.enum(['scoped', 'classic'])).default('scoped'),
    PAGERDUTY_IDENTITY_URL: optional(providerUrl).default('https://identity.pagerduty.com'),
    PAGERDUTY_API_URL: optional(providerUrl).default('https://api.pagerduty.com'),
    PAGERDUTY_EU_API_URL: optional(providerUrl).default('https://api.eu.pagerduty.com'),
    LINEAR_CLIENT_ID: optional(z.string().trim().min(1)),
    LINEAR_CLIENT_SECRET: optional(z.string().min(1)),
    LINEAR_OAUTH_URL: optional(providerUrl).default('https://linear.app'),
    LINEAR_API_URL: optional(providerUrl).default('https://api.linear.app'),
    // At most the refresh margin (5 min), so an idle connection's token is always refreshed in time.
    CONNECTION_CHECK_INTERVAL_SECONDS: optional(z.coerce.number().int().min(0).max(300)).default(300),
    // Reconciliation sweeps and the check that every scheduled job is queued (docs/queue.md#scheduled-jobs).
    RECONCILE_INTERVAL_SECONDS: optional(z.coerce.number().int().min(10).max(86_400)).default(300),
    // The sweep's share of each connection's rate limit, in percent (docs/reconciliation.md#rate-share).
    RECONCILE_RATE_SHARE_PERCENT: optional(z.coerce.number().int().min(1).max(100)).default(20),
    // Changes younger than this are left to their webhooks, which may be on their way.
    RECONCILE_GRACE_SECONDS: optional(z.coerce.number().int().min(0).max(3600)).default(60),
    WEBHOOK_BODY_LIMIT_BYTES: optional(z.coerce.number().int().min(1024).max(10 * 1024 * 1024)).default(512 * 1024),
    WORKER_CONCURRENCY: optional(z.coerce.number().int().min(0).max(64)).default(16),
    // What this process does (docs/deployment.md#process-roles); `start --role` overrides it.
    HUB_ROLE: optional(z.enum(HUB_ROLES)).default('all'),
    // Deliveries, succeeded jobs and closed links' timelines older than this are purged (docs/queue.md#retention).
    RETENTION_DAYS: optional(z.coerce.number().int().min(1).max(3650)).default(30),
    PROVIDER_TIMEOUT_SECONDS: optional(z.coerce.number().positive().max(120)).default(10),
    // Slow clients (docs/configuration.md#slow-clients): a request not fully received in time is cut off.
    REQUEST_TIMEOUT_SECONDS: optional(z.coerce.number().int().min(1).max(600)).default(30),
    HEADERS_TIMEOUT_SECONDS: optional(z.coerce.number().int().min(1).max(600)).default(10),
    KEEP_ALIVE_TIMEOUT_SECONDS: optional(z.coerce.number().int().min(1).max(600)).default(72),
    // Bearer token for GET /metrics (docs/configuration.md#metrics); unset: /metrics is not served.
    METRICS_TOKEN: optional(
      z.string().trim().regex(/^[\x21-\x7e]{32,512}$/, 'must be 32 to 512 visible ASCII characters (generate one with: openssl rand -hex 32)'),
    ),
  })
  .superRefine((env, ctx) => {
    if ((env.HUB_ADMIN_EMAIL === undefined) !== (env.HUB_ADMIN_PASSWORD === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.HUB_ADMIN_EMAIL === undefined ? 'HUB_ADMIN_EMAIL' : 'HUB_ADMIN_PASSWORD'],
        message: 'HUB_ADMIN_EMAIL and HUB_ADMIN_PASSWORD must be set together',
      });
    }
    const usesPostgres = env.DATABASE_URL !== undefined && !env.DATABASE_URL.startsWith('sqlite:');
    if (usesPostgres && env.HUB_MASTER_KEY === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['HUB_MASTER_KEY'],
        message: 'is required with a PostgreSQL DATABASE_URL (only the embedded SQLite default may generate one)',
      });
    }
    if (env.SANDBOX_PAGERDUTY_PORT === env.SANDBOX_LINEAR_PORT) {
      ctx.addIssue({ code: 'custom', path: ['SANDBOX_LINEAR_PORT'], message: 'must differ from SANDBOX_PAGERDUTY_PORT' });
    }
    if (env.SANDBOX !== 'off' && (env.PORT === env.SANDBOX_PAGERDUTY_PORT || env.PORT === env.SANDBOX_LINEAR_PORT)) {
      ctx.addIssue({ code: 'custom', path: ['PORT'], message: 'must differ from the sandbox ports (SANDBOX_PAGERDUTY_PORT, SANDBOX_LINEAR_PORT)' });
    }
    for (const provider of ['PAGERDUTY', 'LINEAR'] as const) {
      const id = env[`${provider}_CLIENT_ID`];
      const secret = env[`${provider}_CLIENT_SECRET`];
      if ((id === undefined) !== (secret === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [id === undefined ? `${provider}_CLIENT_ID` : `${provider}_CLIENT_SECRET`],
          message: `${provider}_CLIENT_ID and ${provider}_CLIENT_SECRET must be set together`,
        });
      }
    }
    if (env.HUB_MASTER_KEY_PREVIOUS !== undefined) {
      for (const [index, key] of env.HUB_MASTER_KEY_PREVIOUS.split(',').entries()) {
        const parsed = masterKeySchema.safeParse(key);
        if (!parsed.success) {
          ctx.addIssue({
            code: 'custom',
            path: ['HUB_MASTER_KEY_PREVIOUS'],
            message: `key #${index + 1} ${parsed.error.issues[0]?.message ?? 'is invalid'}`,
          });
        }
      }
    }
  });

export type Env = z.infer<typeof envSchema>;

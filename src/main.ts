import type { FastifyInstance } from 'fastify';
import type { RunningSandbox } from '../sandbox/index.js';
import { ensureBootstrapAdmin } from './accounts/bootstrap.js';
import type { Config } from './config/index.js';
import { ConnectionsService } from './connections/connections-service.js';
import { waitingForConnection } from './connections/job-errors.js';
import { connectionCheckSchedule, createConnectionKeeper, registerConnectionCheck, type ConnectionKeeper } from './connections/keeper.js';
import { referenceCheckSchedule, registerReferenceCheck } from './rules/reference-check.js';
import { syncDelivery } from './sync/handle-delivery.js';
import { registerSyncMetrics } from './sync/metrics.js';
import { pageSkippedJob, resyncJob } from './sync/sync-jobs.js';
import { syncLaneResolver } from './sync/lane-resolver.js';
import { systemClock, type Clock } from './core/clock.js';
import { explainListenError } from './core/listen-errors.js';
import type { HubDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { openDatabaseOrExplain } from './db/open-or-explain.js';
import { buildApp } from './http/app.js';
import { buildProbeApp } from './http/probe-app.js';
import { roleProblem, runsQueue, servesWeb } from './config/roles.js';
import { OperatorError } from './core/operator-error.js';
import type { AppDeps } from './http/deps.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import { registerQueueDepthGauge } from './queue/metrics.js';
import { JobQueue } from './queue/queue.js';
import { defineSchedule, Scheduler, type Schedule } from './queue/schedules.js';
import { registerRetentionMetrics, type RetentionMetrics } from './retention/metrics.js';
import { PURGE_EVERY_MS, PURGE_EXPIRED, purgeExpiredJob } from './retention/purge-job.js';
import { repairWebhooksJob, repairWebhooksSchedule } from './webhooks/repair-job.js';
import { healDriftJob } from './reconcile/heal-job.js';
import { registerWebhookMetrics } from './webhooks/metrics.js';
import { registerReconcileMetrics } from './reconcile/metrics.js';
import { reconcileSchedule, reconcileSweepJob } from './reconcile/sweep-job.js';
import { QueueWorker } from './queue/worker.js';
import { providers } from './providers/registry.js';
import { followServiceJob } from './rules/follow-service-job.js';
import { RulesService } from './rules/rules-service.js';
import { openVault } from './vault/open.js';
import { ensureSubscriptionJob } from './webhooks/ensure-subscription-job.js';
import { processDeliveryJob } from './webhooks/process-delivery.js';
import { WebhooksService } from './webhooks/webhooks-service.js';

export interface RunningHub {
  app: FastifyInstance;
  deps: AppDeps;
  /** The built-in stand-ins, when this process serves them (sandbox mode). */
  sandbox: RunningSandbox | undefined;
  /** Checks and refreshes connections' tokens (a scheduled job runs its pass). */
  keeper: ConnectionKeeper;
  /** Makes sure every scheduled job has its pending instance (docs/queue.md#scheduled-jobs). */
  scheduler: Scheduler;
  /** Runs queued jobs (absent with WORKER_CONCURRENCY=0). */
  worker: QueueWorker | undefined;
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

/**
 * Opens the database and applies migrations; shared by `start`, `migrate` and `rotate-key`. A
 * database that cannot be reached or opened is an OperatorError (one line, exit 78).
 */
export async function openMigratedDatabase(config: Config, logger: Logger): Promise<HubDatabase> {
  const database = await openDatabaseOrExplain(config.database);
  try {
    const { applied } = await migrateToLatest(database);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
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
  try {
    return await app.listen({
      port: config.port,
      host: config.host,
      listenTextResolver: (address) => `Server listening at ${address}; open ${config.publicUrl.origin} in a browser`,
    });
  } catch (error) {
    throw explainListenError(error, `HOST ${config.host} PORT ${config.port}`, { port: 'PORT', host: 'HOST' });
  }
}

/**
 * The process entry for `integration-hub start`: config → database → migrate → vault →
 * sandbox (in sandbox mode) → HTTP app → scheduled jobs ensured (connection keeper, rule reference
 * check) → queue worker (unless WORKER_CONCURRENCY=0) → listen.
 */
export async function startHub(config: Config, options: StartOptions = {}): Promise<RunningHub> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  // Before anything is opened: a role this configuration cannot run is the operator's to fix.
  const refusal = roleProblem(config, options.database?.dialect ?? config.database.dialect);
  if (refusal !== undefined) throw new OperatorError(refusal);
  const database = options.database ?? (await openMigratedDatabase(config, logger));
  // What this call opened, closed in reverse order on failure and on close().
  const openedHere: Array<() => Promise<void>> = options.database === undefined ? [() => database.close()] : [];
  const closeOpened = async () => {
    for (const closeOne of openedHere.splice(0).reverse()) await closeOne().catch(() => undefined);
  };
  let app: FastifyInstance;
  let sandbox: RunningSandbox | undefined;
  let deps: AppDeps;
  let keeper: ConnectionKeeper;
  let scheduler: Scheduler;
  let worker: QueueWorker | undefined;
  let address: string;
  try {
    if (options.database !== undefined) await migrateToLatest(database);
    const vault = await openVault(config, database, logger, { clock });
    await ensureBootstrapAdmin(database, config.bootstrapAdmin, { logger, now: clock.now() });
    // Split roles run several processes: the stand-ins, when wanted, run once (`integration-hub sandbox`).
    sandbox = config.role === 'all' ? await startConfiguredSandbox(config, logger) : undefined;
    const running = sandbox;
    if (running !== undefined) openedHere.push(() => running.close());
    const metrics = createMetrics();
    registerQueueDepthGauge(metrics.registry, database);
    const syncMetrics = registerSyncMetrics(metrics.registry, database);
    const retentionMetrics = registerRetentionMetrics(metrics.registry);
    const connections = new ConnectionsService({ config, database, vault, clock, logger, metrics });
    const webhooks = new WebhooksService({ config, database, vault, clock, logger, connections, webhookMetrics: registerWebhookMetrics(metrics.registry) });
    connections.disconnectCleanups.push(webhooks.cleanupOnDisconnect);
    const queue = new JobQueue(database, clock, { laneResolver: syncLaneResolver });
    // Work that waited for a Disconnected connection runs as soon as it is reconnected.
    connections.onConnected.push((organisationId, provider) => queue.resumeWaiting(organisationId, waitingForConnection(provider)));
    const rules = new RulesService({ database, connections, clock, logger, queue });
    // Rules stay across a Disconnect (which deleted their subscriptions): reconnecting the pager subscribes again.
    connections.onConnected.push((organisationId, provider) =>
      provider === providers.incidentPager().name ? rules.followAllServices(organisationId) : Promise.resolve(),
    );
    deps = {
      config,
      database,
      logger,
      metrics,
      clock,
      vault,
      connections,
      queue,
      syncMetrics,
      webhooks,
      rules,
      sandbox: sandbox === undefined ? undefined : { pagerdutyUrl: sandbox.pagerdutyUrl, linearUrl: sandbox.linearUrl },
    };
    // A worker process serves only the probes (/healthz, /readyz, /metrics).
    app = servesWeb(config.role) ? await buildApp(deps) : buildProbeApp(deps);
    const built = app;
    openedHere.push(() => built.close());
    keeper = createConnectionKeeper(deps.connections, deps, config.connectionCheckIntervalMs);
    const startedKeeper = keeper;
    openedHere.push(() => startedKeeper.stop());
    scheduler = new Scheduler({ database, queue, clock, logger: logger.child({ component: 'scheduler' }) }, schedulesOf(config), {
      ensureEveryMs: config.reconcileIntervalMs,
    });
    const startedScheduler = scheduler;
    // Every process that runs the queue makes sure (the database keeps one pending instance per schedule); whichever worker claims one runs it.
    if (runsQueue(config.role)) await startedScheduler.ensureAll();
    connections.onConnected.push((organisationId) => startedScheduler.ensureOrganisation(organisationId));
    if (config.workerConcurrency > 0 && runsQueue(config.role)) {
      worker = createWorker(deps, keeper, scheduler, retentionMetrics);
      const startedWorker = worker;
      await startedWorker.start();
      openedHere.push(() => startedWorker.stop());
    }
    address = await listenOrExplain(app, config);
  } catch (error) {
    await closeOpened();
    throw error;
  }
  logger.info(
    { url: address, publicUrl: config.publicUrl.origin, database: database.dialect, role: config.role, workerId: worker?.id },
    `hub listening: open ${config.publicUrl.origin} in a browser`,
  );

  let closing: Promise<void> | undefined;
  // Reverse order: the worker (lets running jobs finish), the keeper, the app (stops accepting,
  // drains in-flight requests), the sandbox, the database.
  const close = () => (closing ??= closeOpened());
  return { app, deps, sandbox, keeper, scheduler, worker, url: address, close };
}

/**
 * The recurring jobs (queue/schedules.ts). With CONNECTION_CHECK_INTERVAL_SECONDS=0 the connection
 * check and the rule reference check are off, as before.
 */
function schedulesOf(config: Config): Array<Schedule<unknown>> {
  const every = config.connectionCheckIntervalMs;
  // Rules whose references were deleted upstream turn Needs attention within one interval.
  const checks = every > 0 ? [connectionCheckSchedule(every), referenceCheckSchedule(every)] : [];
  return [
    ...checks,
    // Webhooks deleted or disabled at a vendor are re-created or re-enabled (docs/webhooks.md#repair).
    repairWebhooksSchedule(config.reconcileIntervalMs),
    // Open links whose webhooks went missing, and missed creates, are healed (docs/reconciliation.md).
    reconcileSchedule(config.reconcileIntervalMs),
    // Deliveries, finished jobs and closed links' timelines older than RETENTION_DAYS (docs/queue.md#retention).
    defineSchedule({ kind: PURGE_EXPIRED, payload: {}, everyMs: PURGE_EVERY_MS, scope: { kind: 'installation' } }),
  ];
}

/** The queue worker of this process, with every job kind the hub runs. */
function createWorker(deps: AppDeps, keeper: ConnectionKeeper, scheduler: Scheduler, retentionMetrics: RetentionMetrics): QueueWorker {
  const { metrics } = deps;
  const reconcile = { ...deps, rateShare: deps.config.reconcileRateShare, intervalMs: deps.config.reconcileIntervalMs, graceMs: deps.config.reconcileGraceMs, reconcileMetrics: registerReconcileMetrics(metrics.registry) };
  return new QueueWorker({
    database: deps.database,
    queue: deps.queue,
    clock: deps.clock,
    logger: deps.logger.child({ component: 'queue-worker' }),
    jobs: [
      processDeliveryJob({ ...deps, handleDelivery: (delivery, jobId) => syncDelivery(deps, delivery, jobId) }),
      ensureSubscriptionJob(deps.webhooks),
      followServiceJob(deps.database.db, deps.webhooks),
      resyncJob(deps),
      pageSkippedJob(deps),
      healDriftJob(reconcile),
      reconcileSweepJob(reconcile, deps.logger),
      // Scheduled: registered even when their schedule is off, so an instance left from before still runs (once).
      registerConnectionCheck(keeper),
      registerReferenceCheck(deps),
      repairWebhooksJob(deps.webhooks, deps.logger),
      purgeExpiredJob({ database: deps.database, retentionDays: deps.config.retentionDays, metrics: retentionMetrics, clock: deps.clock, logger: deps.logger }),
      scheduler.job(),
    ],
    scheduler,
    concurrency: deps.config.workerConcurrency,
    // While a burst of webhooks saturates the process and backs work up, accepting them comes
    // first (docs/benchmarks.md); a steady flow the worker keeps up with runs at full concurrency.
    yieldAboveUtilisation: 0.9,
    onRunFinished: (job, outcome, durationMs, startedAt) => {
      metrics.jobRuns.inc({ kind: job.kind, outcome });
      metrics.jobDuration.observe({ kind: job.kind }, durationMs / 1000);
      if (outcome === 'succeeded') metrics.jobLatency.observe({ kind: job.kind }, Math.max(0, startedAt - job.runAt) / 1000);
    },
  });
}

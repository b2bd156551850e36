import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One registry per hub instance (not prom-client's global one) so that tests can run
 * several hubs in one process. Modules register their own metrics on `registry`.
 */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status_code'>;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  /** Connect clicks that came back, by provider and outcome (`succeeded` or the failure code). */
  connectAttempts: Counter<'provider' | 'outcome'>;
  /** Token refreshes, by provider and outcome: refreshed, discarded (lost a race), rejected (invalid_grant), failed (transient), throttled (due but rate-limited, not sent). */
  tokenRefreshes: Counter<'provider' | 'outcome'>;
  /** Connections marked Disconnected because their tokens stopped working, by provider and reason. */
  connectionsLost: Counter<'provider' | 'reason'>;
  /** Webhook requests, by provider and outcome: accepted, duplicate, signature_invalid, timestamp_stale, malformed, unknown_endpoint… */
  webhookDeliveries: Counter<'provider' | 'outcome'>;
  /** Job runs by kind and outcome (succeeded, retry, defer, dead), and how long they took. */
  jobRuns: Counter<'kind' | 'outcome'>;
  jobDuration: Histogram<'kind'>;
  /** From enqueue (or the scheduled time) to the start of the run that succeeded. */
  jobLatency: Histogram<'kind'>;
  /**
   * HTTP requests this process has received and not yet finished answering (request-metrics.ts
   * keeps it; the gauge hub_http_requests_in_flight shows it).
   */
  httpInFlight: { requests: number };
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'hub_' });
  const httpRequests = new Counter({
    name: 'hub_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'hub_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const connectAttempts = new Counter({
    name: 'hub_connect_attempts_total',
    help: 'OAuth connect attempts that returned to the hub, by provider and outcome (succeeded or the failure code)',
    labelNames: ['provider', 'outcome'] as const,
    registers: [registry],
  });
  const tokenRefreshes = new Counter({
    name: 'hub_token_refreshes_total',
    help: 'OAuth token refreshes, by provider and outcome (refreshed, discarded, rejected, failed; throttled: due but not sent, rate-limited)',
    labelNames: ['provider', 'outcome'] as const,
    registers: [registry],
  });
  const connectionsLost = new Counter({
    name: 'hub_connections_lost_total',
    help: 'Connections marked Disconnected because their tokens stopped working, by provider and reason',
    labelNames: ['provider', 'reason'] as const,
    registers: [registry],
  });
  const webhookDeliveries = new Counter({
    name: 'hub_webhook_deliveries_total',
    help: 'Webhook requests received, by provider and outcome (accepted, duplicate, replay, or why refused)',
    labelNames: ['provider', 'outcome'] as const,
    registers: [registry],
  });
  const jobRuns = new Counter({
    name: 'hub_job_runs_total',
    help: 'Job runs, by kind and outcome (succeeded, retry, defer, dead)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'hub_job_run_duration_seconds',
    help: 'Time one job run took, by kind',
    labelNames: ['kind'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const jobLatency = new Histogram({
    name: 'hub_job_latency_seconds',
    help: 'From when a job was due to when its run started, by kind',
    labelNames: ['kind'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60],
    registers: [registry],
  });
  const httpInFlight = { requests: 0 };
  new Gauge({
    name: 'hub_http_requests_in_flight',
    help: 'HTTP requests received and not yet answered by this process',
    registers: [registry],
    collect() {
      this.set(httpInFlight.requests);
    },
  });
  return {
    registry,
    httpInFlight,
    httpRequests,
    httpDuration,
    connectAttempts,
    tokenRefreshes,
    connectionsLost,
    webhookDeliveries,
    jobRuns,
    jobDuration,
    jobLatency,
  };
}

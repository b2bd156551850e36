import type { ConnectionsService } from '../connections/connections-service.js';
import type { Clock } from '../core/clock.js';
import type { HubDatabase } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import type { JobQueue } from '../queue/queue.js';
import { providers } from '../providers/registry.js';
import type { ProviderRequest } from '../providers/request.js';
import type { IncidentSync, IssueSync } from '../providers/roles.js';
import type { SyncMetrics } from './metrics.js';

/** What the sync engine needs (main.ts builds it). */
export interface SyncDeps {
  database: HubDatabase;
  connections: ConnectionsService;
  clock: Clock;
  logger: Logger;
  queue: JobQueue;
  /** Counted when given (main.ts); tests may leave it out. */
  syncMetrics?: SyncMetrics | undefined;
}

/** Calls the issue tracker's sync API with the organisation's connection (a fresh token, paced). */
export function onTracker<T>(deps: SyncDeps, organisationId: string, call: (tracker: IssueSync, request: ProviderRequest) => Promise<T>): Promise<T> {
  const tracker = providers.issueTracker();
  return deps.connections.withProvider(organisationId, tracker.name, (request) => call(tracker.issueTracker.sync, request));
}

/** Calls the incident pager's sync API with the organisation's connection. */
export function onPager<T>(deps: SyncDeps, organisationId: string, call: (pager: IncidentSync, request: ProviderRequest) => Promise<T>): Promise<T> {
  const pager = providers.incidentPager();
  return deps.connections.withProvider(organisationId, pager.name, (request) => call(pager.incidentPager.sync, request));
}

import type { Config, HubRole } from './index.js';
import { HUB_ROLES } from './schema.js';

/**
 * Process roles (docs/deployment.md#process-roles). `web` and `worker` split one hub over several
 * processes that share one PostgreSQL database; `all` is one process doing everything.
 */

/** Serves the UI, the API and the webhook intake (the rest serve only the probes). */
export const servesWeb = (role: HubRole): boolean => role !== 'worker';

/** Runs the queue worker and the scheduler. */
export const runsQueue = (role: HubRole): boolean => role !== 'web';

export function parseRole(value: string): HubRole | undefined {
  return (HUB_ROLES as readonly string[]).includes(value) ? (value as HubRole) : undefined;
}

/**
 * Why this configuration cannot start in its role, or undefined when it can. SQLite is one file
 * with one writer on one machine: split roles there would only add a second writer fighting for
 * its lock and a poll (no NOTIFY) between intake and worker, so they are refused; run one
 * process with role `all`. A worker with WORKER_CONCURRENCY=0 would do nothing at all.
 */
export function roleProblem(config: Pick<Config, 'role' | 'workerConcurrency'>, dialect: 'sqlite' | 'postgres'): string | undefined {
  if (config.role === 'all') return undefined;
  if (dialect !== 'postgres') {
    return `role ${config.role} needs PostgreSQL (DATABASE_URL=postgres://…): with SQLite run one process with role all (docs/deployment.md#process-roles)`;
  }
  if (config.role === 'worker' && config.workerConcurrency === 0) {
    return 'role worker needs WORKER_CONCURRENCY of 1 or more (0 means this process runs no queue worker)';
  }
  return undefined;
}

import { z } from 'zod';
import type { Clock } from '../core/clock.js';
import type { HubDatabase } from '../db/database.js';
import type { Logger } from '../observability/logger.js';
import { ProviderUnavailableError } from '../providers/errors.js';
import { defineJobKind, registerJob, type RegisteredJob } from '../queue/catalog.js';
import { defineSchedule, type Schedule } from '../queue/schedules.js';
import { providers } from '../providers/registry.js';
import type { Vault } from '../vault/vault.js';
import { purgeOldAttempts } from './connect-start.js';
import type { ConnectionsService } from './connections-service.js';
import { claimConnectionCheck, findKeeperCandidates, type KeeperCandidate } from './connections-repository.js';
import { ConnectionUnavailableError } from './errors.js';
import { REFRESH_MARGIN_MS, refreshDue } from './refresh-policy.js';

/**
 * Keeps connections alive and honest while nobody is looking: every `intervalMs` (a scheduled
 * job, `connections.check`, run by whichever process claims it: queue/schedules.ts), each
 * connected connection gets one cheap authenticated call (its provider's `healthCheck`:
 * PagerDuty GET /users/me, Linear `viewer`) through the normal token path. So a token about to expire is refreshed before it
 * does (a refresh token unused for its lifetime would die), and access revoked at the provider
 * turns the card Disconnected within one interval, not at the next user action.
 *
 * Across processes, each connection is checked by one process per interval: a conditional
 * UPDATE of `last_checked_at` claims it (a pass run by hand and the scheduled one may overlap). Failures are logged, never thrown; transient ones
 * leave the connection as it is. Each pass also purges connect attempts older than a day.
 */
export interface ConnectionKeeper {
  /** One pass over every connection due (tests call it directly). */
  runOnce(): Promise<{ checked: number }>;
  /** One pass that stops checking when `shouldStop` says so (the scheduled job's). */
  runPass(shouldStop: () => boolean): Promise<{ checked: number }>;
  /** Ends passes under way after the connection they are checking. */
  stop(): Promise<void>;
}

/** A pass stops taking connections after this long, well inside its job's time limit; the rest are still due next pass. */
export const KEEPER_PASS_BUDGET_MS = 30_000;

export const connectionCheckJob = defineJobKind({
  kind: 'connections.check',
  payload: z.strictObject({}),
  timeoutMs: 45_000,
  // Failures of single connections are logged by the pass; a failed pass (the database) is retried.
  retry: { maxAttempts: 3, baseDelayMs: 5_000, maxDelayMs: 60_000 },
});

/** The keeper's pass as the worker runs it. */
export function registerConnectionCheck(keeper: ConnectionKeeper): RegisteredJob {
  return registerJob(connectionCheckJob, async (_payload, context) => {
    const startedAt = Date.now();
    await keeper.runPass(() => context.signal.aborted || Date.now() - startedAt > KEEPER_PASS_BUDGET_MS);
  });
}

/** Installation-wide, every CONNECTION_CHECK_INTERVAL_SECONDS (not scheduled with 0). */
export function connectionCheckSchedule(intervalMs: number): Schedule<unknown> {
  return defineSchedule({ kind: connectionCheckJob, payload: {}, everyMs: intervalMs, scope: { kind: 'installation' } });
}

export function createConnectionKeeper(
  service: ConnectionsService,
  deps: { database: HubDatabase; vault: Vault; clock: Clock; logger: Logger },
  intervalMs: number,
): ConnectionKeeper {
  const log = deps.logger.child({ component: 'connection-keeper' });

  const checkOne = async ({ id, organisationId, provider }: KeeperCandidate) => {
    try {
      await service.withProvider(organisationId, provider, (request) => providers.get(provider).healthCheck(request));
    } catch (error) {
      if (error instanceof ConnectionUnavailableError) return; // recorded on the connection by the token path
      const level = error instanceof ProviderUnavailableError ? 'info' : 'warn';
      log[level]({ connectionId: id, provider, reason: error instanceof Error ? error.message : 'unknown' }, 'connection check failed');
    }
  };

  // With the check off (0), runOnce still judges "due" by the refresh margin.
  const dueAfterMs = intervalMs > 0 ? intervalMs : REFRESH_MARGIN_MS;
  let stopped = false;
  const runPass = async (shouldStop: () => boolean) => {
    const isStopped = () => stopped || shouldStop();
    const now = deps.clock.now();
    // Due: not checked for an interval, or its token is due for a refresh (the query takes the
    // widest margin; refreshDue applies the one scaled to the token's lifetime).
    const candidates = await findKeeperCandidates(deps.database.db, now - dueAfterMs, now + REFRESH_MARGIN_MS);
    const due = candidates.filter(
      (candidate) => candidate.lastCheckedAt === null || candidate.lastCheckedAt <= now - dueAfterMs || refreshDue(candidate, now),
    );
    await purgeOldAttempts(deps);
    let checked = 0;
    for (const candidate of due) {
      if (isStopped()) break;
      if (!(await claimConnectionCheck(deps.database.db, candidate, now))) continue; // another process took it
      await checkOne(candidate);
      checked++;
    }
    return { checked };
  };

  return {
    runOnce: () => runPass(() => false),
    runPass,
    stop: () => {
      stopped = true;
      return Promise.resolve();
    },
  };
}

import { z } from 'zod';
import { ConnectionUnavailableError } from '../connections/errors.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../observability/logger.js';
import { ProviderError } from '../providers/errors.js';
import { defineJobKind, registerJob, type RegisteredJob } from '../queue/catalog.js';
import { defineSchedule, type Schedule } from '../queue/schedules.js';
import { describeMissing, missingReferencesOf, sameReferences, type Upstream } from './missing-references.js';
import { liveReferenceSource, type ReferenceDeps, type ReferenceSource } from './reference-source.js';
import { appendHistory, findRule, listRules, updateRule } from './rules-repository.js';

/**
 * The reference check (issue 10 item 5): finds the rules whose team, states, service, projects,
 * labels or PagerDuty priority were deleted upstream and marks them **Needs attention** (they
 * page nothing until edited; the safety valve records what they skip), and clears the mark
 * when everything is back. Runs every CONNECTION_CHECK_INTERVAL_SECONDS per organisation with
 * rules, as the scheduled job `rules.check_references` (queue/schedules.ts); saving a rule
 * checks its references anyway.
 *
 * A change is written only when the rule is still at the version read, so a person saving the
 * rule meanwhile wins, and two processes checking at once record one history entry.
 */

export interface ReferenceCheckDeps extends ReferenceDeps {
  clock: Clock;
}

/** Upstream as the check needs it, read through one ReferenceSource (each list once). */
function upstreamOf(source: ReferenceSource): Upstream {
  const ids = (items: ReadonlyArray<{ id: string }>) => new Set(items.map((item) => item.id));
  return {
    team: async (teamId) => {
      const team = await source.team(teamId);
      return team === null ? null : { states: ids(team.states), projects: ids(team.projects), labels: ids(team.labels) };
    },
    serviceExists: async (serviceId) => (await source.service(serviceId)) !== null,
    priorities: async () => {
      const priorities = await source.priorities();
      return priorities === null ? null : ids(priorities);
    },
  };
}

/** Checks every rule of the organisation; returns how many changed status. */
export async function checkOrganisationReferences(deps: ReferenceCheckDeps, organisationId: string): Promise<{ checked: number; changed: number }> {
  const db = deps.database.db;
  const rules = await listRules(db, organisationId);
  if (rules.length === 0) return { checked: 0, changed: 0 };
  const upstream = upstreamOf(liveReferenceSource(deps, organisationId));
  let changed = 0;
  for (const rule of rules) {
    const missing = await missingReferencesOf(rule, upstream);
    if (sameReferences(rule.missingReferences, missing)) continue;
    const now = deps.clock.now();
    const written = await db.transaction().execute(async (trx) => {
      const current = await findRule(trx, organisationId, rule.id);
      if (current?.version !== rule.version) return false; // changed meanwhile: its save checked it
      await updateRule(trx, current, { missingReferences: missing }, { at: now, userId: null });
      const entry =
        missing.length > 0
          ? { action: 'needs_attention', changes: missing.map(describeMissing) }
          : { action: 'references_restored', changes: ['Everything the rule refers to exists again.'] };
      await appendHistory(trx, { organisationId, ruleId: rule.id, at: now, userId: null, ...entry });
      return true;
    });
    if (written) changed++;
  }
  return { checked: rules.length, changed };
}

export const referenceCheckJob = defineJobKind({
  kind: 'rules.check_references',
  payload: z.strictObject({}),
  timeoutMs: 45_000,
  // Vendor failures are logged and tried again next interval; a failed run (the database) is retried.
  retry: { maxAttempts: 3, baseDelayMs: 5_000, maxDelayMs: 60_000 },
});

/**
 * One instance per organisation with rules, every `intervalMs` (not scheduled with 0). An
 * organisation's first rule gets its instance at the Scheduler's next pass (RECONCILE_INTERVAL_SECONDS);
 * saving a rule checks its references anyway.
 */
export function referenceCheckSchedule(intervalMs: number): Schedule<unknown> {
  return defineSchedule({
    kind: referenceCheckJob,
    payload: {},
    everyMs: intervalMs,
    scope: {
      kind: 'organisation',
      organisations: async (db) => (await db.selectFrom('rules').select('organisation_id').distinct().execute()).map((row) => row.organisation_id),
    },
  });
}

/**
 * The check of one organisation as the worker runs it. An organisation whose connections are
 * not usable is skipped (its rules wait, as its work does); provider failures are logged and
 * tried again next interval — the run succeeds, so the next one is scheduled as usual.
 */
export function registerReferenceCheck(deps: ReferenceCheckDeps & { logger: Logger }): RegisteredJob {
  const log = deps.logger.child({ component: 'rule-reference-check' });
  return registerJob(referenceCheckJob, async (_payload, context) => {
    const organisationId = context.organisationId;
    if (organisationId === null) return;
    try {
      const { changed } = await checkOrganisationReferences(deps, organisationId);
      if (changed > 0) log.info({ organisationId, changed }, 'rules changed status after a reference check');
    } catch (error) {
      if (error instanceof ConnectionUnavailableError) return;
      if (!(error instanceof ProviderError)) throw error;
      log.info({ organisationId, reason: error.message }, 'rule reference check failed');
    }
  });
}

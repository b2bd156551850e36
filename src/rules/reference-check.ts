import { ConnectionUnavailableError } from '../connections/errors.js';
import type { Clock } from '../core/clock.js';
import { startPeriodic } from '../core/periodic.js';
import type { Logger } from '../observability/logger.js';
import { ProviderError } from '../providers/errors.js';
import { describeMissing, missingReferencesOf, sameReferences, type Upstream } from './missing-references.js';
import { liveReferenceSource, type ReferenceDeps, type ReferenceSource } from './reference-source.js';
import { appendHistory, findRule, listRules, updateRule } from './rules-repository.js';

/**
 * The reference check (issue 10 item 5): finds the rules whose team, states, service, projects,
 * labels or PagerDuty priority were deleted upstream and marks them **Needs attention** (they
 * page nothing until edited; the safety valve records what they skip), and clears the mark
 * when everything is back. Runs every CONNECTION_CHECK_INTERVAL_SECONDS per organisation with
 * rules (`startReferenceWatch`); saving a rule checks its references anyway.
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

export interface ReferenceWatch {
  /** One pass over every organisation with rules (tests call it directly). */
  runOnce(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Checks every organisation's rules every `intervalMs` (0: only when runOnce is called). An
 * organisation whose connections are not usable is skipped (its rules wait, as its work does);
 * provider failures are logged and tried again next pass.
 */
export function startReferenceWatch(deps: ReferenceCheckDeps & { logger: Logger }, intervalMs: number): ReferenceWatch {
  const log = deps.logger.child({ component: 'rule-reference-check' });
  const runOnce = async (isStopped: () => boolean) => {
    const organisations = await deps.database.db.selectFrom('rules').select('organisation_id').distinct().execute();
    for (const { organisation_id: organisationId } of organisations) {
      if (isStopped()) return;
      try {
        const { changed } = await checkOrganisationReferences(deps, organisationId);
        if (changed > 0) log.info({ organisationId, changed }, 'rules changed status after a reference check');
      } catch (error) {
        if (error instanceof ConnectionUnavailableError) continue;
        const level = error instanceof ProviderError ? 'info' : 'warn';
        log[level]({ organisationId, reason: error instanceof Error ? error.message : 'unknown' }, 'rule reference check failed');
      }
    }
  };
  return startPeriodic(runOnce, intervalMs, (error) => log.error({ err: error }, 'rule reference check pass failed'));
}

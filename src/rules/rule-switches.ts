import { fail, ok, type Result } from '../core/result.js';
import type { Actor, RulesDeps } from './deps.js';
import { followService } from './follow-service-job.js';
import { editingAllowed, type ConnectionRefusal } from './readiness.js';
import type { StoredRule } from './rule.js';
import { appendHistory, deleteRule, findRule, updateRule, type RuleChanges } from './rules-repository.js';
import { ranked } from './save-rule.js';

/**
 * The one-click changes of a saved rule: enable, disable, resume (the safety valve's pause),
 * delete. None carries a version: each reads the rule and writes it in one transaction, trying
 * again when someone saved in between. Enabling needs both connections Connected (as editing
 * does); disabling, resuming and deleting work while one is Disconnected.
 */

const notFound = () => fail('rule_not_found', 'No such rule.');

/** Attempts before a switch gives up to a stream of concurrent saves. */
const ATTEMPTS = 3;

type Decision<Code extends string> =
  | { kind: 'change'; changes: RuleChanges; action: 'enabled' | 'disabled' | 'resumed'; lines: string[]; followsService: boolean }
  | { kind: 'unchanged' }
  | { kind: 'refuse'; code: Code; message: string };

/** Reads the rule, decides, writes the change with its history entry; retried on a concurrent save. */
async function switchRule<Code extends string>(
  deps: RulesDeps,
  organisationId: string,
  actor: Actor,
  id: string,
  decide: (rule: StoredRule) => Decision<Code>,
): Promise<Result<StoredRule, Code | 'rule_not_found' | 'rule_changed'>> {
  const db = deps.database.db;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    let action: string | undefined;
    const outcome = await db.transaction().execute(async (trx) => {
      const current = await findRule(trx, organisationId, id);
      if (current === undefined) return notFound();
      const decision = decide(current);
      if (decision.kind === 'refuse') return fail(decision.code, decision.message);
      if (decision.kind === 'unchanged') return ok(current);
      const at = deps.clock.now();
      const saved = await updateRule(trx, current, decision.changes, { at, userId: actor.userId });
      if (saved === undefined) return undefined;
      await appendHistory(trx, { ruleId: id, organisationId, at, userId: actor.userId, action: decision.action, changes: decision.lines });
      if (decision.followsService) await followService(deps.queue, trx, organisationId, { id: saved.routing.serviceId, name: saved.names.service });
      action = decision.action;
      return ok(saved);
    });
    if (outcome === undefined) continue;
    if (!outcome.ok) return outcome;
    if (action !== undefined) {
      deps.queue.wake();
      deps.logger.info({ organisationId, ruleId: id, by: actor.userId }, `rule ${action}`);
    }
    return ok(await ranked(deps, outcome.value));
  }
  return fail('rule_changed', 'The rule kept changing while this change was being made: reload it and try again.');
}

/** Turns the rule's switch on (its service's subscription is ensured). Idempotent. */
export async function enableRule(
  deps: RulesDeps,
  organisationId: string,
  actor: Actor,
  id: string,
): Promise<Result<StoredRule, ConnectionRefusal | 'rule_not_found' | 'rule_changed'>> {
  if ((await findRule(deps.database.db, organisationId, id)) === undefined) return notFound();
  const allowed = await editingAllowed(deps.database.db, organisationId);
  if (!allowed.ok) return allowed;
  return switchRule<never>(deps, organisationId, actor, id, (rule) =>
    rule.enabled ? { kind: 'unchanged' } : { kind: 'change', changes: { enabled: true }, action: 'enabled', lines: ['Enabled: off → on'], followsService: true },
  );
}

/** Turns the rule's switch off (the last enabled rule on a service releases its subscription). Idempotent. */
export function disableRule(deps: RulesDeps, organisationId: string, actor: Actor, id: string): Promise<Result<StoredRule, 'rule_not_found' | 'rule_changed'>> {
  return switchRule<never>(deps, organisationId, actor, id, (rule) =>
    rule.enabled ? { kind: 'change', changes: { enabled: false }, action: 'disabled', lines: ['Enabled: on → off'], followsService: true } : { kind: 'unchanged' },
  );
}

/** Ends the safety valve's pause; only a paused rule can be resumed. */
export function resumeRule(
  deps: RulesDeps,
  organisationId: string,
  actor: Actor,
  id: string,
): Promise<Result<StoredRule, 'rule_not_paused' | 'rule_not_found' | 'rule_changed'>> {
  return switchRule(deps, organisationId, actor, id, (rule) =>
    rule.pausedAt === null
      ? { kind: 'refuse', code: 'rule_not_paused' as const, message: `Rule “${rule.name}” is not paused: there is nothing to resume.` }
      : {
          kind: 'change',
          changes: { pausedAt: null, pausedReason: null },
          action: 'resumed',
          lines: [`Paused since ${new Date(rule.pausedAt).toISOString()}: ${rule.pausedReason ?? 'no reason recorded'}`],
          followsService: false,
        },
  );
}

/**
 * Deletes the rule. Its history stays (with a last `deleted` entry, read by no endpoint); its
 * service's subscription is released when no enabled rule is left on it.
 */
export async function removeRule(deps: RulesDeps, organisationId: string, actor: Actor, id: string): Promise<Result<undefined, 'rule_not_found'>> {
  const deleted = await deps.database.db.transaction().execute(async (trx) => {
    const current = await findRule(trx, organisationId, id);
    if (current === undefined || !(await deleteRule(trx, organisationId, id))) return undefined;
    const at = deps.clock.now();
    await appendHistory(trx, { ruleId: id, organisationId, at, userId: actor.userId, action: 'deleted', changes: [`Name: ${current.name}`] });
    await followService(deps.queue, trx, organisationId, { id: current.routing.serviceId, name: current.names.service });
    return current;
  });
  if (deleted === undefined) return notFound();
  deps.queue.wake();
  deps.logger.info({ organisationId, ruleId: id, by: actor.userId }, 'rule deleted');
  return ok();
}

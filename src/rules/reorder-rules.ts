import { fail, ok, type Result } from '../core/result.js';
import type { Actor, RulesDeps } from './deps.js';
import type { StoredRule } from './rule.js';
import { appendHistory, listRules, setPositions } from './rules-repository.js';

/**
 * The new evaluation order: every one of the organisation's rules, each once. Anything else —
 * a rule missing (created meanwhile), one too many (deleted meanwhile, or another
 * organisation's), a repeat — is refused as `rules_changed`: the person's list is stale.
 * Each rule whose place changes gets a `moved` history entry.
 */
export async function reorderRules(
  deps: RulesDeps,
  organisationId: string,
  actor: Actor,
  order: readonly string[],
): Promise<Result<StoredRule[], 'rules_changed'>> {
  const reordered = await deps.database.db.transaction().execute(async (trx) => {
    const current = await listRules(trx, organisationId);
    const ids = new Set(current.map((rule) => rule.id));
    if (order.length !== current.length || new Set(order).size !== order.length || !order.every((id) => ids.has(id))) return undefined;
    const at = deps.clock.now();
    await setPositions(trx, organisationId, order, { at, userId: actor.userId });
    for (const [index, rule] of current.entries()) {
      const to = order.indexOf(rule.id);
      if (to === index) continue;
      await appendHistory(trx, { ruleId: rule.id, organisationId, at, userId: actor.userId, action: 'moved', changes: [`Position: ${index + 1} → ${to + 1}`] });
    }
    return listRules(trx, organisationId);
  });
  if (reordered === undefined) {
    return fail('rules_changed', 'The rules changed since the list was loaded (a rule was added or deleted): reload the list and move the rule again.');
  }
  deps.logger.info({ organisationId, by: actor.userId }, 'rules reordered');
  return ok(withRanks(reordered));
}

/** Rules in evaluation order with their 1-based places as `position`. */
export function withRanks(rules: readonly StoredRule[]): StoredRule[] {
  return rules.map((rule, index) => ({ ...rule, position: index + 1 }));
}

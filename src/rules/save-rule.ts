import { fail, ok, type Result } from '../core/result.js';
import { isUniqueViolation } from '../db/errors.js';
import type { Actor, RulesDeps } from './deps.js';
import { followService } from './follow-service-job.js';
import { editingAllowed, type ConnectionRefusal } from './readiness.js';
import { checkReferences, type ReferenceProblem, type RuleDraft } from './references.js';
import type { StoredRule } from './rule.js';
import { describeChanges } from './rule-changes.js';
import { appendHistory, findRule, findRuleByName, insertRule, nextPosition, rankOf, updateRule } from './rules-repository.js';

/**
 * Creating a rule and saving the whole form over one (issue 10 items 2, 5, 8, 11). Both need
 * both connections Connected; the references are checked live (references.ts) before anything
 * is written; the rule, its history entry and the job that makes its service's subscription
 * follow (follow-service-job.ts) are written in one transaction.
 */

/** The rule form, in the domain's words (the route maps the API body to it). */
export interface RuleForm extends RuleDraft {
  name: string;
  enabled: boolean;
  incidentsPerHour: number;
}

export type NameRefusal = 'rule_name_taken';
export type SaveRefusal = ConnectionRefusal | 'invalid_rule' | NameRefusal;

const nameTaken = (name: string) =>
  fail('rule_name_taken', `A rule named “${name}” exists already (names are compared ignoring case): choose another name.`, [
    { path: 'name', message: 'is taken by another rule' },
  ] satisfies ReferenceProblem[]);

/** The rule with its 1-based place in the evaluation order as `position`. */
export async function ranked(deps: RulesDeps, rule: StoredRule): Promise<StoredRule> {
  return { ...rule, position: await rankOf(deps.database.db, rule) };
}

export async function createRule(deps: RulesDeps, organisationId: string, actor: Actor, form: RuleForm): Promise<Result<StoredRule, SaveRefusal>> {
  const db = deps.database.db;
  const allowed = await editingAllowed(db, organisationId);
  if (!allowed.ok) return allowed;
  if ((await findRuleByName(db, organisationId, form.name)) !== undefined) return nameTaken(form.name);
  const checked = await checkReferences(deps, organisationId, form);
  if (!checked.ok) return checked;
  const at = deps.clock.now();
  let created: StoredRule;
  try {
    created = await db.transaction().execute(async (trx) => {
      const rule = await insertRule(trx, {
        organisationId,
        name: form.name,
        position: await nextPosition(trx, organisationId),
        enabled: form.enabled,
        pausedAt: null,
        pausedReason: null,
        missingReferences: [],
        ...checked.value,
        incidentsPerHour: form.incidentsPerHour,
        createdAt: at,
        createdBy: actor.userId,
      });
      await appendHistory(trx, { ruleId: rule.id, organisationId, at, userId: actor.userId, action: 'created', changes: [] });
      await followService(deps.queue, trx, organisationId, { id: rule.routing.serviceId, name: rule.names.service });
      return rule;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return nameTaken(form.name);
    throw error;
  }
  deps.queue.wake();
  deps.logger.info({ organisationId, ruleId: created.id, by: actor.userId }, 'rule created');
  return ok(await ranked(deps, created));
}

export type UpdateRefusal = SaveRefusal | 'rule_not_found' | 'rule_changed';

const notFound = () => fail('rule_not_found', 'No such rule.');
const changedMeanwhile = () =>
  fail('rule_changed', 'Someone changed this rule since you opened it: reload it and make your change again.');

/** Nothing stored would differ (the same settings, names and no missing references). */
function unchanged(current: StoredRule, next: Pick<StoredRule, 'name' | 'enabled' | 'incidentsPerHour' | 'filters' | 'routing' | 'sync' | 'names'>): boolean {
  // Keys sorted: the same settings compare equal whatever order their objects were built in.
  const sortedKeys = (_key: string, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value;
  const settings = (rule: typeof next) =>
    JSON.stringify([rule.name, rule.enabled, rule.incidentsPerHour, rule.filters, rule.routing, rule.sync, rule.names], sortedKeys);
  return current.missingReferences.length === 0 && settings(current) === settings(next);
}

/**
 * Saves the whole form over the rule at `version`. References that were missing are checked
 * again, so a successful save also ends **Needs attention**. A save that would store nothing
 * new writes nothing (no version, no history) but still ensures the service's subscription.
 */
export async function saveRule(
  deps: RulesDeps,
  organisationId: string,
  actor: Actor,
  id: string,
  form: RuleForm & { version: number },
): Promise<Result<StoredRule, UpdateRefusal>> {
  const db = deps.database.db;
  const current = await findRule(db, organisationId, id);
  if (current === undefined) return notFound();
  const allowed = await editingAllowed(db, organisationId);
  if (!allowed.ok) return allowed;
  if (current.version !== form.version) return changedMeanwhile();
  const holder = await findRuleByName(db, organisationId, form.name);
  if (holder !== undefined && holder.id !== id) return nameTaken(form.name);
  const checked = await checkReferences(deps, organisationId, form);
  if (!checked.ok) return checked;
  const next = { name: form.name, enabled: form.enabled, incidentsPerHour: form.incidentsPerHour, missingReferences: [], ...checked.value };
  const changes = describeChanges(current, next);
  if (current.missingReferences.length > 0) changes.push(`Needs attention: cleared (${current.missingReferences.map((ref) => ref.name ?? ref.id).join(', ')} replaced)`);
  const at = deps.clock.now();
  let saved: StoredRule | undefined;
  try {
    saved = await db.transaction().execute(async (trx) => {
      if (unchanged(current, next)) {
        await followService(deps.queue, trx, organisationId, { id: current.routing.serviceId, name: current.names.service });
        return current;
      }
      const rule = await updateRule(trx, current, next, { at, userId: actor.userId });
      if (rule === undefined) return undefined;
      await appendHistory(trx, { ruleId: id, organisationId, at, userId: actor.userId, action: 'updated', changes });
      await followService(deps.queue, trx, organisationId, { id: rule.routing.serviceId, name: rule.names.service });
      if (current.routing.serviceId !== rule.routing.serviceId) {
        // The rule left its old service: that one's subscription goes if no enabled rule is left on it.
        await followService(deps.queue, trx, organisationId, { id: current.routing.serviceId, name: current.names.service });
      }
      return rule;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return nameTaken(form.name);
    throw error;
  }
  if (saved === undefined) return (await findRule(db, organisationId, id)) === undefined ? notFound() : changedMeanwhile();
  deps.queue.wake();
  deps.logger.info({ organisationId, ruleId: id, by: actor.userId, version: saved.version }, 'rule updated');
  return ok(await ranked(deps, saved));
}

import { fail, ok, type Result } from '../core/result.js';
import type { Actor, RulesDeps } from './deps.js';
import { followService } from './follow-service-job.js';
import { rulesReadiness, type ConnectionRefusal, type RulesReadiness } from './readiness.js';
import { reorderRules, withRanks } from './reorder-rules.js';
import type { StoredRule } from './rule.js';
import { disableRule, enableRule, removeRule, resumeRule } from './rule-switches.js';
import { enabledRulesByService, findRule, listHistory, listRules, servicesOfEnabledRules, type RuleHistoryEntry } from './rules-repository.js';
import { createRule, ranked, saveRule, type RuleForm, type SaveRefusal, type UpdateRefusal } from './save-rule.js';

export type { RuleForm } from './save-rule.js';

/**
 * Rules (issue 10): the one entry for routes, jobs and main.ts; each operation lives in its own
 * module. Every change is written with its history entry in one transaction, and when it may
 * change which services have an enabled rule, with the `rules.follow_service` job that makes
 * the service's PagerDuty subscription follow. Expected outcomes are Results; provider failures
 * while checking references are thrown (ProviderError, ConnectionUnavailableError). Rules
 * returned carry their 1-based place in the evaluation order as `position`.
 */
export class RulesService {
  readonly #deps: RulesDeps;

  constructor(deps: RulesDeps) {
    this.#deps = deps;
  }

  /** The rules in evaluation order, and what the Rules tab's checklist shows. */
  async list(organisationId: string): Promise<{ readiness: RulesReadiness; rules: StoredRule[] }> {
    const db = this.#deps.database.db;
    return { readiness: await rulesReadiness(db, organisationId), rules: withRanks(await listRules(db, organisationId)) };
  }

  /** One rule and its history (newest first). */
  async get(organisationId: string, id: string): Promise<Result<{ rule: StoredRule; history: RuleHistoryEntry[] }, 'rule_not_found'>> {
    const db = this.#deps.database.db;
    const rule = await findRule(db, organisationId, id);
    if (rule === undefined) return fail('rule_not_found', 'No such rule.');
    return ok({ rule: await ranked(this.#deps, rule), history: await listHistory(db, organisationId, id) });
  }

  create(organisationId: string, actor: Actor, form: RuleForm): Promise<Result<StoredRule, SaveRefusal>> {
    return createRule(this.#deps, organisationId, actor, form);
  }

  /** Saves the whole form at `version` (409 rule_changed when someone saved meanwhile). */
  update(organisationId: string, actor: Actor, id: string, form: RuleForm & { version: number }): Promise<Result<StoredRule, UpdateRefusal>> {
    return saveRule(this.#deps, organisationId, actor, id, form);
  }

  remove(organisationId: string, actor: Actor, id: string): Promise<Result<undefined, 'rule_not_found'>> {
    return removeRule(this.#deps, organisationId, actor, id);
  }

  reorder(organisationId: string, actor: Actor, order: readonly string[]): Promise<Result<StoredRule[], 'rules_changed'>> {
    return reorderRules(this.#deps, organisationId, actor, order);
  }

  enable(organisationId: string, actor: Actor, id: string): Promise<Result<StoredRule, ConnectionRefusal | 'rule_not_found' | 'rule_changed'>> {
    return enableRule(this.#deps, organisationId, actor, id);
  }

  disable(organisationId: string, actor: Actor, id: string): Promise<Result<StoredRule, 'rule_not_found' | 'rule_changed'>> {
    return disableRule(this.#deps, organisationId, actor, id);
  }

  resume(organisationId: string, actor: Actor, id: string): Promise<Result<StoredRule, 'rule_not_paused' | 'rule_not_found' | 'rule_changed'>> {
    return resumeRule(this.#deps, organisationId, actor, id);
  }

  /** The enabled rules by the service they route to (the Webhooks tab: which rules keep a subscription). */
  enabledRulesByService(organisationId: string): Promise<Map<string, Array<{ id: string; name: string }>>> {
    return enabledRulesByService(this.#deps.database.db, organisationId);
  }

  /**
   * After the incident pager is (re)connected: every service with an enabled rule gets its
   * subscription again (Disconnect deleted them; rules stayed). Main.ts calls it from
   * ConnectionsService.onConnected.
   */
  async followAllServices(organisationId: string): Promise<void> {
    const db = this.#deps.database.db;
    const services = await servicesOfEnabledRules(db, organisationId);
    if (services.length === 0) return;
    await db.transaction().execute(async (trx) => {
      for (const service of services) await followService(this.#deps.queue, trx, organisationId, service);
    });
    this.#deps.queue.wake();
  }
}

import type { FastifyInstance } from 'fastify';
import { rulesApi } from '../../../../api/rules.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { httpFailure } from '../../../failures.js';
import { requireAdmin } from '../../../guards.js';
import { RULE_STATUSES } from './failures.js';
import { peopleOf, ruleView } from './views.js';

/**
 * POST /api/rules/reorder — admin: the new evaluation order, every rule's id once. 409
 * rules_changed when the ids are not exactly the organisation's rules.
 */
export function registerReorderRules(app: FastifyInstance, deps: AppDeps): void {
  route(app, rulesApi.reorder, async (request, _reply, input) => {
    const { organisation, user } = requireAdmin(request);
    input.query();
    const { order } = input.body();
    const reordered = await deps.rules.reorder(organisation.id, { userId: user.id }, order);
    if (!reordered.ok) throw httpFailure(reordered, RULE_STATUSES);
    const people = await peopleOf(deps.database.db, organisation.id);
    return { rules: reordered.value.map((rule) => ruleView(rule, people)) };
  });
}

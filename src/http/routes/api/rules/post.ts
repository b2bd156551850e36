import type { FastifyInstance } from 'fastify';
import { rulesApi } from '../../../../api/rules.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { httpFailure } from '../../../failures.js';
import { requireAdmin } from '../../../guards.js';
import { RULE_STATUSES } from './failures.js';
import { peopleOf, ruleFormOf, ruleView } from './views.js';

/**
 * POST /api/rules — admin: creates a rule at the end of the order; its service's PagerDuty
 * subscription follows (a job). 201. 400 invalid_body / invalid_rule; 409 rule_name_taken /
 * not_connected / connection_disconnected.
 */
export function registerPostRule(app: FastifyInstance, deps: AppDeps): void {
  route(app, rulesApi.create, async (request, _reply, input) => {
    const { organisation, user } = requireAdmin(request);
    input.query();
    const body = input.body();
    const created = await deps.rules.create(organisation.id, { userId: user.id }, ruleFormOf(body));
    if (!created.ok) throw httpFailure(created, RULE_STATUSES);
    return { rule: ruleView(created.value, await peopleOf(deps.database.db, organisation.id)) };
  });
}

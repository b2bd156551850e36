import type { FastifyInstance } from 'fastify';
import { rulesApi } from '../../../../../api/rules.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { httpFailure } from '../../../../failures.js';
import { requireAdmin } from '../../../../guards.js';
import { RULE_STATUSES } from '../failures.js';
import { peopleOf, ruleView } from '../views.js';

/** POST /api/rules/:id/disable — admin, also while a connection is Disconnected: turns the rule off; the last enabled rule on a service releases its subscription. 404 rule_not_found. */
export function registerDisableRule(app: FastifyInstance, deps: AppDeps): void {
  route(app, rulesApi.disable, async (request, _reply, input) => {
    const { organisation, user } = requireAdmin(request);
    const { id } = input.params();
    input.query();
    input.body();
    const changed = await deps.rules.disable(organisation.id, { userId: user.id }, id);
    if (!changed.ok) throw httpFailure(changed, RULE_STATUSES);
    return { rule: ruleView(changed.value, await peopleOf(deps.database.db, organisation.id)) };
  });
}

import type { FastifyInstance } from 'fastify';
import { rulesApi } from '../../../../../api/rules.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { httpFailure } from '../../../../failures.js';
import { requireAdmin } from '../../../../guards.js';
import { RULE_STATUSES } from '../failures.js';
import { peopleOf, ruleView } from '../views.js';

/** POST /api/rules/:id/enable — admin: turns the rule on (needs both connections Connected); its service's subscription follows. 404 rule_not_found; 409 not_connected / connection_disconnected. */
export function registerEnableRule(app: FastifyInstance, deps: AppDeps): void {
  route(app, rulesApi.enable, async (request, _reply, input) => {
    const { organisation, user } = requireAdmin(request);
    const { id } = input.params();
    input.query();
    input.body();
    const changed = await deps.rules.enable(organisation.id, { userId: user.id }, id);
    if (!changed.ok) throw httpFailure(changed, RULE_STATUSES);
    return { rule: ruleView(changed.value, await peopleOf(deps.database.db, organisation.id)) };
  });
}

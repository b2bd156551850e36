import type { FastifyInstance } from 'fastify';
import { rulesApi } from '../../../../../api/rules.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { httpFailure } from '../../../../failures.js';
import { requireAdmin } from '../../../../guards.js';
import { RULE_STATUSES } from '../failures.js';
import { peopleOf, ruleView } from '../views.js';

/** POST /api/rules/:id/resume — admin: ends a safety-valve pause. 404 rule_not_found; 409 rule_not_paused. */
export function registerResumeRule(app: FastifyInstance, deps: AppDeps): void {
  route(app, rulesApi.resume, async (request, _reply, input) => {
    const { organisation, user } = requireAdmin(request);
    const { id } = input.params();
    input.query();
    input.body();
    const changed = await deps.rules.resume(organisation.id, { userId: user.id }, id);
    if (!changed.ok) throw httpFailure(changed, RULE_STATUSES);
    return { rule: ruleView(changed.value, await peopleOf(deps.database.db, organisation.id)) };
  });
}

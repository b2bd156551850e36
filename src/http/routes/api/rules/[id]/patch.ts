import type { FastifyInstance } from 'fastify';
import { rulesApi } from '../../../../../api/rules.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { httpFailure } from '../../../../failures.js';
import { requireAdmin } from '../../../../guards.js';
import { RULE_STATUSES } from '../failures.js';
import { peopleOf, ruleFormOf, ruleView } from '../views.js';

/**
 * PATCH /api/rules/:id — admin: saves the whole form at `version`. 404 rule_not_found; 400
 * invalid_body / invalid_rule; 409 rule_changed / rule_name_taken / not_connected /
 * connection_disconnected.
 */
export function registerPatchRule(app: FastifyInstance, deps: AppDeps): void {
  route(app, rulesApi.update, async (request, _reply, input) => {
    const { organisation, user } = requireAdmin(request);
    const { id } = input.params();
    input.query();
    const body = input.body();
    const saved = await deps.rules.update(organisation.id, { userId: user.id }, id, { ...ruleFormOf(body), version: body.version });
    if (!saved.ok) throw httpFailure(saved, RULE_STATUSES);
    return { rule: ruleView(saved.value, await peopleOf(deps.database.db, organisation.id)) };
  });
}

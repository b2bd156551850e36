import type { FastifyInstance } from 'fastify';
import { rulesApi } from '../../../../../api/rules.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { httpFailure } from '../../../../failures.js';
import { requireSession } from '../../../../guards.js';
import { RULE_STATUSES } from '../failures.js';
import { historyView, peopleOf, ruleView } from '../views.js';

/** GET /api/rules/:id — any logged-in user: the rule and its history (newest first); 404 rule_not_found. */
export function registerGetRule(app: FastifyInstance, deps: AppDeps): void {
  route(app, rulesApi.get, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    const { id } = input.params();
    input.query();
    const found = await deps.rules.get(organisation.id, id);
    if (!found.ok) throw httpFailure(found, RULE_STATUSES);
    const people = await peopleOf(deps.database.db, organisation.id);
    return { rule: ruleView(found.value.rule, people), history: found.value.history.map((entry) => historyView(entry, people)) };
  });
}

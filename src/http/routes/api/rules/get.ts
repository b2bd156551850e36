import type { FastifyInstance } from 'fastify';
import { rulesApi } from '../../../../api/rules.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { requireSession } from '../../../guards.js';
import { peopleOf, ruleView } from './views.js';

/**
 * GET /api/rules — any logged-in user: the rules in evaluation order, the checklist (the
 * pager and tracker connected, the teams with a hub webhook) and why rules cannot be created
 * or edited now (`blockedBy`). Read from the hub's records: no provider call.
 */
export function registerGetRules(app: FastifyInstance, deps: AppDeps): void {
  route(app, rulesApi.list, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    input.query();
    const { readiness, rules } = await deps.rules.list(organisation.id);
    const people = await peopleOf(deps.database.db, organisation.id);
    return {
      checklist: {
        pagerdutyConnected: readiness.pagerConnected,
        linearConnected: readiness.trackerConnected,
        teamWebhooks: readiness.teamWebhooks,
      },
      blockedBy: readiness.blockedBy,
      rules: rules.map((rule) => ruleView(rule, people)),
    };
  });
}

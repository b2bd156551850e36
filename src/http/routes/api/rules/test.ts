import type { FastifyInstance } from 'fastify';
import { rulesApi } from '../../../../api/rules.js';
import { dryRunSaved } from '../../../../rules/dry-run.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { httpFailure } from '../../../failures.js';
import { requireSession } from '../../../guards.js';
import { dryRunView } from './dry-run-view.js';
import { RULE_STATUSES } from './failures.js';

/**
 * POST /api/rules/:id/test — any user: **Test rule** for a saved rule where it stands in the
 * order, as it is now (disabled, paused or needing attention says so on every issue it would
 * take). 404 rule_not_found, or team_not_found when its team is gone upstream; 409 not_connected
 * / connection_disconnected.
 */
export function registerTestRule(app: FastifyInstance, deps: AppDeps): void {
  route(app, rulesApi.test, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    const { id } = input.params();
    input.query();
    input.body();
    const run = await dryRunSaved(deps, organisation.id, id);
    if (!run.ok) throw httpFailure(run, { ...RULE_STATUSES, team_not_found: 404 });
    return dryRunView(run.value);
  });
}

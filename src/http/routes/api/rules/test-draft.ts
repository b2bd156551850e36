import type { FastifyInstance } from 'fastify';
import { rulesApi } from '../../../../api/rules.js';
import { dryRunDraft } from '../../../../rules/dry-run.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { httpFailure } from '../../../failures.js';
import { requireSession } from '../../../guards.js';
import { dryRunView } from './dry-run-view.js';
import { RULE_STATUSES } from './failures.js';
import { ruleFormOf } from './views.js';

/**
 * POST /api/rules/test — any user (it only reads): **Test rule** with the unsaved form values,
 * placed after the last rule (or, with `ruleId`, in the edited rule's place; 404 rule_not_found), over the team's 50 most recently updated issues. 400 invalid_body /
 * invalid_rule (the references are checked as a save checks them); 409 not_connected /
 * connection_disconnected; 502/503 when the providers cannot be read.
 */
export function registerTestDraftRule(app: FastifyInstance, deps: AppDeps): void {
  route(app, rulesApi.testDraft, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    input.query();
    const { ruleId, ...values } = input.body();
    const run = await dryRunDraft(deps, organisation.id, ruleFormOf(values), ruleId);
    if (!run.ok) throw httpFailure(run, RULE_STATUSES);
    return dryRunView(run.value);
  });
}

import type { FastifyInstance } from 'fastify';
import { rulesApi } from '../../../../../api/rules.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { httpFailure } from '../../../../failures.js';
import { requireAdmin } from '../../../../guards.js';
import { RULE_STATUSES } from '../failures.js';

/** DELETE /api/rules/:id — admin, also while a connection is Disconnected. 204; 404 rule_not_found. */
export function registerDeleteRule(app: FastifyInstance, deps: AppDeps): void {
  route(app, rulesApi.remove, async (request, reply, input) => {
    const { organisation, user } = requireAdmin(request);
    const { id } = input.params();
    input.query();
    const removed = await deps.rules.remove(organisation.id, { userId: user.id }, id);
    if (!removed.ok) throw httpFailure(removed, RULE_STATUSES);
    return reply.send();
  });
}

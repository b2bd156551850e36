import type { FastifyInstance } from 'fastify';
import { webhooksApi } from '../../../../../api/webhooks.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { httpFailure } from '../../../../failures.js';
import { requireAdmin } from '../../../../guards.js';
import { WEBHOOK_STATUSES } from '../failures.js';
import { linearWebhookView } from '../views.js';

/**
 * POST /api/webhooks/linear — admin: creates the team's webhook at Linear (Issue and Comment
 * events, the hub's URL and a fresh signing secret). 201. 409 webhook_exists / not_connected /
 * connection_disconnected; 404 team_not_found (no such team).
 */
export function registerPostLinearWebhook(app: FastifyInstance, deps: AppDeps): void {
  route(app, webhooksApi.createLinear, async (request, _reply, input) => {
    const context = requireAdmin(request);
    input.query();
    const { teamId } = input.body();
    const created = await deps.webhooks.createScopeWebhook(context, 'linear', teamId);
    if (!created.ok) throw httpFailure(created, WEBHOOK_STATUSES);
    return { webhook: linearWebhookView(deps.webhooks, created.value) };
  });
}

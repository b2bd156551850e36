import type { FastifyInstance } from 'fastify';
import { webhooksApi } from '../../../../../api/webhooks.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { httpFailure } from '../../../../failures.js';
import { requireAdmin } from '../../../../guards.js';
import { WEBHOOK_STATUSES } from '../failures.js';

/** DELETE /api/webhooks/linear/:id — admin: deletes it at Linear, then in the hub. 204; 404 not_found; 409 not_connected / connection_disconnected. */
export function registerDeleteLinearWebhook(app: FastifyInstance, deps: AppDeps): void {
  route(app, webhooksApi.deleteLinear, async (request, reply, input) => {
    const context = requireAdmin(request);
    const { id } = input.params();
    input.query();
    const deleted = await deps.webhooks.deleteScopeWebhook(context, 'linear', id);
    if (!deleted.ok) throw httpFailure(deleted, WEBHOOK_STATUSES);
    return reply.send();
  });
}

import type { FastifyInstance } from 'fastify';
import { webhooksApi } from '../../../../api/webhooks.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { requireAdmin } from '../../../guards.js';
import { webhooksList } from './get.js';

/**
 * POST /api/webhooks/refresh — admin (it may re-create, re-enable and delete webhooks at the
 * providers, as the scheduled pass does): one repair pass now, then the list from the statuses
 * it stored, with what it did per provider.
 */
export function registerRefreshWebhooks(app: FastifyInstance, deps: AppDeps): void {
  route(app, webhooksApi.refresh, async (request, _reply, input) => {
    const { organisation } = requireAdmin(request);
    input.query();
    const repair = await deps.webhooks.repair(organisation.id);
    return { ...(await webhooksList(deps, organisation.id)), repair };
  });
}

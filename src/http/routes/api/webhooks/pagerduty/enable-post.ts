import type { FastifyInstance } from 'fastify';
import { webhooksApi } from '../../../../../api/webhooks.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { httpFailure } from '../../../../failures.js';
import { requireAdmin } from '../../../../guards.js';
import { WEBHOOK_STATUSES } from '../failures.js';
import { subscriptionView } from '../views.js';

/**
 * POST /api/webhooks/pagerduty/:id/enable — admin: Re-enable a temporarily disabled
 * subscription. 404 not_found; 409 webhook_missing (PagerDuty no longer has it),
 * not_connected / connection_disconnected.
 */
export function registerEnablePagerDutySubscription(app: FastifyInstance, deps: AppDeps): void {
  route(app, webhooksApi.enablePagerDuty, async (request, _reply, input) => {
    const context = requireAdmin(request);
    const { id } = input.params();
    input.query();
    const enabled = await deps.webhooks.enableEndpoint(context, 'pagerduty', id);
    if (!enabled.ok) throw httpFailure(enabled, WEBHOOK_STATUSES);
    const rules = await deps.rules.enabledRulesByService(context.organisation.id);
    return { subscription: subscriptionView(deps.webhooks, enabled.value, rules.get(enabled.value.scopeId) ?? []) };
  });
}

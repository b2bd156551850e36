import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { PagerDutySubscriptionResponse } from '../../../../api-types.js';
import type { AppDeps } from '../../../../deps.js';
import { requireAdmin } from '../../../../guards.js';
import { parseInput } from '../../../../validation.js';
import { noQuery } from '../../no-query.js';
import { subscriptionView } from '../views.js';

const paramsSchema = z.strictObject({ id: z.string().min(1).max(64) });

/** POST /api/webhooks/pagerduty/:id/enable — admin: Re-enable a temporarily disabled subscription. */
export function registerEnablePagerDutySubscription(app: FastifyInstance, deps: AppDeps): void {
  app.post('/api/webhooks/pagerduty/:id/enable', async (request): Promise<PagerDutySubscriptionResponse> => {
    const context = requireAdmin(request);
    const { id } = parseInput(paramsSchema, request.params, 'params');
    parseInput(noQuery, request.query, 'query');
    const row = await deps.webhooks.enableSubscription(context, id);
    return { subscription: subscriptionView(deps.webhooks, row) };
  });
}

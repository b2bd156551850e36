import type { FastifyInstance } from 'fastify';
import { activityApi } from '../../../../api/activity.js';
import { requestSweepNow } from '../../../../reconcile/sweep-now.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { requireAdmin } from '../../../guards.js';

/** POST /api/activity/reconciliation/run — admin: Reconcile now. */
export function registerReconcileNow(app: FastifyInstance, deps: AppDeps): void {
  route(app, activityApi.reconcileNow, async (request, _reply, input) => {
    const { organisation, user } = requireAdmin(request);
    input.query();
    input.body();
    const jobId = await requestSweepNow(deps.database.db, deps.queue, deps.clock, organisation.id);
    request.log.info({ jobId, by: user.id }, 'reconciliation asked for by hand');
    return { jobId };
  });
}

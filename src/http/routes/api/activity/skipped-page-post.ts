import type { FastifyInstance } from 'fastify';
import { activityApi } from '../../../../api/activity.js';
import { requestPageSkipped } from '../../../../sync/sync-jobs.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { httpFailure } from '../../../failures.js';
import { requireAdmin } from '../../../guards.js';

/** POST /api/activity/skipped/:id/page — admin: Page now. 404 skip_not_found; 409 skip_paged_already. */
export function registerPageSkipped(app: FastifyInstance, deps: AppDeps): void {
  route(app, activityApi.pageSkipped, async (request, _reply, input) => {
    const { organisation, user } = requireAdmin(request);
    const { id } = input.params();
    input.query();
    input.body();
    const queued = await requestPageSkipped(deps, organisation.id, id, user.id);
    if (!queued.ok) throw httpFailure(queued, { skip_not_found: 404, skip_paged_already: 409 });
    request.log.info({ skipId: id, jobId: queued.value.jobId, by: user.id }, 'skipped issue paged by hand');
    return { jobId: queued.value.jobId };
  });
}

import type { FastifyInstance } from 'fastify';
import { linksApi } from '../../../../../api/links.js';
import { requestResync } from '../../../../../sync/sync-jobs.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { httpFailure } from '../../../../failures.js';
import { requireAdmin } from '../../../../guards.js';

/** POST /api/links/:id/resync — admin: Re-sync now, queued in the pair's lane. 404 link_not_found. */
export function registerResyncLink(app: FastifyInstance, deps: AppDeps): void {
  route(app, linksApi.resync, async (request, _reply, input) => {
    const { organisation, user } = requireAdmin(request);
    const { id } = input.params();
    input.query();
    input.body();
    const queued = await requestResync(deps, organisation.id, id, user.id);
    if (!queued.ok) throw httpFailure(queued, { link_not_found: 404 });
    request.log.info({ linkId: id, jobId: queued.value.jobId, by: user.id }, 'link re-sync requested');
    return { jobId: queued.value.jobId };
  });
}

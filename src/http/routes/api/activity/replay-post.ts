import type { FastifyInstance } from 'fastify';
import { activityApi } from '../../../../api/activity.js';
import { findJob, replayDeadJob } from '../../../../queue/jobs-repository.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { conflict, notFound } from '../../../errors.js';
import { requireAdmin } from '../../../guards.js';
import { jobView } from './jobs-get.js';

/** POST /api/activity/jobs/:id/replay — admin: a dead job runs again with fresh attempts. */
export function registerReplayJob(app: FastifyInstance, deps: AppDeps): void {
  route(app, activityApi.replayJob, async (request, _reply, input) => {
    const { organisation, user } = requireAdmin(request);
    const { id } = input.params();
    input.query();
    const db = deps.database.db;
    const replayed = await replayDeadJob(db, organisation.id, id, deps.clock.now());
    const job = await findJob(db, organisation.id, id);
    if (job === undefined) throw notFound('No such job.');
    if (!replayed) throw conflict('job_not_dead', `Only dead jobs can be replayed; this one is ${job.status}.`);
    deps.queue.wake();
    request.log.info({ jobId: id, by: user.id }, 'dead job replayed');
    return { job: jobView(job) };
  });
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { replayDeadJob } from '../../../../queue/jobs-repository.js';
import type { JobResponse } from '../../../api-types.js';
import type { AppDeps } from '../../../deps.js';
import { conflict, notFound } from '../../../errors.js';
import { requireAdmin } from '../../../guards.js';
import { parseInput } from '../../../validation.js';
import { noQuery } from '../no-query.js';
import { jobView } from './jobs-get.js';

const paramsSchema = z.strictObject({ id: z.string().min(1).max(64) });

/** POST /api/activity/jobs/:id/replay — admin: a dead job runs again with fresh attempts. */
export function registerReplayJob(app: FastifyInstance, deps: AppDeps): void {
  app.post('/api/activity/jobs/:id/replay', async (request): Promise<JobResponse> => {
    const { organisation, user } = requireAdmin(request);
    const { id } = parseInput(paramsSchema, request.params, 'params');
    parseInput(noQuery, request.query, 'query');
    const db = deps.database.db;
    const replayed = await replayDeadJob(db, organisation.id, id, deps.clock.now());
    const row = await db.selectFrom('jobs').selectAll().where('organisation_id', '=', organisation.id).where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw notFound('No such job.');
    if (!replayed) throw conflict('job_not_dead', `Only dead jobs can be replayed; this one is ${row.status}.`);
    deps.queue.wake();
    request.log.info({ jobId: id, by: user.id }, 'dead job replayed');
    return { job: jobView(row) };
  });
}

import type { FastifyInstance } from 'fastify';
import { activityApi, type JobView } from '../../../../api/activity.js';
import type { Job } from '../../../../queue/job.js';
import { listJobs } from '../../../../queue/jobs-repository.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { requireSession } from '../../../guards.js';
import { decodeCursor, encodeCursor } from './cursor.js';

export function jobView(job: Job): JobView {
  return {
    id: job.id,
    kind: job.kind,
    lane: job.lane,
    status: job.status,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    nextRunAt: job.status === 'queued' ? new Date(job.runAt).toISOString() : null,
    lastError: job.lastError,
    createdAt: new Date(job.createdAt).toISOString(),
    finishedAt: job.finishedAt === null ? null : new Date(job.finishedAt).toISOString(),
  };
}

/** GET /api/activity/jobs — the organisation's jobs, newest first, paged. */
export function registerGetJobs(app: FastifyInstance, deps: AppDeps): void {
  route(app, activityApi.jobs, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    const query = input.query();
    const after = decodeCursor(query.cursor, ['number']);
    const rows = await listJobs(deps.database.db, organisation.id, {
      status: query.status,
      kind: query.kind,
      beforeSeq: after?.[0] as number | undefined,
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return { jobs: page.map(jobView), nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor([last.seq]) : null };
  });
}

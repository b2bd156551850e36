import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { JobRow } from '../../../../queue/jobs-repository.js';
import type { JobsResponse, JobView } from '../../../api-types.js';
import type { AppDeps } from '../../../deps.js';
import { requireSession } from '../../../guards.js';
import { parseInput } from '../../../validation.js';
import { decodeCursor, encodeCursor } from './cursor.js';

const querySchema = z.strictObject({
  status: z.enum(['queued', 'running', 'succeeded', 'dead']).optional(),
  kind: z.string().trim().min(1).max(100).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export function jobView(row: JobRow): JobView {
  return {
    id: row.id,
    kind: row.kind,
    lane: row.lane,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    nextRunAt: row.status === 'queued' ? new Date(row.run_at).toISOString() : null,
    lastError: row.last_error,
    createdAt: new Date(row.created_at).toISOString(),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at).toISOString(),
  };
}

/** GET /api/activity/jobs — the organisation's jobs, newest first, paged. */
export function registerGetJobs(app: FastifyInstance, deps: AppDeps): void {
  app.get('/api/activity/jobs', async (request): Promise<JobsResponse> => {
    const { organisation } = requireSession(request);
    const query = parseInput(querySchema, request.query, 'query');
    const after = decodeCursor(query.cursor, ['number']);
    let select = deps.database.db.selectFrom('jobs').selectAll().where('organisation_id', '=', organisation.id);
    if (query.status !== undefined) select = select.where('status', '=', query.status);
    if (query.kind !== undefined) select = select.where('kind', '=', query.kind);
    if (after !== undefined) select = select.where('seq', '<', after[0] as number);
    const rows = await select.orderBy('seq', 'desc').limit(query.limit + 1).execute();
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return { jobs: page.map(jobView), nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor([last.seq]) : null };
  });
}

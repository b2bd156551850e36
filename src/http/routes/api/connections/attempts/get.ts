import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { attemptView } from '../../../../../connections/connection-view.js';
import type { ConnectAttemptResponse } from '../../../../api-types.js';
import type { AppDeps } from '../../../../deps.js';
import { notFound } from '../../../../errors.js';
import { requireSession } from '../../../../guards.js';
import { parseInput } from '../../../../validation.js';
import { noQuery } from '../../no-query.js';

const paramsSchema = z.strictObject({ id: z.string().min(1).max(64) });

/** GET /api/connections/attempts/:id — the outcome of one of the caller's own Connect clicks. */
export function registerGetAttempt(app: FastifyInstance, deps: AppDeps): void {
  app.get('/api/connections/attempts/:id', async (request): Promise<ConnectAttemptResponse> => {
    const context = requireSession(request);
    const { id } = parseInput(paramsSchema, request.params, 'params');
    parseInput(noQuery, request.query, 'query');
    const attempt = await deps.connections.findAttempt(context, id);
    if (attempt === undefined) throw notFound('No such connect attempt.');
    return { attempt: attemptView(attempt) };
  });
}

import type { FastifyInstance } from 'fastify';
import { connectionsApi } from '../../../../../api/connections.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { notFound } from '../../../../errors.js';
import { requireSession } from '../../../../guards.js';
import { attemptView } from '../views.js';

/** GET /api/connections/attempts/:id — the outcome of one of the caller's own Connect clicks. */
export function registerGetAttempt(app: FastifyInstance, deps: AppDeps): void {
  route(app, connectionsApi.attempt, async (request, _reply, input) => {
    const context = requireSession(request);
    const { id } = input.params();
    input.query();
    const attempt = await deps.connections.findAttempt(context, id);
    if (attempt === undefined) throw notFound('No such connect attempt.');
    return { attempt: attemptView(attempt) };
  });
}

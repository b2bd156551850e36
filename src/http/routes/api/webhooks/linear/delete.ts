import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../../../deps.js';
import { requireAdmin } from '../../../../guards.js';
import { parseInput } from '../../../../validation.js';
import { noQuery } from '../../no-query.js';

const paramsSchema = z.strictObject({ id: z.string().min(1).max(64) });

/** DELETE /api/webhooks/linear/:id — admin: deletes it at Linear, then in the hub. 204. */
export function registerDeleteLinearWebhook(app: FastifyInstance, deps: AppDeps): void {
  app.delete('/api/webhooks/linear/:id', async (request, reply) => {
    const context = requireAdmin(request);
    const { id } = parseInput(paramsSchema, request.params, 'params');
    parseInput(noQuery, request.query, 'query');
    await deps.webhooks.deleteTeamWebhook(context, id);
    return reply.code(204).send();
  });
}

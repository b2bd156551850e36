import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { LinearWebhookResponse } from '../../../../api-types.js';
import type { AppDeps } from '../../../../deps.js';
import { requireAdmin } from '../../../../guards.js';
import { parseInput } from '../../../../validation.js';
import { noQuery } from '../../no-query.js';
import { linearWebhookView } from '../views.js';

const bodySchema = z.strictObject({ teamId: z.string().trim().min(1).max(100) });

/**
 * POST /api/webhooks/linear — admin: creates the team's webhook at Linear (Issue and Comment
 * events, the hub's URL and a fresh signing secret). 201. 409 webhook_exists / not_connected /
 * connection_disconnected; 404 team_not_found (no such team).
 */
export function registerPostLinearWebhook(app: FastifyInstance, deps: AppDeps): void {
  app.post('/api/webhooks/linear', async (request, reply): Promise<LinearWebhookResponse> => {
    const context = requireAdmin(request);
    parseInput(noQuery, request.query, 'query');
    const { teamId } = parseInput(bodySchema, request.body, 'body');
    const row = await deps.webhooks.createTeamWebhook(context, teamId);
    reply.code(201);
    return { webhook: linearWebhookView(deps.webhooks, row) };
  });
}

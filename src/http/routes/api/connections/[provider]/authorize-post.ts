import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AuthorizeResponse } from '../../../../api-types.js';
import type { AppDeps } from '../../../../deps.js';
import { requireAdmin } from '../../../../guards.js';
import { parseInput } from '../../../../validation.js';
import { noQuery } from '../../no-query.js';
import { providerParamsSchema } from '../params.js';

const bodySchema = z.strictObject({}).optional();

/**
 * POST /api/connections/:provider/authorize — admin: starts a Connect (or Reconnect). Answers
 * the provider's authorize URL for this attempt; 409 already_connected, pagerduty_not_connected
 * or provider_unconfigured when it cannot start.
 */
export function registerPostAuthorize(app: FastifyInstance, deps: AppDeps): void {
  app.post('/api/connections/:provider/authorize', async (request): Promise<AuthorizeResponse> => {
    const context = requireAdmin(request);
    const { provider } = parseInput(providerParamsSchema, request.params, 'params');
    parseInput(noQuery, request.query, 'query');
    parseInput(bodySchema, request.body ?? undefined, 'body');
    const started = await deps.connections.startConnect(context, provider);
    request.log.info({ provider, attemptId: started.attemptId, by: context.user.id }, 'connect started');
    return started;
  });
}

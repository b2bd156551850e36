import type { FastifyInstance } from 'fastify';
import { connectionView } from '../../../../../connections/connection-view.js';
import type { ConnectionResponse } from '../../../../api-types.js';
import type { AppDeps } from '../../../../deps.js';
import { requireSession } from '../../../../guards.js';
import { parseInput } from '../../../../validation.js';
import { noQuery } from '../../no-query.js';
import { providerParamsSchema } from '../params.js';

/** GET /api/connections/:provider — one card. Any logged-in user. */
export function registerGetConnection(app: FastifyInstance, deps: AppDeps): void {
  app.get('/api/connections/:provider', async (request): Promise<ConnectionResponse> => {
    const { organisation } = requireSession(request);
    const { provider } = parseInput(providerParamsSchema, request.params, 'params');
    parseInput(noQuery, request.query, 'query');
    const rows = await deps.connections.list(organisation.id);
    return { connection: connectionView(deps.connections, provider, rows) };
  });
}

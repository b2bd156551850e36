import type { FastifyInstance } from 'fastify';
import { connectionView } from '../../../../../connections/connection-view.js';
import type { DisconnectResponse } from '../../../../api-types.js';
import type { AppDeps } from '../../../../deps.js';
import { conflict } from '../../../../errors.js';
import { requireAdmin } from '../../../../guards.js';
import { parseInput } from '../../../../validation.js';
import { noQuery } from '../../no-query.js';
import { providerParamsSchema } from '../params.js';

/**
 * DELETE /api/connections/:provider — admin: Disconnect. Deletes what the hub created at the
 * provider, revokes where possible, erases the tokens; the report says what was done.
 * 409 not_connected when there is nothing to disconnect.
 */
export function registerDeleteConnection(app: FastifyInstance, deps: AppDeps): void {
  app.delete('/api/connections/:provider', async (request): Promise<DisconnectResponse> => {
    const context = requireAdmin(request);
    const { provider } = parseInput(providerParamsSchema, request.params, 'params');
    parseInput(noQuery, request.query, 'query');
    const outcome = await deps.connections.disconnect(context, provider);
    if (outcome === undefined) throw conflict('not_connected', 'There is no connection to disconnect.');
    const rows = await deps.connections.list(context.organisation.id);
    return { connection: connectionView(deps.connections, provider, rows), report: outcome.report };
  });
}

import type { FastifyInstance } from 'fastify';
import { connectionsApi } from '../../../../../api/connections.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { httpFailure } from '../../../../failures.js';
import { requireAdmin } from '../../../../guards.js';
import { connectionView } from '../views.js';

/**
 * DELETE /api/connections/:provider — admin: Disconnect. Deletes what the hub created at the
 * provider, revokes where possible, erases the tokens; the report says what was done.
 * 409 not_connected when there is nothing to disconnect.
 */
export function registerDeleteConnection(app: FastifyInstance, deps: AppDeps): void {
  route(app, connectionsApi.disconnect, async (request, _reply, input) => {
    const context = requireAdmin(request);
    const { provider } = input.params();
    input.query();
    const outcome = await deps.connections.disconnect(context, provider);
    if (!outcome.ok) throw httpFailure(outcome, { not_connected: 409 });
    const connections = await deps.connections.list(context.organisation.id);
    return { connection: connectionView(deps.connections, provider, connections), report: outcome.value.report };
  });
}

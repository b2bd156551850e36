import type { FastifyInstance } from 'fastify';
import { connectionsApi } from '../../../../../api/connections.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { requireSession } from '../../../../guards.js';
import { connectionView } from '../views.js';

/** GET /api/connections/:provider — one card. Any logged-in user. */
export function registerGetConnection(app: FastifyInstance, deps: AppDeps): void {
  route(app, connectionsApi.get, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    const { provider } = input.params();
    input.query();
    const rows = await deps.connections.list(organisation.id);
    return { connection: connectionView(deps.connections, provider, rows) };
  });
}

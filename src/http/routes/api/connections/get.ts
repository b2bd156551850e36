import type { FastifyInstance } from 'fastify';
import { connectionsApi } from '../../../../api/connections.js';
import { PROVIDERS } from '../../../../connections/connections-service.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { requireSession } from '../../../guards.js';
import { connectionView } from './views.js';

/** GET /api/connections — both providers' cards. Any logged-in user. */
export function registerGetConnections(app: FastifyInstance, deps: AppDeps): void {
  route(app, connectionsApi.list, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    input.query();
    const rows = await deps.connections.list(organisation.id);
    return { connections: PROVIDERS.map((provider) => connectionView(deps.connections, provider, rows)) };
  });
}

import type { FastifyInstance } from 'fastify';
import { connectionView } from '../../../../connections/connection-view.js';
import { PROVIDERS } from '../../../../connections/connections-service.js';
import type { ConnectionsResponse } from '../../../api-types.js';
import type { AppDeps } from '../../../deps.js';
import { requireSession } from '../../../guards.js';
import { parseInput } from '../../../validation.js';
import { noQuery } from '../no-query.js';

/** GET /api/connections — both providers' cards. Any logged-in user. */
export function registerGetConnections(app: FastifyInstance, deps: AppDeps): void {
  app.get('/api/connections', async (request): Promise<ConnectionsResponse> => {
    const { organisation } = requireSession(request);
    parseInput(noQuery, request.query, 'query');
    const rows = await deps.connections.list(organisation.id);
    return { connections: PROVIDERS.map((provider) => connectionView(deps.connections, provider, rows)) };
  });
}

import type { FastifyInstance } from 'fastify';
import { connectionsApi } from '../../../../api/connections.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { requireSession } from '../../../guards.js';

/**
 * GET /api/connections/pagerduty/services and GET /api/connections/linear/teams — every page,
 * live from the provider. A token the provider refuses is refreshed once; if it stays refused
 * the connection turns Disconnected and this answers 409 connection_disconnected.
 */
export function registerGetProviderResources(app: FastifyInstance, deps: AppDeps): void {
  route(app, connectionsApi.pagerdutyServices, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    input.query();
    const services = await deps.connections.listScopes(organisation.id, 'pagerduty');
    return {
      services: services.map((service) => ({ id: service.id, name: service.name, status: service.status ?? 'unknown', url: service.url })),
      loadedAt: new Date(deps.clock.now()).toISOString(),
    };
  });
  route(app, connectionsApi.linearTeams, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    input.query();
    const teams = await deps.connections.listScopes(organisation.id, 'linear');
    return { teams: teams.map((team) => ({ id: team.id, name: team.name, key: team.key ?? '' })), loadedAt: new Date(deps.clock.now()).toISOString() };
  });
}

import type { FastifyInstance } from 'fastify';
import type { ServicesResponse, TeamsResponse } from '../../../api-types.js';
import type { AppDeps } from '../../../deps.js';
import { requireSession } from '../../../guards.js';
import { parseInput } from '../../../validation.js';
import { noQuery } from '../no-query.js';

/**
 * GET /api/connections/pagerduty/services and GET /api/connections/linear/teams — every page,
 * live from the provider. A token the provider refuses is refreshed once; if it stays refused
 * the connection turns Disconnected and this answers 409 connection_disconnected.
 */
export function registerGetProviderResources(app: FastifyInstance, deps: AppDeps): void {
  app.get('/api/connections/pagerduty/services', async (request): Promise<ServicesResponse> => {
    const { organisation } = requireSession(request);
    parseInput(noQuery, request.query, 'query');
    const services = await deps.connections.listServices(organisation.id);
    return {
      services: services.map((service) => ({ id: service.id, name: service.name, status: service.status, url: service.htmlUrl })),
      loadedAt: new Date(deps.clock.now()).toISOString(),
    };
  });
  app.get('/api/connections/linear/teams', async (request): Promise<TeamsResponse> => {
    const { organisation } = requireSession(request);
    parseInput(noQuery, request.query, 'query');
    const teams = await deps.connections.listTeams(organisation.id);
    return { teams, loadedAt: new Date(deps.clock.now()).toISOString() };
  });
}

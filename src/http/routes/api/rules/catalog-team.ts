import type { FastifyInstance } from 'fastify';
import { rulesApi } from '../../../../api/rules.js';
import { teamCatalog } from '../../../../rules/catalogs.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { httpFailure } from '../../../failures.js';
import { requireSession } from '../../../guards.js';

/**
 * GET /api/rules/catalog/teams/:id — any user: the team's workflow states (by type, then
 * position), projects, and labels (the team's, then the workspace's), live and every page.
 * 404 team_not_found; 409 not_connected / connection_disconnected; 502/503 provider errors.
 */
export function registerGetTeamCatalog(app: FastifyInstance, deps: AppDeps): void {
  route(app, rulesApi.teamCatalog, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    const { id } = input.params();
    input.query();
    const catalog = await teamCatalog(deps, organisation.id, id);
    if (!catalog.ok) throw httpFailure(catalog, { team_not_found: 404 });
    const { team, states, projects, labels } = catalog.value;
    return {
      team: { id: team.id, name: team.name },
      states: states.map((state) => ({ id: state.id, name: state.name, type: state.type, position: state.position })),
      projects: projects.map((project) => ({ id: project.id, name: project.name })),
      labels: labels.map((label) => ({ id: label.id, name: label.name, scope: label.scope })),
    };
  });
}

import type { FastifyInstance } from 'fastify';
import { rulesApi } from '../../../../api/rules.js';
import { pagerCatalog } from '../../../../rules/catalogs.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { requireSession } from '../../../guards.js';

/**
 * GET /api/rules/catalog/pagerduty — any user: every service of the account (by name) and its
 * priorities (null when it has none: the form hides the field), live and every page.
 * 409 not_connected / connection_disconnected; 502/503 provider errors.
 */
export function registerGetPagerDutyCatalog(app: FastifyInstance, deps: AppDeps): void {
  route(app, rulesApi.pagerdutyCatalog, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    input.query();
    const { services, priorities } = await pagerCatalog(deps, organisation.id);
    return {
      services: services.map((service) => ({ id: service.id, name: service.name })),
      priorities: priorities?.map((priority) => ({ id: priority.id, name: priority.name })) ?? null,
    };
  });
}

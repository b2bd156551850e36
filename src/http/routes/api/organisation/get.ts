import type { FastifyInstance } from 'fastify';
import { organisationApi } from '../../../../api/organisation.js';
import { route } from '../../../contract-route.js';
import { requireSession } from '../../../guards.js';
import { organisationView } from '../../../views.js';

/** GET /api/organisation — the caller's organisation. Any logged-in user. */
export function registerGetOrganisation(app: FastifyInstance): void {
  route(app, organisationApi.get, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    input.query();
    return { organisation: organisationView(organisation) };
  });
}

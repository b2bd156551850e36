import type { FastifyInstance } from 'fastify';
import type { OrganisationResponse } from '../../../api-types.js';
import { requireSession } from '../../../guards.js';
import { parseInput } from '../../../validation.js';
import { organisationView } from '../../../views.js';
import { noQuery } from '../no-query.js';

/** GET /api/organisation — the caller's organisation. Any logged-in user. */
export function registerGetOrganisation(app: FastifyInstance): void {
  app.get('/api/organisation', async (request): Promise<OrganisationResponse> => {
    const { organisation } = requireSession(request);
    parseInput(noQuery, request.query, 'query');
    return { organisation: organisationView(organisation) };
  });
}

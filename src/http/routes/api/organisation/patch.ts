import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { organisationNameField } from '../../../../accounts/fields.js';
import { renameOrganisation } from '../../../../accounts/organisations-repository.js';
import type { OrganisationResponse } from '../../../api-types.js';
import type { AppDeps } from '../../../deps.js';
import { notFound } from '../../../errors.js';
import { requireAdmin } from '../../../guards.js';
import { parseInput } from '../../../validation.js';
import { organisationView } from '../../../views.js';
import { noQuery } from '../no-query.js';

const bodySchema = z.strictObject({ name: organisationNameField });

/** PATCH /api/organisation — admin: renames the caller's organisation. */
export function registerPatchOrganisation(app: FastifyInstance, deps: AppDeps): void {
  app.patch('/api/organisation', async (request): Promise<OrganisationResponse> => {
    const { organisation, user } = requireAdmin(request);
    parseInput(noQuery, request.query, 'query');
    const body = parseInput(bodySchema, request.body, 'body');
    const renamed = await renameOrganisation(deps.database.db, organisation.id, body.name);
    if (renamed === undefined) throw notFound('No such organisation.');
    request.log.info({ organisationId: organisation.id, by: user.id }, 'organisation renamed');
    return { organisation: organisationView(renamed) };
  });
}

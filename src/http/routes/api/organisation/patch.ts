import type { FastifyInstance } from 'fastify';
import { renameOrganisation } from '../../../../accounts/organisations-repository.js';
import { organisationApi } from '../../../../api/organisation.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { notFound } from '../../../errors.js';
import { requireAdmin } from '../../../guards.js';
import { organisationView } from '../../../views.js';

/** PATCH /api/organisation — admin: renames the caller's organisation. */
export function registerPatchOrganisation(app: FastifyInstance, deps: AppDeps): void {
  route(app, organisationApi.rename, async (request, _reply, input) => {
    const { organisation, user } = requireAdmin(request);
    input.query();
    const body = input.body();
    const renamed = await renameOrganisation(deps.database.db, organisation.id, body.name);
    if (renamed === undefined) throw notFound('No such organisation.');
    request.log.info({ organisationId: organisation.id, by: user.id }, 'organisation renamed');
    return { organisation: organisationView(renamed) };
  });
}

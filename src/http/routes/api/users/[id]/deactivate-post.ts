import type { FastifyInstance } from 'fastify';
import { deactivateUser } from '../../../../../accounts/user-lifecycle.js';
import type { UserResponse } from '../../../../api-types.js';
import type { AppDeps } from '../../../../deps.js';
import { requireAdmin } from '../../../../guards.js';
import { parseInput } from '../../../../validation.js';
import { userView } from '../../../../views.js';
import { noQuery } from '../../no-query.js';
import { lastAdmin, noBody, noSuchUser } from './answers.js';
import { userParamsSchema } from './params.js';

/**
 * POST /api/users/:id/deactivate — admin: the user can no longer log in and every session of
 * theirs ends at once (their next request is answered 401). Their data and role are kept;
 * POST …/reactivate undoes it. 409 `last_admin` for the last active admin; 404 for a user of
 * another organisation.
 */
export function registerDeactivateUser(app: FastifyInstance, deps: AppDeps): void {
  app.post('/api/users/:id/deactivate', async (request): Promise<UserResponse> => {
    const { organisation, user: admin } = requireAdmin(request);
    const { id } = parseInput(userParamsSchema, request.params, 'params');
    parseInput(noQuery, request.query, 'query');
    parseInput(noBody, request.body ?? {}, 'body');
    const result = await deactivateUser(deps.database, organisation.id, id, deps.clock.now());
    if (!result.ok) throw result.reason === 'not_found' ? noSuchUser() : lastAdmin('deactivate them');
    request.log.info({ organisationId: organisation.id, userId: id, by: admin.id }, 'user deactivated');
    return { user: userView(result.value) };
  });
}

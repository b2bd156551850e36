import type { FastifyInstance } from 'fastify';
import { deactivateUser } from '../../../../../accounts/user-lifecycle.js';
import { usersApi } from '../../../../../api/users.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { httpFailure } from '../../../../failures.js';
import { requireAdmin } from '../../../../guards.js';
import { userView } from '../../../../views.js';

/**
 * POST /api/users/:id/deactivate — admin: the user can no longer log in and every session of
 * theirs ends at once (their next request is answered 401). Their data and role are kept;
 * POST …/reactivate undoes it. 409 `last_admin` for the last active admin; 404 for a user of
 * another organisation.
 */
export function registerDeactivateUser(app: FastifyInstance, deps: AppDeps): void {
  route(app, usersApi.deactivate, async (request, _reply, input) => {
    const { organisation, user: admin } = requireAdmin(request);
    const { id } = input.params();
    input.query();
    input.body();
    const result = await deactivateUser(deps.database, organisation.id, id, deps.clock.now());
    if (!result.ok) throw httpFailure(result, { not_found: 404, last_admin: 409 });
    request.log.info({ organisationId: organisation.id, userId: id, by: admin.id }, 'user deactivated');
    return { user: userView(result.value) };
  });
}

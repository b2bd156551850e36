import type { FastifyInstance } from 'fastify';
import { reactivateUser } from '../../../../../accounts/user-lifecycle.js';
import { usersApi } from '../../../../../api/users.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { httpFailure } from '../../../../failures.js';
import { requireAdmin } from '../../../../guards.js';
import { userView } from '../../../../views.js';

/**
 * POST /api/users/:id/reactivate — admin: a deactivated user can log in again with the
 * password they had. Reactivating an active user changes nothing. 404 for a user of another
 * organisation.
 */
export function registerReactivateUser(app: FastifyInstance, deps: AppDeps): void {
  route(app, usersApi.reactivate, async (request, _reply, input) => {
    const { organisation, user: admin } = requireAdmin(request);
    const { id } = input.params();
    input.query();
    input.body();
    const result = await reactivateUser(deps.database, organisation.id, id, deps.clock.now());
    if (!result.ok) throw httpFailure(result, { not_found: 404 });
    request.log.info({ organisationId: organisation.id, userId: id, by: admin.id }, 'user reactivated');
    return { user: userView(result.value) };
  });
}

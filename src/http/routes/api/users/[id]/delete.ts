import type { FastifyInstance } from 'fastify';
import { removeUser } from '../../../../../accounts/user-lifecycle.js';
import { usersApi } from '../../../../../api/users.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { httpFailure } from '../../../../failures.js';
import { requireAdmin } from '../../../../guards.js';

/**
 * DELETE /api/users/:id — admin: removes the user for good (204); their sessions end with
 * them. 409 `last_admin` for the last active admin; 404 for a user of another organisation.
 */
export function registerDeleteUser(app: FastifyInstance, deps: AppDeps): void {
  route(app, usersApi.remove, async (request, reply, input) => {
    const { organisation, user: admin } = requireAdmin(request);
    const { id } = input.params();
    input.query();
    const result = await removeUser(deps.database, organisation.id, id);
    if (!result.ok) throw httpFailure(result, { not_found: 404, last_admin: 409 });
    request.log.info({ organisationId: organisation.id, userId: id, by: admin.id }, 'user removed');
    return reply.send();
  });
}

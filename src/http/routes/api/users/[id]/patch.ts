import type { FastifyInstance } from 'fastify';
import { changeUser } from '../../../../../accounts/users.js';
import { usersApi } from '../../../../../api/users.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { httpFailure } from '../../../../failures.js';
import { requireAdmin } from '../../../../guards.js';
import { userView } from '../../../../views.js';

/**
 * PATCH /api/users/:id — admin: renames a user or changes their role. 404 for a user of
 * another organisation (never 403: existence is not revealed); 409 `last_admin` when it
 * would leave the organisation without an active admin. The user's open sessions see the new role
 * on their next request.
 */
export function registerPatchUser(app: FastifyInstance, deps: AppDeps): void {
  route(app, usersApi.change, async (request, _reply, input) => {
    const { organisation, user: admin } = requireAdmin(request);
    const { id } = input.params();
    input.query();
    const body = input.body();
    const result = await changeUser(deps.database, organisation.id, id, body, deps.clock.now());
    if (!result.ok) throw httpFailure(result, { not_found: 404, last_admin: 409 });
    request.log.info({ organisationId: organisation.id, userId: id, by: admin.id, role: result.value.role }, 'user changed');
    return { user: userView(result.value) };
  });
}

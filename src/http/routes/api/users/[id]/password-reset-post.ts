import type { FastifyInstance } from 'fastify';
import { resetPassword } from '../../../../../accounts/password-change.js';
import { usersApi } from '../../../../../api/users.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { httpFailure } from '../../../../failures.js';
import { requireAdmin } from '../../../../guards.js';
import { userView } from '../../../../views.js';

/**
 * POST /api/users/:id/password-reset — admin: replaces the user's password with a random
 * temporary one, answered this once (never logged, never stored in clear, `no-store`), and
 * ends all their sessions. The user must change it at their next log-in. 404 for a user of
 * another organisation.
 */
export function registerResetUserPassword(app: FastifyInstance, deps: AppDeps): void {
  route(app, usersApi.resetPassword, async (request, reply, input) => {
    const { organisation, user: admin } = requireAdmin(request);
    const { id } = input.params();
    input.query();
    input.body();
    const result = await resetPassword(deps.database, organisation.id, id, deps.clock.now());
    if (!result.ok) throw httpFailure(result, { not_found: 404 });
    request.log.info({ organisationId: organisation.id, userId: id, by: admin.id }, 'user password reset');
    reply.header('cache-control', 'no-store');
    return { user: userView(result.value.user), temporaryPassword: result.value.temporaryPassword };
  });
}

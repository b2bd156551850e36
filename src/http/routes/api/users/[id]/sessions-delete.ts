import type { FastifyInstance } from 'fastify';
import { endUserSessions } from '../../../../../accounts/user-lifecycle.js';
import { usersApi } from '../../../../../api/users.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { httpFailure } from '../../../../failures.js';
import { requireAdmin } from '../../../../guards.js';

/**
 * DELETE /api/users/:id/sessions — admin: ends every session of the user at once (a lost
 * laptop); they can log in again. Ending one's own ends this session too. 404 for a user of
 * another organisation.
 */
export function registerDeleteUserSessions(app: FastifyInstance, deps: AppDeps): void {
  route(app, usersApi.endSessions, async (request, _reply, input) => {
    const { organisation, user: admin } = requireAdmin(request);
    const { id } = input.params();
    input.query();
    const result = await endUserSessions(deps.database, organisation.id, id);
    if (!result.ok) throw httpFailure(result, { not_found: 404 });
    request.log.info({ organisationId: organisation.id, userId: id, by: admin.id, sessionsEnded: result.value }, 'user sessions ended');
    return { sessionsEnded: result.value };
  });
}

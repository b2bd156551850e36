import type { FastifyInstance } from 'fastify';
import { resetPassword } from '../../../../../accounts/password-change.js';
import type { PasswordResetResponse } from '../../../../api-types.js';
import type { AppDeps } from '../../../../deps.js';
import { requireAdmin } from '../../../../guards.js';
import { parseInput } from '../../../../validation.js';
import { userView } from '../../../../views.js';
import { noQuery } from '../../no-query.js';
import { noBody, noSuchUser } from './answers.js';
import { userParamsSchema } from './params.js';

/**
 * POST /api/users/:id/password-reset — admin: replaces the user's password with a random
 * temporary one, answered this once (never logged, never stored in clear, `no-store`), and
 * ends all their sessions. The user must change it at their next log-in. 404 for a user of
 * another organisation.
 */
export function registerResetUserPassword(app: FastifyInstance, deps: AppDeps): void {
  app.post('/api/users/:id/password-reset', async (request, reply): Promise<PasswordResetResponse> => {
    const { organisation, user: admin } = requireAdmin(request);
    const { id } = parseInput(userParamsSchema, request.params, 'params');
    parseInput(noQuery, request.query, 'query');
    parseInput(noBody, request.body ?? {}, 'body');
    const result = await resetPassword(deps.database, organisation.id, id, deps.clock.now());
    if (result === undefined) throw noSuchUser();
    request.log.info({ organisationId: organisation.id, userId: id, by: admin.id }, 'user password reset');
    reply.header('cache-control', 'no-store');
    return { user: userView(result.user), temporaryPassword: result.temporaryPassword };
  });
}

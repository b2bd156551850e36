import type { FastifyInstance } from 'fastify';
import { reactivateUser } from '../../../../../accounts/user-lifecycle.js';
import type { UserResponse } from '../../../../api-types.js';
import type { AppDeps } from '../../../../deps.js';
import { requireAdmin } from '../../../../guards.js';
import { parseInput } from '../../../../validation.js';
import { userView } from '../../../../views.js';
import { noQuery } from '../../no-query.js';
import { noBody, noSuchUser } from './answers.js';
import { userParamsSchema } from './params.js';

/**
 * POST /api/users/:id/reactivate — admin: a deactivated user can log in again with the
 * password they had. Reactivating an active user changes nothing. 404 for a user of another
 * organisation.
 */
export function registerReactivateUser(app: FastifyInstance, deps: AppDeps): void {
  app.post('/api/users/:id/reactivate', async (request): Promise<UserResponse> => {
    const { organisation, user: admin } = requireAdmin(request);
    const { id } = parseInput(userParamsSchema, request.params, 'params');
    parseInput(noQuery, request.query, 'query');
    parseInput(noBody, request.body ?? {}, 'body');
    const user = await reactivateUser(deps.database, organisation.id, id, deps.clock.now());
    if (user === undefined) throw noSuchUser();
    request.log.info({ organisationId: organisation.id, userId: id, by: admin.id }, 'user reactivated');
    return { user: userView(user) };
  });
}

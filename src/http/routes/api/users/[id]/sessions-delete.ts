import type { FastifyInstance } from 'fastify';
import { endUserSessions } from '../../../../../accounts/user-lifecycle.js';
import type { EndSessionsResponse } from '../../../../api-types.js';
import type { AppDeps } from '../../../../deps.js';
import { requireAdmin } from '../../../../guards.js';
import { parseInput } from '../../../../validation.js';
import { noQuery } from '../../no-query.js';
import { noSuchUser } from './answers.js';
import { userParamsSchema } from './params.js';

/**
 * DELETE /api/users/:id/sessions — admin: ends every session of the user at once (a lost
 * laptop); they can log in again. Ending one's own ends this session too. 404 for a user of
 * another organisation.
 */
export function registerDeleteUserSessions(app: FastifyInstance, deps: AppDeps): void {
  app.delete('/api/users/:id/sessions', async (request): Promise<EndSessionsResponse> => {
    const { organisation, user: admin } = requireAdmin(request);
    const { id } = parseInput(userParamsSchema, request.params, 'params');
    parseInput(noQuery, request.query, 'query');
    const sessionsEnded = await endUserSessions(deps.database, organisation.id, id);
    if (sessionsEnded === undefined) throw noSuchUser();
    request.log.info({ organisationId: organisation.id, userId: id, by: admin.id, sessionsEnded }, 'user sessions ended');
    return { sessionsEnded };
  });
}

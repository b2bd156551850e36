import type { FastifyInstance } from 'fastify';
import { removeUser } from '../../../../../accounts/user-lifecycle.js';
import type { AppDeps } from '../../../../deps.js';
import { requireAdmin } from '../../../../guards.js';
import { parseInput } from '../../../../validation.js';
import { noQuery } from '../../no-query.js';
import { lastAdmin, noSuchUser } from './answers.js';
import { userParamsSchema } from './params.js';

/**
 * DELETE /api/users/:id — admin: removes the user for good (204); their sessions end with
 * them. 409 `last_admin` for the last active admin; 404 for a user of another organisation.
 */
export function registerDeleteUser(app: FastifyInstance, deps: AppDeps): void {
  app.delete('/api/users/:id', async (request, reply) => {
    const { organisation, user: admin } = requireAdmin(request);
    const { id } = parseInput(userParamsSchema, request.params, 'params');
    parseInput(noQuery, request.query, 'query');
    const result = await removeUser(deps.database, organisation.id, id);
    if (!result.ok) throw result.reason === 'not_found' ? noSuchUser() : lastAdmin('remove them');
    request.log.info({ organisationId: organisation.id, userId: id, by: admin.id }, 'user removed');
    return reply.code(204).send();
  });
}

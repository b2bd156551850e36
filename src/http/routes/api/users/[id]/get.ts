import type { FastifyInstance } from 'fastify';
import { findUser } from '../../../../../accounts/users-repository.js';
import type { UserResponse } from '../../../../api-types.js';
import type { AppDeps } from '../../../../deps.js';
import { notFound } from '../../../../errors.js';
import { requireSession } from '../../../../guards.js';
import { parseInput } from '../../../../validation.js';
import { userView } from '../../../../views.js';
import { userParamsSchema } from './params.js';
import { noQuery } from '../../no-query.js';

/** GET /api/users/:id — one user of the caller's organisation; 404 for anyone else's. */
export function registerGetUser(app: FastifyInstance, deps: AppDeps): void {
  app.get('/api/users/:id', async (request): Promise<UserResponse> => {
    const { organisation } = requireSession(request);
    const { id } = parseInput(userParamsSchema, request.params, 'params');
    parseInput(noQuery, request.query, 'query');
    const user = await findUser(deps.database.db, organisation.id, id);
    if (user === undefined) throw notFound('No such user.');
    return { user: userView(user) };
  });
}

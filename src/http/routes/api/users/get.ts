import type { FastifyInstance } from 'fastify';
import { listUsers } from '../../../../accounts/users-repository.js';
import type { UsersResponse } from '../../../api-types.js';
import type { AppDeps } from '../../../deps.js';
import { requireSession } from '../../../guards.js';
import { parseInput } from '../../../validation.js';
import { userView } from '../../../views.js';
import { noQuery } from '../no-query.js';

/** GET /api/users — the users of the caller's organisation. Any logged-in user. */
export function registerGetUsers(app: FastifyInstance, deps: AppDeps): void {
  app.get('/api/users', async (request): Promise<UsersResponse> => {
    const { organisation } = requireSession(request);
    parseInput(noQuery, request.query, 'query');
    const users = await listUsers(deps.database.db, organisation.id);
    return { users: users.map(userView) };
  });
}

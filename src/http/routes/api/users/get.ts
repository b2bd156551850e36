import type { FastifyInstance } from 'fastify';
import { listUsers } from '../../../../accounts/users-repository.js';
import { usersApi } from '../../../../api/users.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { requireSession } from '../../../guards.js';
import { userView } from '../../../views.js';

/** GET /api/users — the users of the caller's organisation. Any logged-in user. */
export function registerGetUsers(app: FastifyInstance, deps: AppDeps): void {
  route(app, usersApi.list, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    input.query();
    const users = await listUsers(deps.database.db, organisation.id);
    return { users: users.map(userView) };
  });
}

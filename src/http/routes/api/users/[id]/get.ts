import type { FastifyInstance } from 'fastify';
import { noSuchUser } from '../../../../../accounts/user-outcomes.js';
import { findUser } from '../../../../../accounts/users-repository.js';
import { usersApi } from '../../../../../api/users.js';
import { route } from '../../../../contract-route.js';
import type { AppDeps } from '../../../../deps.js';
import { httpFailure } from '../../../../failures.js';
import { requireSession } from '../../../../guards.js';
import { userView } from '../../../../views.js';

/** GET /api/users/:id — one user of the caller's organisation; 404 for anyone else's. */
export function registerGetUser(app: FastifyInstance, deps: AppDeps): void {
  route(app, usersApi.get, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    const { id } = input.params();
    input.query();
    const user = await findUser(deps.database.db, organisation.id, id);
    if (user === undefined) throw httpFailure(noSuchUser(), { not_found: 404 });
    return { user: userView(user) };
  });
}

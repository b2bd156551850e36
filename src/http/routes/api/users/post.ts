import type { FastifyInstance } from 'fastify';
import { addUser } from '../../../../accounts/users.js';
import { usersApi } from '../../../../api/users.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { httpFailure } from '../../../failures.js';
import { requireAdmin } from '../../../guards.js';
import { userView } from '../../../views.js';
import { refuseWeakPassword } from '../../../weak-password.js';

/**
 * POST /api/users — admin: adds a user to the caller's organisation. 409 `email_taken`;
 * 400 `weak_password` for a password that is too easy to guess.
 */
export function registerPostUsers(app: FastifyInstance, deps: AppDeps): void {
  route(app, usersApi.add, async (request, _reply, input) => {
    const { organisation, user: admin } = requireAdmin(request);
    input.query();
    const body = input.body();
    refuseWeakPassword(body.password, { ...body, organisationName: organisation.name }, 'password');
    const result = await addUser(deps.database, organisation.id, body, deps.clock.now());
    if (!result.ok) throw httpFailure(result, { email_taken: 409 });
    request.log.info({ organisationId: organisation.id, userId: result.value.id, by: admin.id }, 'user added');
    return { user: userView(result.value) };
  });
}

import type { FastifyInstance } from 'fastify';
import { changeOwnPassword } from '../../../../accounts/password-change.js';
import { sessionApi } from '../../../../api/session.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { httpFailure } from '../../../failures.js';
import { requireSession } from '../../../guards.js';
import { retryAfterHeaders } from '../../../retry-after.js';
import { sessionView } from '../../../views.js';
import { refuseWeakPassword } from '../../../weak-password.js';

/**
 * POST /api/session/password — any logged-in user changes their own password (also, and
 * especially, one who must after an admin's reset). Every OTHER session of theirs ends; this
 * one stays. 400 `wrong_password` when the current password is wrong (counted against the
 * log-in throttle: 429 `too_many_attempts` once it locks), 400 `weak_password`, 400
 * `password_unchanged` when the new one is the current one.
 */
export function registerChangePassword(app: FastifyInstance, deps: AppDeps): void {
  route(app, sessionApi.changePassword, async (request, _reply, input) => {
    const context = requireSession(request, { allowPendingPasswordChange: true });
    input.query();
    const body = input.body();
    const { user, organisation } = context;
    refuseWeakPassword(body.newPassword, { email: user.email, name: user.name, organisationName: organisation.name }, 'newPassword');
    const result = await changeOwnPassword(deps.database, context, { ...body, address: request.ip }, deps.clock.now());
    if (!result.ok) {
      request.log.info({ organisationId: organisation.id, userId: user.id, reason: result.code }, 'password change refused');
      throw httpFailure(result, { too_many_attempts: 429, wrong_password: 400, password_unchanged: 400 }, retryAfterHeaders(result));
    }
    request.log.info({ organisationId: organisation.id, userId: user.id, sessionsEnded: result.value.sessionsEnded }, 'password changed');
    return sessionView({ ...context, user: result.value.user });
  });
}

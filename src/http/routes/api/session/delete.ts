import type { FastifyInstance } from 'fastify';
import { endSession } from '../../../../accounts/sessions.js';
import { sessionApi } from '../../../../api/session.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { optionalSession } from '../../../guards.js';
import { clearSessionCookie } from '../../../plugins/session.js';

/** DELETE /api/session — log out: deletes the session and clears the cookie. 204, also without a session. */
export function registerDeleteSession(app: FastifyInstance, deps: AppDeps): void {
  route(app, sessionApi.logOut, async (request, reply, input) => {
    input.query();
    const context = optionalSession(request);
    if (context !== null) {
      await endSession(deps.database.db, context.session);
      request.log.info({ organisationId: context.organisation.id, userId: context.user.id }, 'logged out');
    }
    clearSessionCookie(reply, deps.config);
    return reply.send();
  });
}

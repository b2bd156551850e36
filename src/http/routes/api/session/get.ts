import type { FastifyInstance } from 'fastify';
import { sessionApi } from '../../../../api/session.js';
import { route } from '../../../contract-route.js';
import { requireSession } from '../../../guards.js';
import { sessionView } from '../../../views.js';

/**
 * GET /api/session — who is logged in, and the CSRF token to send with changes. 401 without a
 * session. Answers also while the user must change their password (user.mustChangePassword).
 */
export function registerGetSession(app: FastifyInstance): void {
  route(app, sessionApi.get, async (request, _reply, input) => {
    input.query();
    return sessionView(requireSession(request, { allowPendingPasswordChange: true }));
  });
}

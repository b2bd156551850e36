import type { FastifyInstance } from 'fastify';
import type { SessionResponse } from '../../../api-types.js';
import { requireSession } from '../../../guards.js';
import { parseInput } from '../../../validation.js';
import { sessionView } from '../../../views.js';
import { noQuery } from '../no-query.js';

/**
 * GET /api/session — who is logged in, and the CSRF token to send with changes. 401 without a
 * session. Answers also while the user must change their password (user.mustChangePassword).
 */
export function registerGetSession(app: FastifyInstance): void {
  app.get('/api/session', async (request): Promise<SessionResponse> => {
    parseInput(noQuery, request.query, 'query');
    return sessionView(requireSession(request, { allowPendingPasswordChange: true }));
  });
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { newPasswordField, passwordField } from '../../../../accounts/fields.js';
import { changeOwnPassword } from '../../../../accounts/password-change.js';
import type { SessionResponse } from '../../../api-types.js';
import type { AppDeps } from '../../../deps.js';
import { HttpError } from '../../../errors.js';
import { requireSession } from '../../../guards.js';
import { parseInput } from '../../../validation.js';
import { sessionView } from '../../../views.js';
import { refuseWeakPassword } from '../../../weak-password.js';
import { noQuery } from '../no-query.js';

const bodySchema = z.strictObject({ currentPassword: passwordField, newPassword: newPasswordField });

/**
 * POST /api/session/password — any logged-in user changes their own password (also, and
 * especially, one who must after an admin's reset). Every OTHER session of theirs ends; this
 * one stays. 400 `wrong_password` when the current password is wrong (counted against the
 * log-in throttle: 429 `too_many_attempts` once it locks), 400 `weak_password`, 400
 * `password_unchanged` when the new one is the current one.
 */
export function registerChangePassword(app: FastifyInstance, deps: AppDeps): void {
  app.post('/api/session/password', async (request): Promise<SessionResponse> => {
    const context = requireSession(request, { allowPendingPasswordChange: true });
    parseInput(noQuery, request.query, 'query');
    const body = parseInput(bodySchema, request.body, 'body');
    const { user, organisation } = context;
    refuseWeakPassword(body.newPassword, { email: user.email, name: user.name, organisationName: organisation.name }, 'newPassword');
    const result = await changeOwnPassword(deps.database, context, { ...body, address: request.ip }, deps.clock.now());
    if (!result.ok) {
      request.log.info({ organisationId: organisation.id, userId: user.id, reason: result.reason }, 'password change refused');
      if (result.reason === 'locked') {
        const seconds = result.retryAfterSeconds;
        throw new HttpError(
          429,
          'too_many_attempts',
          `Too many wrong passwords. Try again in ${seconds} s.`,
          { retryAfterSeconds: seconds },
          { 'retry-after': String(seconds) },
        );
      }
      if (result.reason === 'wrong_password') {
        throw new HttpError(400, 'wrong_password', 'The current password is wrong.', [
          { path: 'currentPassword', message: 'is not your current password' },
        ]);
      }
      throw new HttpError(400, 'password_unchanged', 'The new password is the current one: choose another.', [
        { path: 'newPassword', message: 'must differ from the current password' },
      ]);
    }
    request.log.info({ organisationId: organisation.id, userId: user.id, sessionsEnded: result.sessionsEnded }, 'password changed');
    return sessionView({ ...context, user: result.user });
  });
}

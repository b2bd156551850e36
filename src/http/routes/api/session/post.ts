import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { emailField, passwordField } from '../../../../accounts/fields.js';
import { logIn } from '../../../../accounts/log-in.js';
import { endSession } from '../../../../accounts/sessions.js';
import type { SessionResponse } from '../../../api-types.js';
import type { AppDeps } from '../../../deps.js';
import { HttpError } from '../../../errors.js';
import { setSessionCookie } from '../../../plugins/session.js';
import { parseInput } from '../../../validation.js';
import { sessionView } from '../../../views.js';
import { noQuery } from '../no-query.js';

const bodySchema = z.strictObject({ email: emailField, password: passwordField });

/**
 * POST /api/session — log in. 401 `invalid_credentials` for an unknown address and a wrong
 * password alike; 429 `too_many_attempts` (with Retry-After) while the account or the
 * client address is throttled, even with the right password.
 */
export function registerPostSession(app: FastifyInstance, deps: AppDeps): void {
  app.post('/api/session', async (request, reply): Promise<SessionResponse> => {
    parseInput(noQuery, request.query, 'query');
    const body = parseInput(bodySchema, request.body, 'body');
    const result = await logIn(
      deps.database,
      { email: body.email, password: body.password, address: request.ip },
      { now: deps.clock.now(), ttlMs: deps.config.sessionTtlMs },
    );
    if (!result.ok) {
      // Never log the submitted e-mail: people type passwords into the wrong field.
      request.log.info({ reason: result.reason }, 'log-in refused');
      if (result.reason === 'locked') {
        const seconds = result.retryAfterSeconds;
        throw new HttpError(
          429,
          'too_many_attempts',
          `Too many failed log-ins. Try again in ${seconds} s.`,
          { retryAfterSeconds: seconds },
          { 'retry-after': String(seconds) },
        );
      }
      throw new HttpError(401, 'invalid_credentials', 'The e-mail address or the password is wrong.');
    }
    // Logging in again replaces the session the browser had.
    const previous = request.sessionContext;
    if (previous != null) await endSession(deps.database.db, previous.session);
    setSessionCookie(reply, deps.config, result.cookieValue);
    request.log.info({ organisationId: result.context.organisation.id, userId: result.context.user.id }, 'logged in');
    return sessionView(result.context);
  });
}

import type { FastifyInstance } from 'fastify';
import { logIn } from '../../../../accounts/log-in.js';
import { endSession } from '../../../../accounts/sessions.js';
import { sessionApi } from '../../../../api/session.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { httpFailure } from '../../../failures.js';
import { setSessionCookie } from '../../../plugins/session.js';
import { retryAfterHeaders } from '../../../retry-after.js';
import { sessionView } from '../../../views.js';

/**
 * POST /api/session — log in. 401 `invalid_credentials` for an unknown address and a wrong
 * password alike; 429 `too_many_attempts` (with Retry-After) while the account or the
 * client address is throttled, even with the right password.
 */
export function registerPostSession(app: FastifyInstance, deps: AppDeps): void {
  route(app, sessionApi.logIn, async (request, reply, input) => {
    input.query();
    const body = input.body();
    const result = await logIn(
      deps.database,
      { email: body.email, password: body.password, address: request.ip },
      { now: deps.clock.now(), ttlMs: deps.config.sessionTtlMs },
    );
    if (!result.ok) {
      // Never log the submitted e-mail: people type passwords into the wrong field.
      request.log.info({ reason: result.code }, 'log-in refused');
      throw httpFailure(result, { invalid_credentials: 401, too_many_attempts: 429 }, retryAfterHeaders(result));
    }
    const { context, cookieValue } = result.value;
    // Logging in again replaces the session the browser had.
    const previous = request.sessionContext;
    if (previous != null) await endSession(deps.database.db, previous.session);
    setSessionCookie(reply, deps.config, cookieValue);
    request.log.info({ organisationId: context.organisation.id, userId: context.user.id }, 'logged in');
    return sessionView(context);
  });
}

import type { FastifyInstance } from 'fastify';
import { alreadySetUp, createOrganisationWithAdmin } from '../../../../accounts/organisations.js';
import { startSession } from '../../../../accounts/sessions.js';
import { anyUserExists } from '../../../../accounts/users-repository.js';
import { sessionApi } from '../../../../api/session.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { httpFailure } from '../../../failures.js';
import { setSessionCookie } from '../../../plugins/session.js';
import { sessionView } from '../../../views.js';
import { refuseWeakPassword } from '../../../weak-password.js';

/**
 * POST /api/setup — public, and only while the installation has no user: creates the
 * organisation and its first admin, and logs them in. 409 `already_set_up` afterwards;
 * 400 `weak_password` for a password that is too easy to guess.
 */
export function registerPostSetup(app: FastifyInstance, deps: AppDeps): void {
  route(app, sessionApi.setup, async (request, reply, input) => {
    input.query();
    const body = input.body();
    // Cheap early answer (and no scrypt work for strangers); the transaction re-checks.
    if (await anyUserExists(deps.database.db)) throw httpFailure(alreadySetUp(), { already_set_up: 409 });
    refuseWeakPassword(body.password, body, 'password');
    const now = deps.clock.now();
    const created = await createOrganisationWithAdmin(deps.database, body, { now, onlyIfNoUsers: true });
    // An address already taken means a user exists: setup is over either way.
    if (!created.ok) throw httpFailure(alreadySetUp(), { already_set_up: 409 });
    const { organisation, user } = created.value;
    const { session, cookieValue } = await startSession(deps.database.db, user, { now, ttlMs: deps.config.sessionTtlMs });
    setSessionCookie(reply, deps.config, cookieValue);
    request.log.info({ organisationId: organisation.id, userId: user.id }, 'first admin created');
    return sessionView({ session, user, organisation });
  });
}

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { emailField, newPasswordField, organisationNameField, personNameField } from '../../../../accounts/fields.js';
import { createOrganisationWithAdmin } from '../../../../accounts/organisations.js';
import { startSession } from '../../../../accounts/sessions.js';
import { anyUserExists } from '../../../../accounts/users-repository.js';
import type { SessionResponse } from '../../../api-types.js';
import type { AppDeps } from '../../../deps.js';
import { conflict } from '../../../errors.js';
import { setSessionCookie } from '../../../plugins/session.js';
import { parseInput } from '../../../validation.js';
import { sessionView } from '../../../views.js';
import { refuseWeakPassword } from '../../../weak-password.js';
import { noQuery } from '../no-query.js';

const bodySchema = z.strictObject({
  organisationName: organisationNameField,
  name: personNameField,
  email: emailField,
  password: newPasswordField,
});

const alreadySetUp = () => conflict('already_set_up', 'The hub is already set up. Log in instead.');

/**
 * POST /api/setup — public, and only while the installation has no user: creates the
 * organisation and its first admin, and logs them in. 409 `already_set_up` afterwards;
 * 400 `weak_password` for a password that is too easy to guess.
 */
export function registerPostSetup(app: FastifyInstance, deps: AppDeps): void {
  app.post('/api/setup', async (request, reply): Promise<SessionResponse> => {
    parseInput(noQuery, request.query, 'query');
    const body = parseInput(bodySchema, request.body, 'body');
    // Cheap early answer (and no scrypt work for strangers); the transaction re-checks.
    if (await anyUserExists(deps.database.db)) throw alreadySetUp();
    refuseWeakPassword(body.password, body, 'password');
    const now = deps.clock.now();
    const created = await createOrganisationWithAdmin(deps.database, body, { now, onlyIfNoUsers: true });
    if (!created.ok) throw alreadySetUp();
    const { session, cookieValue } = await startSession(deps.database.db, created.user, {
      now,
      ttlMs: deps.config.sessionTtlMs,
    });
    setSessionCookie(reply, deps.config, cookieValue);
    request.log.info({ organisationId: created.organisation.id, userId: created.user.id }, 'first admin created');
    reply.code(201);
    return sessionView({ session, user: created.user, organisation: created.organisation });
  });
}

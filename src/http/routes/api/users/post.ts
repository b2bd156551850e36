import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { emailField, newPasswordField, personNameField, roleField } from '../../../../accounts/fields.js';
import { addUser } from '../../../../accounts/users.js';
import type { UserResponse } from '../../../api-types.js';
import type { AppDeps } from '../../../deps.js';
import { conflict } from '../../../errors.js';
import { requireAdmin } from '../../../guards.js';
import { parseInput } from '../../../validation.js';
import { userView } from '../../../views.js';
import { refuseWeakPassword } from '../../../weak-password.js';
import { noQuery } from '../no-query.js';

const bodySchema = z.strictObject({
  email: emailField,
  name: personNameField,
  password: newPasswordField,
  role: roleField,
});

/**
 * POST /api/users — admin: adds a user to the caller's organisation. 409 `email_taken`;
 * 400 `weak_password` for a password that is too easy to guess.
 */
export function registerPostUsers(app: FastifyInstance, deps: AppDeps): void {
  app.post('/api/users', async (request, reply): Promise<UserResponse> => {
    const { organisation, user: admin } = requireAdmin(request);
    parseInput(noQuery, request.query, 'query');
    const body = parseInput(bodySchema, request.body, 'body');
    refuseWeakPassword(body.password, { ...body, organisationName: organisation.name }, 'password');
    const result = await addUser(deps.database, organisation.id, body, deps.clock.now());
    if (!result.ok) throw conflict('email_taken', 'A user with this e-mail address already exists.');
    request.log.info({ organisationId: organisation.id, userId: result.user.id, by: admin.id }, 'user added');
    reply.code(201);
    return { user: userView(result.user) };
  });
}

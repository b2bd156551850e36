import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { personNameField, roleField } from '../../../../../accounts/fields.js';
import { changeUser } from '../../../../../accounts/users.js';
import type { UserResponse } from '../../../../api-types.js';
import type { AppDeps } from '../../../../deps.js';
import { requireAdmin } from '../../../../guards.js';
import { parseInput } from '../../../../validation.js';
import { userView } from '../../../../views.js';
import { lastAdmin, noSuchUser } from './answers.js';
import { userParamsSchema } from './params.js';
import { noQuery } from '../../no-query.js';

const bodySchema = z
  .strictObject({ name: personNameField.optional(), role: roleField.optional() })
  .refine((body) => body.name !== undefined || body.role !== undefined, { message: 'change at least one of name, role' });

/**
 * PATCH /api/users/:id — admin: renames a user or changes their role. 404 for a user of
 * another organisation (never 403: existence is not revealed); 409 `last_admin` when it
 * would leave the organisation without an active admin. The user's open sessions see the new role
 * on their next request.
 */
export function registerPatchUser(app: FastifyInstance, deps: AppDeps): void {
  app.patch('/api/users/:id', async (request): Promise<UserResponse> => {
    const { organisation, user: admin } = requireAdmin(request);
    const { id } = parseInput(userParamsSchema, request.params, 'params');
    parseInput(noQuery, request.query, 'query');
    const body = parseInput(bodySchema, request.body, 'body');
    const result = await changeUser(deps.database, organisation.id, id, body, deps.clock.now());
    if (!result.ok) {
      throw result.reason === 'not_found' ? noSuchUser() : lastAdmin('make them a viewer');
    }
    request.log.info({ organisationId: organisation.id, userId: id, by: admin.id, role: result.user.role }, 'user changed');
    return { user: userView(result.user) };
  });
}

import { z } from 'zod';
import { emptyBody, idParams, isoTime, noQuery } from './common.js';
import { endpoint, type RequestBody, type ResponseBody } from './endpoint.js';
import { emailField, newPasswordField, personNameField, roleSchema } from './fields.js';

export const userViewSchema = z.strictObject({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  createdAt: isoTime,
  /** `deactivated`: cannot log in and has no session until an admin reactivates them. */
  status: z.enum(['active', 'deactivated']),
  deactivatedAt: isoTime.nullable(),
  /**
   * True after an admin reset the password: until the user changes it (POST
   * /api/session/password), their sessions are refused everything else (403
   * password_change_required) but GET /api/session and log-out.
   */
  mustChangePassword: z.boolean(),
});
export type UserView = z.infer<typeof userViewSchema>;

const userResponseSchema = z.strictObject({ user: userViewSchema });

/**
 * The users of the caller's organisation. Every /api/users/:id endpoint answers 404 for a user
 * of another organisation (as for an id that does not exist: existence is not revealed), and
 * 409 `last_admin` when a change would leave the organisation without an active admin.
 */
export const usersApi = {
  /** GET /api/users — any logged-in user. */
  list: endpoint({
    method: 'GET',
    path: '/api/users',
    query: noQuery,
    status: 200,
    response: z.strictObject({ users: z.array(userViewSchema) }),
  }),
  /** POST /api/users — admin. 409 email_taken; 400 weak_password. */
  add: endpoint({
    method: 'POST',
    path: '/api/users',
    query: noQuery,
    body: z.strictObject({ email: emailField, name: personNameField, password: newPasswordField, role: roleSchema }),
    status: 201,
    response: userResponseSchema,
  }),
  /** GET /api/users/:id */
  get: endpoint({ method: 'GET', path: '/api/users/:id', params: idParams, query: noQuery, status: 200, response: userResponseSchema }),
  /** PATCH /api/users/:id — admin: a new name and/or role; at least one. */
  change: endpoint({
    method: 'PATCH',
    path: '/api/users/:id',
    params: idParams,
    query: noQuery,
    body: z
      .strictObject({ name: personNameField.optional(), role: roleSchema.optional() })
      .refine((body) => body.name !== undefined || body.role !== undefined, { error: 'change at least one of name, role' }),
    status: 200,
    response: userResponseSchema,
  }),
  /** POST /api/users/:id/deactivate — admin: no log-in, every session ends at once. */
  deactivate: endpoint({
    method: 'POST',
    path: '/api/users/:id/deactivate',
    params: idParams,
    query: noQuery,
    body: emptyBody,
    status: 200,
    response: userResponseSchema,
  }),
  /** POST /api/users/:id/reactivate — admin. */
  reactivate: endpoint({
    method: 'POST',
    path: '/api/users/:id/reactivate',
    params: idParams,
    query: noQuery,
    body: emptyBody,
    status: 200,
    response: userResponseSchema,
  }),
  /** DELETE /api/users/:id — admin: removes the user for good. */
  remove: endpoint({ method: 'DELETE', path: '/api/users/:id', params: idParams, query: noQuery, status: 204, response: null }),
  /** DELETE /api/users/:id/sessions — admin: every session of the user ends; they can log in again. */
  endSessions: endpoint({
    method: 'DELETE',
    path: '/api/users/:id/sessions',
    params: idParams,
    query: noQuery,
    status: 200,
    response: z.strictObject({ sessionsEnded: z.number().int().nonnegative() }),
  }),
  /**
   * POST /api/users/:id/password-reset — admin: a random temporary password, shown this once
   * (the hub keeps only its hash). All the user's sessions end; they must change it at their
   * next log-in (`user.mustChangePassword`).
   */
  resetPassword: endpoint({
    method: 'POST',
    path: '/api/users/:id/password-reset',
    params: idParams,
    query: noQuery,
    body: emptyBody,
    status: 200,
    response: z.strictObject({ user: userViewSchema, temporaryPassword: z.string() }),
  }),
};

export type UsersResponse = ResponseBody<typeof usersApi.list>;
export type CreateUserRequest = RequestBody<typeof usersApi.add>;
export type UserResponse = ResponseBody<typeof usersApi.get>;
export type UpdateUserRequest = RequestBody<typeof usersApi.change>;
export type EndSessionsResponse = ResponseBody<typeof usersApi.endSessions>;
export type PasswordResetResponse = ResponseBody<typeof usersApi.resetPassword>;

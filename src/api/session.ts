import { z } from 'zod';
import { noQuery } from './common.js';
import { endpoint, type RequestBody, type ResponseBody } from './endpoint.js';
import { emailField, newPasswordField, organisationNameField, passwordField, personNameField } from './fields.js';
import { organisationViewSchema } from './organisation.js';
import { userViewSchema } from './users.js';

/** `csrfToken` must be sent as the X-CSRF-Token header on every state-changing request. */
const sessionResponseSchema = z.strictObject({ user: userViewSchema, organisation: organisationViewSchema, csrfToken: z.string() });

export const sessionApi = {
  /**
   * POST /api/setup — public, only while no user exists: creates the organisation and its
   * first admin and logs them in. 409 already_set_up afterwards; 400 weak_password.
   */
  setup: endpoint({
    method: 'POST',
    path: '/api/setup',
    query: noQuery,
    body: z.strictObject({ organisationName: organisationNameField, name: personNameField, email: emailField, password: newPasswordField }),
    status: 201,
    response: sessionResponseSchema,
  }),
  /** GET /api/session — who is logged in; also while they must change their password. */
  get: endpoint({ method: 'GET', path: '/api/session', query: noQuery, status: 200, response: sessionResponseSchema }),
  /** POST /api/session — log in. 401 invalid_credentials; 429 too_many_attempts (Retry-After). */
  logIn: endpoint({
    method: 'POST',
    path: '/api/session',
    query: noQuery,
    body: z.strictObject({ email: emailField, password: passwordField }),
    status: 200,
    response: sessionResponseSchema,
  }),
  /** DELETE /api/session — log out (also without a session). */
  logOut: endpoint({ method: 'DELETE', path: '/api/session', query: noQuery, status: 204, response: null }),
  /**
   * POST /api/session/password — change one's own password. Every other session of the user
   * ends; this one stays. 400 wrong_password, weak_password, password_unchanged; 429
   * too_many_attempts (counted with log-ins).
   */
  changePassword: endpoint({
    method: 'POST',
    path: '/api/session/password',
    query: noQuery,
    body: z.strictObject({ currentPassword: passwordField, newPassword: newPasswordField }),
    status: 200,
    response: sessionResponseSchema,
  }),
};

export type SessionResponse = ResponseBody<typeof sessionApi.get>;
export type SetupRequest = RequestBody<typeof sessionApi.setup>;
export type LoginRequest = RequestBody<typeof sessionApi.logIn>;
export type ChangePasswordRequest = RequestBody<typeof sessionApi.changePassword>;

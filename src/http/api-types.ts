/**
 * Request and response bodies of the JSON API, shared by the server and the web app
 * (web/src/api imports these types). Times are ISO-8601 strings. Errors always have the
 * shape of {@link ApiError}. docs/api.md documents every endpoint.
 */

export interface ApiError {
  error: { code: string; message: string; details?: unknown };
}

/** `details` of 400 invalid_body / invalid_query / invalid_params: one entry per problem. */
export type ValidationDetails = { path: string; message: string }[];

/** `details` of 429 too_many_attempts (also sent as the Retry-After header). */
export interface TooManyAttemptsDetails {
  retryAfterSeconds: number;
}

export type Role = 'admin' | 'viewer';

/** Shortest password the hub accepts when one is set (the web app checks it before sending). */
export const MIN_PASSWORD_LENGTH = 12;

/** GET /api/meta — public. */
export interface MetaResponse {
  version: string;
  /** True until the first admin exists: the web app then shows "Create the first admin". */
  setupRequired: boolean;
  /** True when the hub talks to the built-in sandbox instead of the real vendors. */
  sandboxMode: boolean;
  /** In sandbox mode: the pages where a person acts as a PagerDuty responder or a Linear user. */
  sandbox: { pagerdutyUrl: string; linearUrl: string } | null;
}

export interface UserView {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

export interface OrganisationView {
  id: string;
  name: string;
  createdAt: string;
}

/**
 * GET /api/session, and the answer to POST /api/session (log in) and POST /api/setup.
 * `csrfToken` must be sent as the X-CSRF-Token header on every state-changing request.
 */
export interface SessionResponse {
  user: UserView;
  organisation: OrganisationView;
  csrfToken: string;
}

/**
 * POST /api/setup — only while no user exists; creates the organisation and its first admin
 * and logs them in (answers SessionResponse). The password must be at least 12 characters.
 */
export interface SetupRequest {
  organisationName: string;
  name: string;
  email: string;
  password: string;
}

/** POST /api/session */
export interface LoginRequest {
  email: string;
  password: string;
}

/** GET /api/users */
export interface UsersResponse {
  users: UserView[];
}

/** POST /api/users (admin); the password must be at least 12 characters. */
export interface CreateUserRequest {
  email: string;
  name: string;
  password: string;
  role: Role;
}

/** GET /api/users/:id, and the answer to POST /api/users and PATCH /api/users/:id. */
export interface UserResponse {
  user: UserView;
}

/** PATCH /api/users/:id (admin); at least one field. */
export interface UpdateUserRequest {
  name?: string;
  role?: Role;
}

/** GET /api/organisation, PATCH /api/organisation (admin) */
export interface OrganisationResponse {
  organisation: OrganisationView;
}

export interface UpdateOrganisationRequest {
  name: string;
}

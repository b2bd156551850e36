/**
 * Request and response bodies of the JSON API, shared by the server and the web app
 * (web/src/api imports these types). Times are ISO-8601 strings. Errors always have the
 * shape of {@link ApiError}. docs/api.md documents every endpoint.
 */

export interface ApiError {
  error: { code: string; message: string; details?: unknown };
}

export type Role = 'admin' | 'viewer';

/** GET /api/meta — public. */
export interface MetaResponse {
  version: string;
  /** True until the first admin exists: the web app then shows "Create the first admin". */
  setupRequired: boolean;
  /** True when the hub talks to the built-in sandbox instead of the real vendors. */
  sandboxMode: boolean;
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

/** POST /api/setup — only while no user exists; creates the organisation and its first admin. */
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

/** POST /api/users (admin) */
export interface CreateUserRequest {
  email: string;
  name: string;
  password: string;
  role: Role;
}

/** PATCH /api/users/:id (admin) */
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

import type { FastifyRequest } from 'fastify';
import type { SessionContext } from '../accounts/sessions.js';
import { forbidden, HttpError, unauthenticated } from './errors.js';

/**
 * Guards for route handlers. Every route that reads organisation data starts with one of
 * these and scopes its queries by `organisation.id` from the result — never by an id taken
 * from the request.
 *
 *   const { user, organisation } = requireSession(request);   // any logged-in user
 *   const { organisation } = requireAdmin(request);           // changes: admins only
 *
 * A user whose password an admin reset (`mustChangePassword`) is refused by both with 403
 * `password_change_required`, except on the routes that pass `allowPendingPasswordChange`.
 */

export interface SessionRequirement {
  /** Open to a user who must change their password first: GET /api/session and the change itself. */
  allowPendingPasswordChange?: boolean;
}

/** The caller's session, or null. Throws (a bug) when used on a path the session plugin skips. */
export function optionalSession(request: FastifyRequest): SessionContext | null {
  if (request.sessionContext === undefined) {
    throw new Error(
      `no session resolution on route ${request.routeOptions.url ?? '(unmatched)'}: add its prefix to SESSION_PATH_PREFIXES`,
    );
  }
  return request.sessionContext;
}

/** The caller's session; 401 `unauthenticated` without one, 403 `password_change_required` (see above). */
export function requireSession(request: FastifyRequest, requirement: SessionRequirement = {}): SessionContext {
  const context = optionalSession(request);
  if (context === null) throw unauthenticated();
  if (context.user.mustChangePassword && requirement.allowPendingPasswordChange !== true) {
    throw new HttpError(403, 'password_change_required', 'An admin reset your password: change it to continue.');
  }
  return context;
}

/** The caller's session when the caller is an admin; 401 without a session, 403 `forbidden` for viewers. */
export function requireAdmin(request: FastifyRequest): SessionContext {
  const context = requireSession(request);
  if (context.user.role !== 'admin') throw forbidden('Only admins can change this.');
  return context;
}

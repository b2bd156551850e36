import type { Organisation } from '../accounts/organisations-repository.js';
import type { SessionContext } from '../accounts/sessions.js';
import type { User } from '../accounts/users-repository.js';
import type { OrganisationView, SessionResponse, UserView } from './api-types.js';

/**
 * Domain objects → API bodies (api-types.ts), in one place. Only listed fields leave the
 * server: a password hash can never reach a response because User does not carry one.
 */

export function userView(user: User): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    createdAt: new Date(user.createdAt).toISOString(),
    status: user.deactivatedAt === null ? 'active' : 'deactivated',
    deactivatedAt: user.deactivatedAt === null ? null : new Date(user.deactivatedAt).toISOString(),
    mustChangePassword: user.mustChangePassword,
  };
}

export function organisationView(organisation: Organisation): OrganisationView {
  return { id: organisation.id, name: organisation.name, createdAt: new Date(organisation.createdAt).toISOString() };
}

export function sessionView({ user, organisation, session }: SessionContext): SessionResponse {
  return { user: userView(user), organisation: organisationView(organisation), csrfToken: session.csrfToken };
}

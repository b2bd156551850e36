import type { Organisation } from '../accounts/organisations-repository.js';
import type { SessionContext } from '../accounts/sessions.js';
import type { User } from '../accounts/users-repository.js';
import type { OrganisationView } from '../api/organisation.js';
import type { SessionResponse } from '../api/session.js';
import type { UserView } from '../api/users.js';

/**
 * Accounts' domain objects → API bodies (the contract, src/api), in one place. Only listed
 * fields leave the server: a password hash can never reach a response because User does not
 * carry one.
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

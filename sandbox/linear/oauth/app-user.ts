import { uuidFor } from '../ids.js';
import type { LinearState, User } from '../state.js';
import type { LinearClientConfig } from './clients.js';

/**
 * The app's own user in a workspace, for actor=app installs: its id is unique per workspace
 * and is what `viewer` returns (API-NOTES §1.8). Created on first install.
 */
export function ensureAppUser(state: LinearState, client: LinearClientConfig, organizationId: string): User {
  const id = uuidFor(`app-user:${client.clientId}:${organizationId}`);
  const existing = state.users.get(id);
  if (existing) return existing;
  const org = state.organizations.get(organizationId)!;
  const user: User = {
    id,
    organizationId,
    name: client.name,
    displayName: client.clientId,
    email: `${client.clientId}@oauthapp.linear.sandbox`,
    admin: false,
    app: true,
    appClientId: client.clientId,
    active: true,
    createdAt: org.createdAt,
    updatedAt: org.createdAt,
    seq: state.nextSeq(),
  };
  state.users.set(id, user);
  return user;
}

import { actorFor } from '../domain/actor.js';
import type { LinearSandboxContext } from '../context.js';
import type { Viewer } from './context.js';

/**
 * Resolves `Authorization` (API-NOTES §1.7): `Bearer <OAuth access token>` or a bare personal
 * API key (`Bearer <API key>` is not accepted, as in Linear). Unknown, expired or revoked →
 * undefined (the caller answers AUTHENTICATION_ERROR).
 */
export function authenticate(ctx: LinearSandboxContext, header: string | undefined): Viewer | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  const clientName = (id: string) => ctx.clients.get(id)?.name;
  const bearer = /^bearer\s+(.+)$/i.exec(value);
  if (bearer) {
    const token = ctx.store.authenticate(bearer[1]!.trim());
    const user = token ? ctx.state.users.get(token.user) : undefined;
    const organization = token ? ctx.state.organizations.get(token.account) : undefined;
    if (!token || !user || user.organizationId !== organization?.id) return undefined;
    return {
      user,
      organization,
      scopes: new Set(token.scopes),
      credential: { kind: 'oauth', value: token.value, clientId: token.clientId },
      actor: actorFor(user, clientName),
    };
  }
  const key = ctx.state.apiKeys.get(value);
  const user = key ? ctx.state.users.get(key.userId) : undefined;
  const organization = user ? ctx.state.organizations.get(user.organizationId) : undefined;
  if (!key || !user || !organization) return undefined;
  const scopes = user.admin ? ['read', 'write', 'admin'] : ['read', 'write'];
  return { user, organization, scopes: new Set(scopes), credential: { kind: 'apiKey', value, clientId: null }, actor: actorFor(user, clientName) };
}

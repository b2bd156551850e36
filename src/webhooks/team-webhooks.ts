import type { SessionContext } from '../accounts/sessions.js';
import { fail, ok, type Result } from '../core/result.js';
import type { ProviderName } from '../providers/names.js';
import { providers } from '../providers/registry.js';
import type { ScopeKind } from '../providers/webhooks.js';
import { createEndpoint } from './create-endpoint.js';
import type { WebhooksDeps } from './deps.js';
import { forgetEndpoint } from './endpoint-records.js';
import { findEndpoint, type Endpoint } from './endpoints-repository.js';
import { usableConnection, type ConnectionRefusal } from './usable-connection.js';

/**
 * Webhooks people ask for (ProviderWebhooks.managedBy `people`: Linear teams, on the Webhooks
 * tab): created for a scope the connected account has, deleted by id.
 */

export async function createScopeWebhook(
  deps: WebhooksDeps,
  context: SessionContext,
  provider: ProviderName,
  scopeId: string,
): Promise<Result<Endpoint, ConnectionRefusal | `${ScopeKind}_not_found` | 'webhook_exists'>> {
  const organisationId = context.organisation.id;
  const usable = await usableConnection(deps, organisationId, provider);
  if (!usable.ok) return usable;
  const { displayName, accountNoun, scopes } = providers.get(provider);
  const scope = (await deps.connections.listScopes(organisationId, provider)).find((candidate) => candidate.id === scopeId);
  if (scope === undefined) return fail(`${scopes.kind}_not_found`, `The connected ${displayName} ${accountNoun} has no ${scopes.kind} ${scopeId}.`);
  return createEndpoint(deps, usable.value, { id: scope.id, name: scope.name }, { email: context.user.email, userId: context.user.id });
}

/** Deletes it at the provider (gone there already is fine), then in the hub. */
export async function deleteScopeWebhook(
  deps: WebhooksDeps,
  context: SessionContext,
  provider: ProviderName,
  id: string,
): Promise<Result<undefined, ConnectionRefusal | 'not_found'>> {
  const organisationId = context.organisation.id;
  const { displayName, webhooks } = providers.get(provider);
  const endpoint = await findEndpoint(deps.database.db, organisationId, id);
  if (endpoint?.provider !== provider) return fail('not_found', `No such ${webhooks.words.webhook}.`);
  const usable = await usableConnection(deps, organisationId, provider);
  if (!usable.ok) return usable;
  const externalId = endpoint.externalId;
  if (externalId !== null) await deps.connections.withProvider(organisationId, provider, (request) => webhooks.remove(request, externalId));
  await forgetEndpoint(deps, endpoint);
  deps.logger.info({ endpointId: endpoint.id, by: context.user.id }, `${displayName} ${endpoint.scopeKind} ${webhooks.words.webhook} deleted`);
  return ok();
}

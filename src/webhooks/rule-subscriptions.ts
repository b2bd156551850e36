import { ok, type Result } from '../core/result.js';
import type { ProviderName } from '../providers/names.js';
import { providers } from '../providers/registry.js';
import { createEndpoint } from './create-endpoint.js';
import type { WebhooksDeps } from './deps.js';
import { forgetEndpoint } from './endpoint-records.js';
import { findEndpointByScope, type Endpoint } from './endpoints-repository.js';
import { usableConnection, type ConnectionRefusal } from './usable-connection.js';

/**
 * Webhooks rules ask for (ProviderWebhooks.managedBy `rules`: PagerDuty services): ensured
 * while a rule needs the scope, released when none does.
 */

/**
 * Makes sure one webhook watches the scope: returns the existing one or creates it.
 * Idempotent; concurrent callers end with one. One the provider no longer has (`missing`)
 * is made again; one being created by another caller is left to it.
 */
export async function ensureEndpoint(
  deps: WebhooksDeps,
  organisationId: string,
  provider: ProviderName,
  scope: { id: string; name: string },
): Promise<Result<Endpoint, ConnectionRefusal | 'webhook_exists'>> {
  const db = deps.database.db;
  const existing = await findEndpointByScope(db, organisationId, provider, scope.id);
  if (existing?.status === 'missing') await forgetEndpoint(deps, existing);
  else if (existing !== undefined) return ok(existing);
  const usable = await usableConnection(deps, organisationId, provider);
  if (!usable.ok) return usable;
  const created = await createEndpoint(deps, usable.value, scope, null);
  if (created.ok) return created;
  // Another caller inserted it meanwhile: theirs is the one.
  const winner = await findEndpointByScope(db, organisationId, provider, scope.id);
  return winner !== undefined ? ok(winner) : created;
}

/** Deletes the scope's webhook, at the provider and in the hub; false when there was none. */
export async function releaseEndpoint(deps: WebhooksDeps, organisationId: string, provider: ProviderName, scopeId: string): Promise<boolean> {
  const endpoint = await findEndpointByScope(deps.database.db, organisationId, provider, scopeId);
  if (endpoint === undefined) return false;
  const externalId = endpoint.externalId;
  if (externalId !== null) {
    const { webhooks } = providers.get(provider);
    await deps.connections.withProvider(organisationId, provider, (request) => webhooks.remove(request, externalId));
  }
  await forgetEndpoint(deps, endpoint);
  return true;
}

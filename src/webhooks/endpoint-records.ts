import { newId } from '../core/ids.js';
import { fail, ok, type Result } from '../core/result.js';
import { isUniqueViolation } from '../db/errors.js';
import { providers } from '../providers/registry.js';
import type { WebhooksDeps } from './deps.js';
import { deleteEndpointRow, insertEndpoint, signingSecretRef, type Endpoint } from './endpoints-repository.js';
import { endpointForgotten } from './intake-endpoints.js';
import type { UsableConnection } from './usable-connection.js';

/** Where the provider delivers: `${PUBLIC_URL}/webhooks/<provider>/<endpoint id>`, one URL per endpoint. */
export function endpointUrl(publicUrl: URL, endpoint: Pick<Endpoint, 'provider' | 'id'>): string {
  return new URL(`/webhooks/${endpoint.provider}/${endpoint.id}`, publicUrl).toString();
}

/**
 * The first phase of creating a webhook: its row (status `creating`) and, when the hub makes
 * the secret, the secret — one transaction, before the provider is called. One per scope:
 * `webhook_exists` when the scope has one already (or another caller just made it).
 */
export async function insertCreating(
  deps: Pick<WebhooksDeps, 'database' | 'vault' | 'clock'>,
  connection: UsableConnection,
  scope: { id: string; name: string },
  secret: string | undefined,
  createdBy: string | null,
): Promise<Result<Endpoint, 'webhook_exists'>> {
  const now = deps.clock.now();
  const webhooks = providers.get(connection.provider).webhooks;
  const endpoint: Endpoint = {
    id: newId('whk'),
    organisationId: connection.organisationId,
    connectionId: connection.id,
    provider: connection.provider,
    scopeKind: webhooks.scopeKind,
    scopeId: scope.id,
    scopeName: scope.name,
    externalId: null,
    status: 'creating',
    statusDetail: null,
    statusCheckedAt: null,
    lastDeliveryAt: null,
    lastRefusedAt: null,
    lastRefusal: null,
    createdByEmail: createdBy,
    createdAt: now,
    updatedAt: now,
    lastRepairAt: null,
    lastRepair: null,
  };
  try {
    await deps.database.db.transaction().execute(async (trx) => {
      await insertEndpoint(trx, endpoint);
      if (secret !== undefined) await deps.vault.put(trx, signingSecretRef(endpoint), secret);
    });
  } catch (error) {
    if (isUniqueViolation(error)) return fail('webhook_exists', webhooks.words.exists(scope.name));
    throw error;
  }
  return ok(endpoint);
}

/**
 * Removes the endpoint and its secret from the hub (what the provider has is the caller's
 * business). Once committed, this process's intake refuses the endpoint at once; other
 * processes within INTAKE_ENDPOINT_TTL_MS (intake-endpoints.ts).
 */
export async function forgetEndpoint(deps: Pick<WebhooksDeps, 'database' | 'vault'>, endpoint: Endpoint): Promise<void> {
  try {
    await deps.database.db.transaction().execute(async (trx) => {
      await deps.vault.deleteOwner(trx, endpoint.organisationId, 'webhook_endpoints', endpoint.id);
      await deleteEndpointRow(trx, endpoint.id);
    });
  } finally {
    endpointForgotten();
  }
}

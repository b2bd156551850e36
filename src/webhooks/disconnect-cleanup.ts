import type { DisconnectCleanup } from '../connections/disconnect.js';
import { providers } from '../providers/registry.js';
import type { WebhooksDeps } from './deps.js';
import { forgetEndpoint } from './endpoint-records.js';
import { listEndpoints } from './endpoints-repository.js';

/**
 * Registered with the connections service: Disconnect deletes the webhooks the hub created
 * with the connection, at the provider while the tokens still work, and in the hub in any
 * case. Best effort: what could not be deleted at the provider is reported, not thrown.
 */
export function disconnectCleanup(deps: WebhooksDeps): DisconnectCleanup {
  return async (connection) => {
    const { displayName, webhooks } = providers.get(connection.provider);
    const endpoints = (await listEndpoints(deps.database.db, connection.organisationId, connection.provider)).filter(
      (endpoint) => endpoint.connectionId === connection.id,
    );
    const problems: string[] = [];
    let deleted = 0;
    for (const endpoint of endpoints) {
      const what = `${webhooks.words.webhook} of ${endpoint.scopeKind} ${endpoint.scopeName}`;
      const externalId = endpoint.externalId;
      try {
        if (externalId !== null && connection.status === 'connected') {
          await deps.connections.withProvider(endpoint.organisationId, endpoint.provider, (request) => webhooks.remove(request, externalId));
          deleted++;
        } else if (externalId !== null) {
          problems.push(`The ${what} could not be deleted at ${displayName} (the connection no longer works); delete it there by hand.`);
        }
      } catch (error) {
        problems.push(`Deleting the ${what} at ${displayName} failed: ${error instanceof Error ? error.message : 'unknown error'}`);
      }
      await forgetEndpoint(deps, endpoint);
    }
    return { deleted, problems };
  };
}

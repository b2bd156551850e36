import type { SessionContext } from '../accounts/sessions.js';
import { fail, ok, type Result } from '../core/result.js';
import type { ProviderName } from '../providers/names.js';
import { providers } from '../providers/registry.js';
import type { RemoteWebhook } from '../providers/webhooks.js';
import type { WebhooksDeps } from './deps.js';
import { clearRefusals, findEndpoint, setEndpointStatus, type Endpoint } from './endpoints-repository.js';
import { usableConnection, type ConnectionRefusal } from './usable-connection.js';

/**
 * Compares the endpoints with what the provider reports (Linear: one list call; PagerDuty:
 * one call per subscription); records and returns their statuses. Endpoints still being
 * created are returned as they are.
 */
export async function checkEndpoints(deps: WebhooksDeps, organisationId: string, provider: ProviderName, endpoints: Endpoint[]): Promise<Endpoint[]> {
  if (endpoints.length === 0) return endpoints;
  const { webhooks } = providers.get(provider);
  const checkable = (endpoint: Endpoint) => (endpoint.status === 'creating' ? null : endpoint.externalId);
  const ids = endpoints.map(checkable).filter((id) => id !== null);
  const remote = await deps.connections.withProvider(organisationId, provider, (request) => webhooks.check(request, ids));
  const checked: Endpoint[] = [];
  for (const endpoint of endpoints) {
    const id = checkable(endpoint);
    checked.push(id === null ? endpoint : await recordStatus(deps, endpoint, remote.get(id)));
  }
  return checked;
}

/** Re-enables a webhook the provider disabled (PagerDuty: after repeated failed deliveries). */
export async function enableEndpoint(
  deps: WebhooksDeps,
  context: SessionContext,
  provider: ProviderName,
  id: string,
): Promise<Result<Endpoint, ConnectionRefusal | 'not_found' | 'webhook_missing'>> {
  const organisationId = context.organisation.id;
  const { displayName, webhooks } = providers.get(provider);
  const endpoint = await findEndpoint(deps.database.db, organisationId, id);
  const enable = webhooks.enable;
  const externalId = endpoint?.provider === provider ? endpoint.externalId : null;
  if (endpoint === undefined || externalId === null || enable === undefined) return fail('not_found', `No such ${webhooks.words.webhook}.`);
  const usable = await usableConnection(deps, organisationId, provider);
  if (!usable.ok) return usable;
  const remote = await deps.connections.withProvider(organisationId, provider, (request) => enable(request, externalId));
  if (remote === undefined) {
    await recordStatus(deps, endpoint, undefined);
    const again = webhooks.managedBy === 'rules' ? 'The hub makes it again when a rule needs it.' : 'Delete it here and create it again.';
    return fail('webhook_missing', `${displayName} no longer has the ${webhooks.words.webhook} of ${endpoint.scopeName}; it cannot be re-enabled. ${again}`);
  }
  // A person re-enabled it: earlier refusals no longer describe it.
  await clearRefusals(deps.database.db, endpoint.id);
  return ok(await recordStatus(deps, { ...endpoint, lastRefusedAt: null, lastRefusal: null }, remote));
}

async function recordStatus(deps: Pick<WebhooksDeps, 'database' | 'clock'>, endpoint: Endpoint, remote: RemoteWebhook | undefined): Promise<Endpoint> {
  const { webhooks } = providers.get(endpoint.provider);
  const [status, statusDetail] = remote === undefined ? (['missing', webhooks.words.missing] as const) : [remote.status, remote.detail];
  const now = deps.clock.now();
  await setEndpointStatus(deps.database.db, endpoint.id, status, statusDetail, now);
  return { ...endpoint, status, statusDetail, statusCheckedAt: now };
}

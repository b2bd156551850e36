import { randomBytes } from 'node:crypto';
import { ok, type Result } from '../core/result.js';
import { providers } from '../providers/registry.js';
import type { ProviderRequest } from '../providers/request.js';
import type { RemoteWebhook } from '../providers/webhooks.js';
import type { WebhooksDeps } from './deps.js';
import { endpointUrl, forgetEndpoint, insertCreating } from './endpoint-records.js';
import { signingSecretRef, updateEndpoint, type Endpoint } from './endpoints-repository.js';
import type { UsableConnection } from './usable-connection.js';

/**
 * Creates a webhook for one team or service, two-phase so nothing is half-made: the row
 * (status `creating`) and — where the hub makes it — the signing secret first; then the
 * provider call; then what the provider answered (its id, status, and the secret where the
 * provider makes it). If a later step fails, the row is removed again, a webhook the provider
 * already made is deleted there (best effort), and the error is thrown.
 */
export async function createEndpoint(
  deps: WebhooksDeps,
  connection: UsableConnection,
  scope: { id: string; name: string },
  createdBy: { email: string; userId: string } | null,
): Promise<Result<Endpoint, 'webhook_exists'>> {
  const { displayName, webhooks } = providers.get(connection.provider);
  const hubSecret = webhooks.secretMadeBy === 'hub' ? randomBytes(32).toString('hex') : undefined;
  const inserted = await insertCreating(deps, connection, scope, hubSecret, createdBy?.email ?? null);
  if (!inserted.ok) return inserted;
  const endpoint = inserted.value;
  const call = <T>(run: (request: ProviderRequest) => Promise<T>) => deps.connections.withProvider(endpoint.organisationId, endpoint.provider, run);
  let remote: RemoteWebhook | undefined;
  try {
    remote = await call((request) => webhooks.create(request, { url: endpointUrl(deps.config.publicUrl, endpoint), scope, secret: hubSecret }));
    const secret = hubSecret ?? remote.secret;
    if (secret === null) throw new Error(`${displayName} did not return the ${webhooks.words.webhook} signing secret.`);
    const now = deps.clock.now();
    const answered = { externalId: remote.id, status: remote.status, statusDetail: null, statusCheckedAt: now, updatedAt: now };
    await deps.database.db.transaction().execute(async (trx) => {
      if (hubSecret === undefined) await deps.vault.put(trx, signingSecretRef(endpoint), secret);
      await updateEndpoint(trx, endpoint.id, answered);
    });
    deps.logger.info(
      { endpointId: endpoint.id, scopeId: scope.id, ...(createdBy !== null ? { by: createdBy.userId } : {}) },
      `${displayName} ${endpoint.scopeKind} ${webhooks.words.webhook} created`,
    );
    return ok({ ...endpoint, ...answered });
  } catch (error) {
    if (remote !== undefined) {
      const made = remote.id;
      await call((request) => webhooks.remove(request, made)).catch(() => undefined);
    }
    await forgetEndpoint(deps, endpoint);
    throw error;
  }
}

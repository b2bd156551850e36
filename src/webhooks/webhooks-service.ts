import type { SessionContext } from '../accounts/sessions.js';
import type { DisconnectCleanup } from '../connections/disconnect.js';
import type { Result } from '../core/result.js';
import type { ProviderName } from '../providers/names.js';
import type { ProviderScope, ScopeKind } from '../providers/webhooks.js';
import type { WebhooksDeps } from './deps.js';
import { disconnectCleanup } from './disconnect-cleanup.js';
import { endpointUrl } from './endpoint-records.js';
import { checkEndpoints, enableEndpoint } from './endpoint-status.js';
import { listEndpoints, type Endpoint } from './endpoints-repository.js';
import { repairWebhooks, type ProviderRepair } from './repair-webhooks.js';
import { ensureEndpoint, releaseEndpoint } from './rule-subscriptions.js';
import { createScopeWebhook, deleteScopeWebhook } from './team-webhooks.js';
import { usableConnection, type ConnectionRefusal, type UsableConnection } from './usable-connection.js';

/**
 * The webhooks the hub creates at the providers and looks after, for every provider alike
 * (what differs is ProviderWebhooks, in src/providers/): one per team or service, each with
 * its own URL (`${PUBLIC_URL}/webhooks/<provider>/<endpoint id>`) and signing secret (in the
 * vault). People create and delete the ones of providers managed by people (Linear teams);
 * rules ensure and release the others (PagerDuty services). The one entry for routes, jobs
 * and main.ts; each operation lives in its own module. Expected outcomes are Results (the
 * routes map their codes to statuses); provider failures are thrown (ProviderError).
 */
export class WebhooksService {
  readonly #deps: WebhooksDeps;
  /** Registered with the connections service: Disconnect deletes what the hub created. */
  readonly cleanupOnDisconnect: DisconnectCleanup;

  constructor(deps: WebhooksDeps) {
    this.#deps = deps;
    this.cleanupOnDisconnect = disconnectCleanup(deps);
  }

  endpointUrl(endpoint: Pick<Endpoint, 'provider' | 'id'>): string {
    return endpointUrl(this.#deps.config.publicUrl, endpoint);
  }

  list(organisationId: string, provider?: ProviderName): Promise<Endpoint[]> {
    return listEndpoints(this.#deps.database.db, organisationId, provider);
  }

  /** The connection, if webhooks can be created or deleted with it now. */
  usableConnection(organisationId: string, provider: ProviderName): Promise<Result<UsableConnection, ConnectionRefusal>> {
    return usableConnection(this.#deps, organisationId, provider);
  }

  /** The teams or services the connected account has, live. */
  listScopes(organisationId: string, provider: ProviderName): Promise<ProviderScope[]> {
    return this.#deps.connections.listScopes(organisationId, provider);
  }

  createScopeWebhook(context: SessionContext, provider: ProviderName, scopeId: string): Promise<Result<Endpoint, ConnectionRefusal | `${ScopeKind}_not_found` | 'webhook_exists'>> {
    return createScopeWebhook(this.#deps, context, provider, scopeId);
  }

  deleteScopeWebhook(context: SessionContext, provider: ProviderName, id: string): Promise<Result<undefined, ConnectionRefusal | 'not_found'>> {
    return deleteScopeWebhook(this.#deps, context, provider, id);
  }

  /** Rules: make sure the scope has its webhook (idempotent). */
  ensureEndpoint(organisationId: string, provider: ProviderName, scope: { id: string; name: string }): Promise<Result<Endpoint, ConnectionRefusal | 'webhook_exists'>> {
    return ensureEndpoint(this.#deps, organisationId, provider, scope);
  }

  /** Rules: no rule needs the scope any more; false when it had no webhook. */
  releaseEndpoint(organisationId: string, provider: ProviderName, scopeId: string): Promise<boolean> {
    return releaseEndpoint(this.#deps, organisationId, provider, scopeId);
  }

  enableEndpoint(context: SessionContext, provider: ProviderName, id: string): Promise<Result<Endpoint, ConnectionRefusal | 'not_found' | 'webhook_missing'>> {
    return enableEndpoint(this.#deps, context, provider, id);
  }

  /**
   * One repair pass over the organisation's webhooks (repair-webhooks.ts): statuses checked and
   * stored, deleted ones re-created, disabled ones re-enabled, orphans adopted or removed.
   */
  repair(organisationId: string): Promise<ProviderRepair[]> {
    return repairWebhooks(this.#deps, organisationId);
  }

  /** Reads the endpoints' state at the provider; records and returns them. */
  checkEndpoints(organisationId: string, provider: ProviderName, endpoints: Endpoint[]): Promise<Endpoint[]> {
    return checkEndpoints(this.#deps, organisationId, provider, endpoints);
  }
}

import { randomBytes } from 'node:crypto';
import type { SessionContext } from '../accounts/sessions.js';
import type { Config } from '../config/index.js';
import { findConnection, type ConnectionRow } from '../connections/connections-repository.js';
import type { ConnectionsService } from '../connections/connections-service.js';
import type { DisconnectCleanup } from '../connections/disconnect.js';
import { ConnectionUnavailableError } from '../connections/errors.js';
import type { Clock } from '../core/clock.js';
import { newId } from '../core/ids.js';
import type { HubDatabase } from '../db/database.js';
import { isUniqueViolation } from '../db/errors.js';
import type { ProviderName } from '../db/tables.js';
import { HttpError, notFound } from '../http/errors.js';
import type { Logger } from '../observability/logger.js';
import { PROVIDER_NAMES, ProviderRequestError } from '../providers/errors.js';
import { createWebhook, deleteWebhook, listTeams, listWebhooks, type LinearTeam } from '../providers/linear/api.js';
import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  enableWebhookSubscription,
  getWebhookSubscription,
  type PagerDutySubscription,
} from '../providers/pagerduty/api.js';
import type { Vault } from '../vault/vault.js';
import {
  clearRefusals,
  deleteEndpointRow,
  findEndpoint,
  findEndpointByScope,
  insertEndpoint,
  listEndpoints,
  setEndpointStatus,
  signingSecretRef,
  updateEndpoint,
  type EndpointRow,
} from './endpoints-repository.js';

/** The incident events two-way sync needs from each service (SPEC §1.6). */
export const PAGERDUTY_SUBSCRIPTION_EVENTS = [
  'incident.triggered',
  'incident.acknowledged',
  'incident.unacknowledged',
  'incident.resolved',
  'incident.reopened',
  'incident.annotated',
  'incident.priority_updated',
  'incident.reassigned',
] as const;

export interface WebhooksServiceDeps {
  config: Config;
  database: HubDatabase;
  vault: Vault;
  clock: Clock;
  logger: Logger;
  connections: ConnectionsService;
}

/**
 * The webhooks the hub creates at the providers and looks after: one Linear webhook per team
 * (people create and delete them on the Webhooks tab) and one PagerDuty v3 subscription per
 * service (rules ensure and release them). Each endpoint gets its own URL
 * (`${PUBLIC_URL}/webhooks/<provider>/<endpoint id>`) and signing secret (in the vault).
 * Creating is two-phase so nothing is half-made: the row (status `creating`) and secret are
 * stored first, then the provider call; if that fails the row is removed again.
 */
export class WebhooksService {
  readonly #deps: WebhooksServiceDeps;

  constructor(deps: WebhooksServiceDeps) {
    this.#deps = deps;
  }

  endpointUrl(row: Pick<EndpointRow, 'provider' | 'id'>): string {
    return new URL(`/webhooks/${row.provider}/${row.id}`, this.#deps.config.publicUrl).toString();
  }

  list(organisationId: string, provider?: ProviderName): Promise<EndpointRow[]> {
    return listEndpoints(this.#deps.database.db, organisationId, provider);
  }

  /** The connection, if it can be used now; otherwise the 409 the routes answer. */
  async usableConnection(organisationId: string, provider: ProviderName): Promise<ConnectionRow> {
    const connection = await findConnection(this.#deps.database.db, organisationId, provider);
    const name = PROVIDER_NAMES[provider];
    if (connection === undefined || connection.status === 'not_connected') {
      throw new ConnectionUnavailableError(provider, 'not_connected', `${name} is not connected: connect it on the Connections tab first.`);
    }
    if (connection.status === 'disconnected') {
      throw new ConnectionUnavailableError(
        provider,
        'disconnected',
        `${name} is Disconnected, so webhooks cannot be created or deleted. Reconnect ${name} on the Connections tab. (${connection.status_message ?? ''})`.replace(' ()', ''),
      );
    }
    return connection;
  }

  // ----- Linear team webhooks -------------------------------------------------------------

  listTeams(organisationId: string): Promise<LinearTeam[]> {
    return this.#deps.connections.withLinear(organisationId, (request) => listTeams(request));
  }

  async createTeamWebhook(context: SessionContext, teamId: string): Promise<EndpointRow> {
    const organisationId = context.organisation.id;
    const connection = await this.usableConnection(organisationId, 'linear');
    const team = (await this.listTeams(organisationId)).find((candidate) => candidate.id === teamId);
    if (team === undefined) throw new HttpError(404, 'team_not_found', `The connected Linear workspace has no team ${teamId}.`);
    const secret = randomBytes(32).toString('hex');
    const row = await this.#insertCreating(connection, { kind: 'team', id: team.id, name: team.name }, secret, context.user.email);
    try {
      const webhook = await this.#deps.connections.withLinear(organisationId, (request) =>
        createWebhook(request, { url: this.endpointUrl(row), teamId: team.id, secret, label: 'Integration Hub' }),
      );
      const now = this.#deps.clock.now();
      await updateEndpoint(this.#deps.database.db, row.id, {
        external_id: webhook.id,
        status: webhook.enabled ? 'active' : 'disabled',
        status_detail: null,
        status_checked_at: now,
        updated_at: now,
      });
      this.#deps.logger.info({ endpointId: row.id, teamId: team.id, by: context.user.id }, 'Linear team webhook created');
      return { ...row, external_id: webhook.id, status: webhook.enabled ? 'active' : 'disabled', status_checked_at: now };
    } catch (error) {
      await this.#forget(row);
      throw error;
    }
  }

  async deleteTeamWebhook(context: SessionContext, id: string): Promise<void> {
    const row = await findEndpoint(this.#deps.database.db, context.organisation.id, id);
    if (row === undefined || row.provider !== 'linear') throw notFound('No such webhook.');
    await this.usableConnection(context.organisation.id, 'linear');
    if (row.external_id !== null) {
      const externalId = row.external_id;
      await this.#deps.connections.withLinear(context.organisation.id, (request) => deleteWebhook(request, externalId));
    }
    await this.#forget(row);
    this.#deps.logger.info({ endpointId: row.id, by: context.user.id }, 'Linear team webhook deleted');
  }

  /** Compares the stored Linear webhooks with Linear's list; updates and returns them. */
  async checkLinearWebhooks(organisationId: string, rows: EndpointRow[]): Promise<EndpointRow[]> {
    if (rows.length === 0) return rows;
    const now = this.#deps.clock.now();
    const remote = new Map((await this.#deps.connections.withLinear(organisationId, (request) => listWebhooks(request))).map((w) => [w.id, w]));
    const checked: EndpointRow[] = [];
    for (const row of rows) {
      if (row.status === 'creating') {
        checked.push(row);
        continue;
      }
      const webhook = row.external_id === null ? undefined : remote.get(row.external_id);
      const [status, detail]: [EndpointRow['status'], string | null] =
        webhook === undefined
          ? ['missing', 'Linear no longer has this webhook (deleted in Linear?). Delete it here and create it again.']
          : webhook.enabled
            ? ['active', null]
            : ['disabled', 'Linear disabled this webhook (after failed deliveries, or by hand). Delete it and create it again.'];
      await setEndpointStatus(this.#deps.database.db, row.id, status, detail, now);
      checked.push({ ...row, status, status_detail: detail, status_checked_at: now });
    }
    return checked;
  }

  // ----- PagerDuty service subscriptions --------------------------------------------------

  /**
   * Makes sure one subscription watches the service (used by rules): returns the existing one
   * or creates it. Idempotent; concurrent callers end with one subscription.
   */
  async ensureServiceSubscription(organisationId: string, service: { id: string; name: string }): Promise<EndpointRow> {
    const existing = await findEndpointByScope(this.#deps.database.db, organisationId, 'pagerduty', service.id);
    // One deleted at PagerDuty is made again; one being created by another caller is left to it.
    if (existing !== undefined && existing.status === 'missing') await this.#forget(existing);
    else if (existing !== undefined) return existing;
    const connection = await this.usableConnection(organisationId, 'pagerduty');
    let row: EndpointRow;
    try {
      // PagerDuty generates the secret: the row goes in first (status creating), the secret once it is returned.
      row = await this.#insertCreating(connection, { kind: 'service', id: service.id, name: service.name }, undefined, null);
    } catch (error) {
      if (error instanceof EndpointExistsError) {
        const winner = await findEndpointByScope(this.#deps.database.db, organisationId, 'pagerduty', service.id);
        if (winner !== undefined) return winner;
      }
      throw error;
    }
    let subscription: PagerDutySubscription | undefined;
    try {
      subscription = await this.#deps.connections.withPagerDuty(organisationId, (request) =>
        createWebhookSubscription(request, {
          url: this.endpointUrl(row),
          serviceId: service.id,
          events: PAGERDUTY_SUBSCRIPTION_EVENTS,
          description: `Integration Hub: incidents of ${service.name}`,
        }),
      );
      if (subscription.secret === null) throw new Error('PagerDuty did not return the subscription signing secret.');
      const secret = subscription.secret;
      const now = this.#deps.clock.now();
      await this.#deps.database.db.transaction().execute(async (trx) => {
        await this.#deps.vault.put(trx, signingSecretRef(row), secret);
        await updateEndpoint(trx, row.id, { external_id: subscription!.id, status: 'active', status_checked_at: now, updated_at: now });
      });
      this.#deps.logger.info({ endpointId: row.id, serviceId: service.id }, 'PagerDuty service subscription created');
      return { ...row, external_id: subscription.id, status: 'active', status_checked_at: now };
    } catch (error) {
      if (subscription !== undefined) {
        const created = subscription.id;
        await this.#deps.connections.withPagerDuty(organisationId, (request) => deleteWebhookSubscription(request, created)).catch(() => undefined);
      }
      await this.#forget(row);
      throw error;
    }
  }

  /** Deletes the service's subscription (rules call this when no rule uses the service any more). */
  async releaseServiceSubscription(organisationId: string, serviceId: string): Promise<boolean> {
    const row = await findEndpointByScope(this.#deps.database.db, organisationId, 'pagerduty', serviceId);
    if (row === undefined) return false;
    if (row.external_id !== null) {
      const externalId = row.external_id;
      await this.#deps.connections.withPagerDuty(organisationId, (request) => deleteWebhookSubscription(request, externalId));
    }
    await this.#forget(row);
    return true;
  }

  async enableSubscription(context: SessionContext, id: string): Promise<EndpointRow> {
    const row = await findEndpoint(this.#deps.database.db, context.organisation.id, id);
    if (row === undefined || row.provider !== 'pagerduty' || row.external_id === null) throw notFound('No such subscription.');
    await this.usableConnection(context.organisation.id, 'pagerduty');
    const externalId = row.external_id;
    try {
      const subscription = await this.#deps.connections.withPagerDuty(context.organisation.id, (request) => enableWebhookSubscription(request, externalId));
      // A person re-enabled it: earlier refusals no longer describe it.
      await clearRefusals(this.#deps.database.db, row.id);
      return await this.#recordSubscriptionStatus({ ...row, last_refused_at: null, last_refusal: null }, subscription);
    } catch (error) {
      if (!(error instanceof ProviderRequestError && error.status === 404)) throw error;
      await this.#recordSubscriptionStatus(row, undefined);
      throw new HttpError(409, 'webhook_missing', `PagerDuty no longer has the subscription of ${row.scope_name}; it cannot be re-enabled. The hub makes it again when a rule needs it.`);
    }
  }

  /** Reads each subscription's state at PagerDuty; updates and returns them. */
  async checkSubscriptions(organisationId: string, rows: EndpointRow[]): Promise<EndpointRow[]> {
    const checked: EndpointRow[] = [];
    for (const row of rows) {
      if (row.external_id === null) {
        checked.push(row);
        continue;
      }
      const externalId = row.external_id;
      const subscription = await this.#deps.connections.withPagerDuty(organisationId, (request) => getWebhookSubscription(request, externalId));
      checked.push(await this.#recordSubscriptionStatus(row, subscription));
    }
    return checked;
  }

  /** Registered with the connections service: Disconnect deletes what the hub created. */
  readonly cleanupOnDisconnect: DisconnectCleanup = async (connection) => {
    const rows = (await this.list(connection.organisation_id, connection.provider)).filter((row) => row.connection_id === connection.id);
    const problems: string[] = [];
    let deleted = 0;
    for (const row of rows) {
      try {
        if (row.external_id !== null && connection.status === 'connected') {
          const externalId = row.external_id;
          if (row.provider === 'linear') await this.#deps.connections.withLinear(row.organisation_id, (request) => deleteWebhook(request, externalId));
          else await this.#deps.connections.withPagerDuty(row.organisation_id, (request) => deleteWebhookSubscription(request, externalId));
          deleted++;
        } else if (row.external_id !== null) {
          problems.push(`The ${row.scope_kind === 'team' ? 'webhook of team' : 'subscription of service'} ${row.scope_name} could not be deleted at ${PROVIDER_NAMES[row.provider]} (the connection no longer works); delete it there by hand.`);
        }
      } catch (error) {
        problems.push(`Deleting the ${row.scope_kind === 'team' ? 'webhook of team' : 'subscription of service'} ${row.scope_name} at ${PROVIDER_NAMES[row.provider]} failed: ${error instanceof Error ? error.message : 'unknown error'}`);
      }
      await this.#forget(row);
    }
    return { deleted, problems };
  };

  async #recordSubscriptionStatus(row: EndpointRow, subscription: PagerDutySubscription | undefined): Promise<EndpointRow> {
    const [status, detail]: [EndpointRow['status'], string | null] =
      subscription === undefined
        ? ['missing', 'PagerDuty no longer has this subscription (deleted there?).']
        : subscription.temporarilyDisabled
          ? ['temporarily_disabled', 'PagerDuty stopped delivering after repeated failures (Needs attention). Re-enable it once the hub is reachable.']
          : !subscription.active
            ? ['disabled', 'The subscription is turned off in PagerDuty.']
            : ['active', null];
    const now = this.#deps.clock.now();
    await setEndpointStatus(this.#deps.database.db, row.id, status, detail, now);
    return { ...row, status, status_detail: detail, status_checked_at: now };
  }

  async #insertCreating(
    connection: ConnectionRow,
    scope: { kind: 'team' | 'service'; id: string; name: string },
    secret: string | undefined,
    createdBy: string | null,
  ): Promise<EndpointRow> {
    const now = this.#deps.clock.now();
    const row: EndpointRow = {
      id: newId('whk'),
      organisation_id: connection.organisation_id,
      connection_id: connection.id,
      provider: connection.provider,
      scope_kind: scope.kind,
      scope_id: scope.id,
      scope_name: scope.name,
      external_id: null,
      status: 'creating',
      status_detail: null,
      status_checked_at: null,
      last_delivery_at: null,
      last_refused_at: null,
      last_refusal: null,
      created_by_email: createdBy,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.#deps.database.db.transaction().execute(async (trx) => {
        await insertEndpoint(trx, row);
        if (secret !== undefined) await this.#deps.vault.put(trx, signingSecretRef(row), secret);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new EndpointExistsError(scope.kind === 'team' ? `Team ${scope.name} already has a hub webhook.` : `Service ${scope.name} already has a subscription.`);
      throw error;
    }
    return row;
  }

  async #forget(row: EndpointRow): Promise<void> {
    await this.#deps.database.db.transaction().execute(async (trx) => {
      await this.#deps.vault.deleteOwner(trx, row.organisation_id, 'webhook_endpoints', row.id);
      await deleteEndpointRow(trx, row.id);
    });
  }
}

/** A team already has its webhook / a service its subscription (409 webhook_exists). */
export class EndpointExistsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EndpointExistsError';
  }
}

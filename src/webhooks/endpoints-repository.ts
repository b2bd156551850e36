import type { Kysely, Selectable } from 'kysely';
import type { Database, EndpointStatus, ProviderName, WebhookEndpointsTable } from '../db/tables.js';
import type { ScopeKind } from '../providers/webhooks.js';

type Db = Kysely<Database>;
type EndpointRow = Selectable<WebhookEndpointsTable>;

/** A webhook the hub created at a provider: a Linear team webhook or a PagerDuty service subscription. */
export interface Endpoint {
  /** In the delivery URL: ${PUBLIC_URL}/webhooks/<provider>/<id>. */
  id: string;
  organisationId: string;
  connectionId: string;
  provider: ProviderName;
  scopeKind: ScopeKind;
  /** Linear team id / PagerDuty service id. */
  scopeId: string;
  scopeName: string;
  /** The provider's id of the webhook; null while being created. */
  externalId: string | null;
  status: EndpointStatus;
  statusDetail: string | null;
  statusCheckedAt: number | null;
  lastDeliveryAt: number | null;
  /** Recorded only on a sustained pattern of refused requests (refusal-tracker.ts). */
  lastRefusedAt: number | null;
  lastRefusal: string | null;
  createdByEmail: string | null;
  createdAt: number;
  updatedAt: number;
  /** When webhook repair (repair-webhooks.ts) last changed something here, and what, in words. */
  lastRepairAt: number | null;
  lastRepair: string | null;
}

export type EndpointChanges = Partial<
  Pick<Endpoint, 'externalId' | 'status' | 'statusDetail' | 'statusCheckedAt' | 'updatedAt' | 'lastRepairAt' | 'lastRepair'>
>;

const fromRow = (row: EndpointRow): Endpoint => ({
  id: row.id,
  organisationId: row.organisation_id,
  connectionId: row.connection_id,
  provider: row.provider,
  scopeKind: row.scope_kind,
  scopeId: row.scope_id,
  scopeName: row.scope_name,
  externalId: row.external_id,
  status: row.status,
  statusDetail: row.status_detail,
  statusCheckedAt: row.status_checked_at,
  lastDeliveryAt: row.last_delivery_at,
  lastRefusedAt: row.last_refused_at,
  lastRefusal: row.last_refusal,
  createdByEmail: row.created_by_email,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  lastRepairAt: row.last_repair_at,
  lastRepair: row.last_repair,
});

/** The vault reference of an endpoint's signing secret. */
export const signingSecretRef = (endpoint: Pick<Endpoint, 'organisationId' | 'id'>) => ({
  organisationId: endpoint.organisationId,
  ownerTable: 'webhook_endpoints',
  ownerId: endpoint.id,
  field: 'signing_secret',
});

/** By id alone: only the intake does this (the id is in the URL the provider calls). */
export async function findEndpointForIntake(db: Db, provider: ProviderName, id: string): Promise<Endpoint | undefined> {
  const row = await db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).where('provider', '=', provider).executeTakeFirst();
  return row && fromRow(row);
}

export async function findEndpoint(db: Db, organisationId: string, id: string): Promise<Endpoint | undefined> {
  const row = await db.selectFrom('webhook_endpoints').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
  return row && fromRow(row);
}

export async function findEndpointByScope(db: Db, organisationId: string, provider: ProviderName, scopeId: string): Promise<Endpoint | undefined> {
  const row = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('provider', '=', provider)
    .where('scope_id', '=', scopeId)
    .executeTakeFirst();
  return row && fromRow(row);
}

/** Ordered by scope name. */
export async function listEndpoints(db: Db, organisationId: string, provider?: ProviderName): Promise<Endpoint[]> {
  let query = db.selectFrom('webhook_endpoints').selectAll().where('organisation_id', '=', organisationId);
  if (provider !== undefined) query = query.where('provider', '=', provider);
  return (await query.orderBy('scope_name').execute()).map(fromRow);
}

/** Fails with a unique violation when the scope already has one (webhook_endpoints_scope_key). */
export async function insertEndpoint(db: Db, endpoint: Endpoint): Promise<void> {
  await db
    .insertInto('webhook_endpoints')
    .values({
      id: endpoint.id,
      organisation_id: endpoint.organisationId,
      connection_id: endpoint.connectionId,
      provider: endpoint.provider,
      scope_kind: endpoint.scopeKind,
      scope_id: endpoint.scopeId,
      scope_name: endpoint.scopeName,
      external_id: endpoint.externalId,
      status: endpoint.status,
      status_detail: endpoint.statusDetail,
      status_checked_at: endpoint.statusCheckedAt,
      last_delivery_at: endpoint.lastDeliveryAt,
      last_refused_at: endpoint.lastRefusedAt,
      last_refusal: endpoint.lastRefusal,
      created_by_email: endpoint.createdByEmail,
      created_at: endpoint.createdAt,
      updated_at: endpoint.updatedAt,
      last_repair_at: endpoint.lastRepairAt,
      last_repair: endpoint.lastRepair,
    })
    .execute();
}

export async function updateEndpoint(db: Db, id: string, changes: EndpointChanges): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set({
      ...(changes.externalId !== undefined ? { external_id: changes.externalId } : {}),
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      ...(changes.statusDetail !== undefined ? { status_detail: changes.statusDetail } : {}),
      ...(changes.statusCheckedAt !== undefined ? { status_checked_at: changes.statusCheckedAt } : {}),
      ...(changes.updatedAt !== undefined ? { updated_at: changes.updatedAt } : {}),
      ...(changes.lastRepairAt !== undefined ? { last_repair_at: changes.lastRepairAt } : {}),
      ...(changes.lastRepair !== undefined ? { last_repair: changes.lastRepair } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function setEndpointStatus(db: Db, id: string, status: EndpointStatus, detail: string | null, now: number): Promise<void> {
  await updateEndpoint(db, id, { status, statusDetail: detail, statusCheckedAt: now, updatedAt: now });
}

export async function deleteEndpointRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('webhook_endpoints').where('id', '=', id).execute();
}

/**
 * Records that the endpoint is Failing and why, so the Webhooks tab can say so. Called only when
 * refusals form a sustained pattern (refusal-tracker.ts), never once per refused request.
 */
export async function recordRefusal(db: Db, id: string, reason: string, now: number): Promise<void> {
  await db.updateTable('webhook_endpoints').set({ last_refused_at: now, last_refusal: reason.slice(0, 300) }).where('id', '=', id).execute();
}

export async function clearRefusals(db: Db, id: string): Promise<void> {
  await db.updateTable('webhook_endpoints').set({ last_refused_at: null, last_refusal: null }).where('id', '=', id).execute();
}

/**
 * Records the endpoint's last delivery, to the second: the row is written only when the
 * recorded time is more than `LAST_DELIVERY_PRECISION_MS` older. Under a stream of deliveries
 * almost every batch leaves the row alone — no write, and on PostgreSQL no row lock that
 * concurrent intake transactions would queue behind.
 */
export async function touchLastDelivery(db: Db, id: string, now: number): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set({ last_delivery_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_delivery_at', 'is', null), eb('last_delivery_at', '<', now - LAST_DELIVERY_PRECISION_MS)]))
    .execute();
}

export const LAST_DELIVERY_PRECISION_MS = 1000;

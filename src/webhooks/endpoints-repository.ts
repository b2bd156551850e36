import type { Kysely, Selectable } from 'kysely';
import type { Database, EndpointStatus, ProviderName, WebhookEndpointsTable } from '../db/tables.js';

type Db = Kysely<Database>;
export type EndpointRow = Selectable<WebhookEndpointsTable>;

/** The vault reference of an endpoint's signing secret. */
export const signingSecretRef = (row: Pick<EndpointRow, 'organisation_id' | 'id'>) => ({
  organisationId: row.organisation_id,
  ownerTable: 'webhook_endpoints',
  ownerId: row.id,
  field: 'signing_secret',
});

/** By id alone: only the intake does this (the id is in the URL the provider calls). */
export async function findEndpointForIntake(db: Db, provider: ProviderName, id: string): Promise<EndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).where('provider', '=', provider).executeTakeFirst();
}

export async function findEndpoint(db: Db, organisationId: string, id: string): Promise<EndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('organisation_id', '=', organisationId).where('id', '=', id).executeTakeFirst();
}

export async function findEndpointByScope(
  db: Db,
  organisationId: string,
  provider: ProviderName,
  scopeId: string,
): Promise<EndpointRow | undefined> {
  return db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('provider', '=', provider)
    .where('scope_id', '=', scopeId)
    .executeTakeFirst();
}

export async function listEndpoints(db: Db, organisationId: string, provider?: ProviderName): Promise<EndpointRow[]> {
  let query = db.selectFrom('webhook_endpoints').selectAll().where('organisation_id', '=', organisationId);
  if (provider !== undefined) query = query.where('provider', '=', provider);
  return query.orderBy('scope_name').execute();
}

export async function insertEndpoint(db: Db, row: EndpointRow): Promise<void> {
  await db.insertInto('webhook_endpoints').values(row).execute();
}

export async function updateEndpoint(
  db: Db,
  id: string,
  changes: Partial<Pick<EndpointRow, 'external_id' | 'status' | 'status_detail' | 'status_checked_at' | 'scope_name' | 'updated_at'>>,
): Promise<void> {
  await db.updateTable('webhook_endpoints').set(changes).where('id', '=', id).execute();
}

export async function setEndpointStatus(db: Db, id: string, status: EndpointStatus, detail: string | null, now: number): Promise<void> {
  await updateEndpoint(db, id, { status, status_detail: detail, status_checked_at: now, updated_at: now });
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

export async function touchLastDelivery(db: Db, id: string, now: number): Promise<void> {
  await db.updateTable('webhook_endpoints').set({ last_delivery_at: now }).where('id', '=', id).execute();
}

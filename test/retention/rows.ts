import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { Database, DeliveryOutcome, JobStatus, WebhookDeliveriesTable } from '../../src/db/tables.js';

/** Rows written straight into the tables, as the hub would have left them (test/retention suites). */

type Db = Kysely<Database>;
export const DAY = 86_400_000;

export async function insertOrganisation(db: Db, id: string): Promise<void> {
  await db.insertInto('organisations').values({ id, name: id, created_at: Date.now() }).execute();
}

export function deliveryRow(
  organisationId: string,
  receivedAt: number,
  outcome: DeliveryOutcome,
  jobId: string | null,
  endpointId = 'whe_retention',
): Insertable<WebhookDeliveriesTable> {
  const id = `dlv_${randomUUID()}`;
  return {
    id,
    organisation_id: organisationId,
    endpoint_id: endpointId,
    provider: 'linear',
    scope_kind: 'team',
    scope_id: 'team-eng',
    scope_name: 'Engineering',
    external_id: id,
    replay_key: `sha256:${id}`,
    event_type: 'Issue.update',
    entity_type: 'Issue',
    entity_id: `issue-${id}`,
    entity_label: 'ENG-1',
    event_kind: null,
    entity_kind: null,
    subject_kind: null,
    subject_id: null,
    actor_id: null,
    actor_name: null,
    occurred_at: receivedAt,
    account_id: null,
    body: JSON.stringify({ action: 'update', type: 'Issue', data: { id, title: 'x'.repeat(200) } }),
    outcome,
    outcome_detail: null,
    duplicates: 0,
    job_id: jobId,
    received_at: receivedAt,
    processed_at: outcome === 'received' ? null : receivedAt + 1_000,
  };
}

export async function insertDeliveries(db: Db, rows: Array<Insertable<WebhookDeliveriesTable>>): Promise<void> {
  for (let start = 0; start < rows.length; start += 200) {
    await db.insertInto('webhook_deliveries').values(rows.slice(start, start + 200)).execute();
  }
}

/** A delivery (and, unless `job` is null, its job in the given state); answers the delivery's id. */
export async function insertDelivery(
  db: Db,
  organisationId: string,
  receivedAt: number,
  outcome: DeliveryOutcome,
  job: JobStatus | null | 'missing',
): Promise<string> {
  const jobId = job === null ? null : `job_${randomUUID()}`;
  if (jobId !== null && job !== 'missing' && job !== null) await insertJob(db, organisationId, job, receivedAt, jobId);
  const row = deliveryRow(organisationId, receivedAt, outcome, jobId);
  await insertDeliveries(db, [row]);
  return row.id;
}

/** A job created at `at`; finished a second later when succeeded or dead. */
export async function insertJob(db: Db, organisationId: string | null, status: JobStatus, at: number, id = `job_${randomUUID()}`): Promise<string> {
  const finished = status === 'succeeded' || status === 'dead';
  await db
    .insertInto('jobs')
    .values({
      id,
      organisation_id: organisationId,
      kind: 'webhook.process_delivery',
      payload: '{}',
      lane: null,
      status,
      attempts: 1,
      max_attempts: 10,
      run_at: at,
      locked_by: status === 'running' ? 'worker-1' : null,
      locked_until: status === 'running' ? at + 55_000 : null,
      last_error: status === 'dead' ? 'gave up' : null,
      waiting_for: null,
      created_at: at,
      updated_at: at,
      finished_at: finished ? at + 1_000 : null,
    })
    .execute();
  return id;
}

/** A link (closed at `closedAt`, or open when null) with one timeline entry at each of `entriesAt`. */
export async function insertLinkWithTimeline(db: Db, organisationId: string, closedAt: number | null, entriesAt: number[]): Promise<string[]> {
  const linkId = `lnk_${randomUUID()}`;
  const createdAt = Math.min(...entriesAt, closedAt ?? Infinity);
  await db
    .insertInto('sync_links')
    .values({
      id: linkId,
      organisation_id: organisationId,
      rule_id: 'rul_1',
      rule_name: 'Urgent',
      issue_id: `issue-${linkId}`,
      issue_identifier: 'ENG-1',
      issue_title: 'Checkout fails',
      issue_url: 'https://linear.test/ENG-1',
      team_id: 'team-eng',
      issue_state: null,
      incident_id: `P${linkId.slice(4, 10)}`,
      incident_number: 1,
      incident_url: 'https://pd.test/incidents/P1',
      service_id: 'PSVC001',
      service_name: 'Checkout API',
      incident_key: `key-${linkId}`,
      incident_status: closedAt === null ? 'triggered' : 'resolved',
      state_before_hub: null,
      sync_settings: '{}',
      opened_by_skip: null,
      last_in_at: null,
      last_out_at: null,
      last_error: null,
      last_error_at: null,
      closed_at: closedAt,
      created_at: createdAt,
      updated_at: closedAt ?? createdAt,
    })
    .execute();
  const ids: string[] = [];
  for (const at of entriesAt) {
    const id = `led_${randomUUID()}`;
    ids.push(id);
    await db
      .insertInto('sync_ledger')
      .values({ id, organisation_id: organisationId, link_id: linkId, at, direction: 'issue_to_incident', entry: 'action', summary: 'Opened', delivery_id: null, job_id: null, found_by: null })
      .execute();
  }
  return ids;
}

export async function insertRulePage(db: Db, organisationId: string, pagedAt: number): Promise<string> {
  const id = `rpg_${randomUUID()}`;
  await db.insertInto('rule_pages').values({ id, organisation_id: organisationId, rule_id: 'rul_1', issue_id: 'issue-1', paged_at: pagedAt }).execute();
  return id;
}

export async function insertSkip(db: Db, organisationId: string, skippedAt: number, pagedAt: number | null): Promise<string> {
  const id = `skp_${randomUUID()}`;
  await db
    .insertInto('rule_skips')
    .values({
      id,
      organisation_id: organisationId,
      rule_id: 'rul_1',
      rule_name: 'Urgent',
      issue_id: 'issue-1',
      issue_label: 'ENG-1',
      reason: 'paused',
      detail: 'Rule "Urgent" paused.',
      delivery_id: null,
      skipped_at: skippedAt,
      paged_at: pagedAt,
      paged_by: pagedAt === null ? null : 'usr_1',
    })
    .execute();
  return id;
}

/** Which of `ids` are still in `table`. */
export async function remaining(db: Db, table: 'webhook_deliveries' | 'jobs' | 'sync_ledger' | 'rule_pages' | 'rule_skips', ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom(table).select('id').where('id', 'in', ids).execute();
  return rows.map((row) => row.id).sort();
}

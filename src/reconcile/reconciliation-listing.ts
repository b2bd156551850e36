import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { RECONCILE_SWEEP } from './sweep-job.js';
import { loadSweepState, type SweepReport } from './sweep-state.js';

/** What Activity shows of an organisation's reconciliation (GET /api/activity/reconciliation). */
export interface ReconciliationOverview {
  lastSweep: SweepReport | null;
  inProgress: { startedAt: number; checked: number } | null;
  /** When the pending sweep instance is due; null when none is queued (no rules or links). */
  nextSweepAt: number | null;
}

export interface HealedChange {
  id: string;
  at: number;
  linkId: string;
  issue: string;
  incidentNumber: number | null;
  summary: string;
}

export async function reconciliationOverview(db: Kysely<Database>, organisationId: string): Promise<ReconciliationOverview> {
  const state = await loadSweepState(db, organisationId);
  const pending = await db
    .selectFrom('jobs')
    .select('run_at')
    .where('organisation_id', '=', organisationId)
    .where('kind', '=', RECONCILE_SWEEP.kind)
    .where('status', 'in', ['queued', 'running'])
    .orderBy('run_at')
    .executeTakeFirst();
  return {
    lastSweep: state.lastSweep,
    inProgress: state.startedAt === null ? null : { startedAt: state.startedAt, checked: state.progress.checked },
    nextSweepAt: pending?.run_at ?? null,
  };
}

/** The "found by reconciliation" lines of the organisation's timelines, newest first. */
export async function listHealedChanges(db: Kysely<Database>, organisationId: string, options: { limit: number; before?: { at: number; id: string } | undefined }): Promise<HealedChange[]> {
  let query = db
    .selectFrom('sync_ledger')
    .innerJoin('sync_links', 'sync_links.id', 'sync_ledger.link_id')
    .select(['sync_ledger.id', 'sync_ledger.at', 'sync_ledger.link_id', 'sync_ledger.summary', 'sync_links.issue_identifier', 'sync_links.incident_number'])
    .where('sync_ledger.organisation_id', '=', organisationId)
    .where('sync_ledger.found_by', '=', 'reconciliation')
    .where('sync_ledger.direction', '=', 'none')
    .where('sync_ledger.entry', '=', 'received');
  const before = options.before;
  if (before !== undefined) {
    query = query.where((eb) => eb.or([eb('sync_ledger.at', '<', before.at), eb.and([eb('sync_ledger.at', '=', before.at), eb('sync_ledger.id', '<', before.id)])]));
  }
  const rows = await query.orderBy('sync_ledger.at', 'desc').orderBy('sync_ledger.id', 'desc').limit(options.limit).execute();
  return rows.map((row) => ({ id: row.id, at: row.at, linkId: row.link_id, issue: row.issue_identifier, incidentNumber: row.incident_number, summary: row.summary }));
}

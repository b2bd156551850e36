import { z } from 'zod';
import { classifyProviderJobError } from '../connections/job-errors.js';
import { providers } from '../providers/registry.js';
import { DEFAULT_RETRY, defineJobKind, registerJob, type RegisteredJob } from '../queue/catalog.js';
import { PermanentJobError } from '../queue/errors.js';
import type { JobQueue } from '../queue/queue.js';
import { commentToNote } from '../sync/comments-to-notes.js';
import { syncIncident } from '../sync/incident-changed.js';
import { syncIssue } from '../sync/issue-changed.js';
import { appendLedger } from '../sync/ledger.js';
import type { Link } from '../sync/link.js';
import { findLink, findLinkByIssue } from '../sync/links-repository.js';
import { notesToComments } from '../sync/notes-to-comments.js';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { ReconcileDeps } from './deps.js';
import { DRIFT_KINDS, MAX_IDS, type DriftKind, type ObservedDrift } from './drift.js';
import { mirrorRecords } from './mirror-records.js';

/**
 * Heals one pair's drift (or pages a missed create) in **the issue's lane**, after any work
 * queued for the pair before it, by running the live flow — the same handlers a delivery runs,
 * which read both sides now, write exactly once and recognise their echoes. First it checks
 * that the drift the sweep saw is still there (a late webhook may have healed it meanwhile:
 * then it does nothing). What it heals is written on the link's timeline, and each line of
 * this job is marked "found by reconciliation".
 */
const kindSchema = z.enum(DRIFT_KINDS as [DriftKind, ...DriftKind[]]);

export const HEAL_DRIFT = defineJobKind({
  kind: 'reconcile.heal',
  payload: z.strictObject({
    issueId: z.string().min(1).max(200),
    linkId: z.string().min(1).max(64).nullable(),
    drift: z.strictObject({
      kinds: z.array(kindSchema).min(1),
      issueStateId: z.string().max(200).nullable(),
      incidentId: z.string().max(200).nullable(),
      incidentStatus: z.string().max(40).nullable(),
      serviceId: z.string().max(200).nullable(),
      noteIds: z.array(z.string().max(200)).max(MAX_IDS),
      commentIds: z.array(z.string().max(200)).max(MAX_IDS),
      summary: z.array(z.strictObject({ kind: kindSchema, text: z.string().max(1000) })),
    }),
  }),
  timeoutMs: 40_000,
  retry: DEFAULT_RETRY,
  classifyError: classifyProviderJobError,
});

export type HealPayload = z.infer<typeof HEAL_DRIFT.payload>;

/** Queues the heal in the issue's lane; one pending heal per issue (a second sweep adds none). */
export async function requestHeal(db: Kysely<Database>, queue: JobQueue, organisationId: string, payload: HealPayload): Promise<boolean> {
  const laneOf = { provider: providers.issueTracker().name, kind: 'issue', id: payload.issueId };
  const id = await queue.enqueueUnique(db, HEAL_DRIFT, payload, { organisationId, uniqueKey: `reconcile.heal:${payload.issueId}`, laneOf });
  return id !== null;
}

export function healDriftJob(deps: ReconcileDeps): RegisteredJob {
  return registerJob(HEAL_DRIFT, async (payload, context) => {
    const organisationId = context.organisationId;
    if (organisationId === null) throw new PermanentJobError('The job names no organisation.');
    const startedAt = deps.clock.now();
    const base = { organisationId, deliveryId: null, jobId: context.jobId, actorName: null };
    const db = deps.database.db;
    if (payload.drift.kinds.includes('missed_create')) {
      const before = await findLinkByIssue(db, organisationId, payload.issueId);
      // Open already: the live flow got there first — unless an earlier try of this heal opened it.
      const ours = before !== undefined && (await jobWroteOn(db, before.id, context.jobId));
      if (before !== undefined && isOpen(before) && !ours) return;
      await syncIssue(deps, { ...base, issueId: payload.issueId, removed: false });
      const after = await findLinkByIssue(db, organisationId, payload.issueId);
      if (after === undefined || (after.updatedAt < startedAt && !ours)) return; // no rule takes it now
      if (!(await jobWroteOn(db, after.id, context.jobId, 'found'))) {
        await foundLine(deps, organisationId, after.id, startedAt, context.jobId, payload.drift.summary.map((line) => line.text));
      }
      await markFound(db, organisationId, context.jobId);
      deps.reconcileMetrics?.healed.inc({ kind: 'missed_create' });
      return;
    }
    if (payload.linkId === null) return;
    const link = await findLink(db, organisationId, payload.linkId);
    if (link === undefined) return;
    const still = await stillDrifted(db, link, payload.drift);
    if (still.length === 0) return;
    if (!(await jobWroteOn(db, link.id, context.jobId, 'found'))) {
      await foundLine(deps, organisationId, link.id, startedAt, context.jobId, payload.drift.summary.filter((line) => still.includes(line.kind)).map((line) => line.text));
    }
    const has = (...kinds: DriftKind[]) => kinds.some((kind) => still.includes(kind));
    if (has('issue_state', 'issue_deleted')) await syncIssue(deps, { ...base, issueId: link.issue.id, removed: false });
    if (has('incident_status', 'incident_merged', 'service_move') && payload.drift.incidentId !== null) {
      await syncIncident(deps, { ...base, incidentId: payload.drift.incidentId, eventType: 'reconcile.heal' });
    }
    const current = await findLink(db, organisationId, link.id);
    if (has('note') && current?.incident != null) await notesToComments(deps, { ...base, incidentId: current.incident.id });
    if (has('comment')) {
      for (const commentId of payload.drift.commentIds) {
        await commentToNote(deps, { ...base, issueId: link.issue.id, commentId, kind: 'created' });
      }
    }
    await markFound(db, organisationId, context.jobId);
    for (const kind of still) deps.reconcileMetrics?.healed.inc({ kind });
  });
}

const isOpen = (link: Link) => link.incident?.status !== 'resolved' || link.closedAt === null;

/** The kinds of the sweep's drift the link still shows (the live flow may have healed some). */
async function stillDrifted(db: Kysely<Database>, link: Link, drift: ObservedDrift): Promise<DriftKind[]> {
  const mirrors = (await mirrorRecords(db, link.organisationId, [link.id])).get(link.id);
  return drift.kinds.filter((kind) => {
    switch (kind) {
      case 'issue_state':
        return link.issueState?.id !== drift.issueStateId;
      case 'issue_deleted':
        return link.closedAt === null;
      case 'incident_status':
        return link.incident !== null && link.incident.id === drift.incidentId && link.incident.status !== drift.incidentStatus;
      case 'incident_merged':
        return link.incident?.id === drift.incidentId;
      case 'service_move':
        return link.service.id !== drift.serviceId;
      case 'note':
        return drift.noteIds.some((id) => !(mirrors?.mirroredNoteIds.has(id) ?? false) && !(mirrors?.hubNoteIds.has(id) ?? false));
      case 'comment':
        return drift.commentIds.some((id) => !(mirrors?.mirroredCommentIds.has(id) ?? false) && !(mirrors?.hubCommentIds.has(id) ?? false));
      case 'missed_create':
        return false;
    }
  });
}

/** The "found by reconciliation" line, dated when the heal began so it reads before what it led to. */
async function foundLine(deps: ReconcileDeps, organisationId: string, linkId: string, at: number, jobId: string, texts: string[]): Promise<void> {
  const summary = `Found by reconciliation (a missed webhook): ${texts.join(' ')}`;
  await appendLedger(deps.database.db, { organisationId, linkId, at, direction: 'none', entry: 'received', summary, jobId, foundBy: 'reconciliation' }, deps.syncMetrics);
}

/** Whether this job wrote on the link's timeline already (an earlier try of it): any line, or its found line. */
async function jobWroteOn(db: Kysely<Database>, linkId: string, jobId: string, which: 'any' | 'found' = 'any'): Promise<boolean> {
  let query = db.selectFrom('sync_ledger').select('id').where('link_id', '=', linkId).where('job_id', '=', jobId);
  if (which === 'found') query = query.where('direction', '=', 'none').where('found_by', '=', 'reconciliation');
  return (await query.limit(1).executeTakeFirst()) !== undefined;
}

/** Every line this heal wrote on the timeline is what the reconciliation found. */
async function markFound(db: Kysely<Database>, organisationId: string, jobId: string): Promise<void> {
  await db.updateTable('sync_ledger').set({ found_by: 'reconciliation' }).where('organisation_id', '=', organisationId).where('job_id', '=', jobId).execute();
}

import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import type { ProviderName } from '../providers/names.js';
import type { ProviderRequest } from '../providers/request.js';
import { providers } from '../providers/registry.js';
import type { IncidentSync, IssueSync, TrackerIssue } from '../providers/roles.js';
import { evaluateIssue } from '../rules/evaluate.js';
import type { StoredRule } from '../rules/rule.js';
import { listRules } from '../rules/rules-repository.js';
import type { Link } from '../sync/link.js';
import { findLinkByIssue, linkFromRow } from '../sync/links-repository.js';
import type { ReconcileDeps } from './deps.js';
import { CLOCK_MARGIN_MS, detectDrift, type DriftKind } from './drift.js';
import { requestHeal } from './heal-job.js';
import { mirrorRecords } from './mirror-records.js';
import { SweepBudget } from './sweep-budget.js';
import { emptyProgress, loadSweepState, saveSweepState, type SweepReport, type SweepState } from './sweep-state.js';

/**
 * One run of an organisation's reconciliation sweep (issue 12 item 2; docs/reconciliation.md).
 * A sweep walks the open links by id, 50 at a time: one Linear read for the 50 issues (with
 * their new comments), then each incident and — when its rule mirrors notes — its notes from
 * PagerDuty. Where a link's record and the two sides disagree, it queues a heal in the pair's
 * lane (heal-job.ts). Then it looks for missed creates: issues of the rules' teams updated since
 * the previous sweep that an enabled rule takes but that have no open link.
 *
 * A run stops after {@link SWEEP_RUN_BUDGET_MS}, when its rate share makes it wait longer than
 * {@link LONGEST_WAIT_IN_RUN_MS}, or when live sync work is waiting for a worker; the sweep then
 * continues in a later run from where it stopped (the cursor is saved after every batch), so a
 * large organisation is swept over several runs and never crowds out live work.
 */

export const SWEEP_RUN_BUDGET_MS = 25_000;
/** A run does not sleep longer than this for its rate share; it ends and the job comes back then. */
export const LONGEST_WAIT_IN_RUN_MS = 3_000;
const LINKS_PER_BATCH = 50;
const MISSED_CREATES_PER_TEAM = 500;

export type SweepRunOutcome =
  | { kind: 'finished'; report: SweepReport }
  /** The sweep goes on in a later run, `afterMs` from now. */
  | { kind: 'continues'; afterMs: number; reason: string; checked: number };

export async function runSweep(deps: ReconcileDeps, organisationId: string, options: { jobId: string; signal?: AbortSignal }): Promise<SweepRunOutcome> {
  const db = deps.database.db;
  const runStarted = deps.clock.now();
  const state = await loadSweepState(db, organisationId);
  if (state.startedAt === null) {
    state.startedAt = runStarted;
    state.cursor = null;
    state.progress = emptyProgress();
  }
  state.progress.runs += 1;
  const budget = new SweepBudget(deps.rateShare, deps.clock, state.pace);
  const tracker = providers.issueTracker();
  const pager = providers.incidentPager();
  const rules = await listRules(db, organisationId);
  const since = state.issuesSince ?? 0;

  // The requests sent since the last save go into the progress (and the metric) once.
  const takeRequests = () => {
    for (const [provider, n] of Object.entries(budget.takeRequests())) {
      state.progress.requests[provider] = (state.progress.requests[provider] ?? 0) + n;
      deps.reconcileMetrics?.requests.inc({ provider }, n);
    }
    state.pace = budget.pace();
  };
  const save = async () => {
    takeRequests();
    await saveSweepState(db, state, deps.clock.now());
  };
  const pause = async (afterMs: number, reason: string): Promise<SweepRunOutcome> => {
    await save();
    return { kind: 'continues', afterMs: Math.max(1_000, afterMs), reason, checked: state.progress.checked };
  };
  const withBudget = <T>(provider: ProviderName, call: (request: ProviderRequest) => Promise<T>): Promise<T> =>
    deps.connections.withProvider(organisationId, provider, (request) => call({ ...request, pacer: budget.wrap(provider, request.pacer) }));
  const onTracker = <T>(call: (sync: IssueSync, request: ProviderRequest) => Promise<T>) => withBudget(tracker.name, (request) => call(tracker.issueTracker.sync, request));
  const onPager = <T>(call: (sync: IncidentSync, request: ProviderRequest) => Promise<T>) => withBudget(pager.name, (request) => call(pager.incidentPager.sync, request));
  const overRun = () => deps.clock.now() - runStarted > SWEEP_RUN_BUDGET_MS || options.signal?.aborted === true;

  let batches = 0;
  while (state.progress.linksDone !== true) {
    if (overRun()) return pause(1_000, 'its run took its time budget');
    if (batches > 0 && (await liveWorkWaiting(db, organisationId, deps.clock.now()))) return pause(2_000, 'live sync work was waiting');
    const wait = Math.max(budget.waitMs(tracker.name), budget.waitMs(pager.name));
    if (wait > LONGEST_WAIT_IN_RUN_MS) return pause(wait, 'its rate share');
    const links = await openLinksAfter(db, organisationId, state.cursor, LINKS_PER_BATCH);
    if (links.length === 0) {
      state.progress.linksDone = true;
      break;
    }
    batches++;
    const commentsSince = Math.max(since, Math.min(...links.map((link) => link.createdAt))) - CLOCK_MARGIN_MS;
    const issues = new Map((await onTracker((sync, request) => sync.issuesByIds(request, links.map((link) => link.issue.id), commentsSince))).map((issue) => [issue.id, issue]));
    const mirrors = await mirrorRecords(db, organisationId, links.map((link) => link.id));
    for (const link of links) {
      if (budget.waitMs(pager.name) > LONGEST_WAIT_IN_RUN_MS || overRun()) return pause(budget.waitMs(pager.name), 'its rate share');
      const sync = rules.find((rule) => rule.id === link.rule.id)?.sync ?? link.syncSettings;
      const incidentId = link.incident?.id;
      if (incidentId === undefined) continue;
      const incident = await onPager((pagerSync, request) => pagerSync.incident(request, incidentId));
      const notes = sync.notesToComments && incident !== null ? await onPager((pagerSync, request) => pagerSync.notes(request, incidentId)) : null;
      const drift = detectDrift({ link, issue: issues.get(link.issue.id) ?? null, incident, notes, mirrors: mirrors.get(link.id) ?? emptyMirrors(), sync, since });
      if (drift !== null && (await requestHeal(db, deps.queue, organisationId, { issueId: link.issue.id, linkId: link.id, drift }))) {
        count(state, drift.kinds);
        for (const kind of drift.kinds) deps.reconcileMetrics?.found.inc({ kind });
      }
      state.progress.checked++;
      deps.reconcileMetrics?.checked.inc();
      state.cursor = link.id;
    }
    await save();
    deps.queue.wake();
  }

  // Missed creates: every team an enabled rule watches, issues updated since the previous sweep.
  const sweptFrom = (state.issuesSince ?? state.startedAt - deps.intervalMs) - CLOCK_MARGIN_MS;
  // Younger changes are left to their webhooks (they may be on their way); the next sweep looks at them.
  const youngerThan = state.startedAt - deps.graceMs;
  const enabled = rules.filter((rule) => rule.enabled);
  for (const teamId of new Set(enabled.map((rule) => rule.filters.teamId))) {
    const updated = await onTracker((sync, request) => sync.updatedIssues(request, teamId, sweptFrom, MISSED_CREATES_PER_TEAM));
    for (const issue of updated) {
      if (issue.updatedAt > youngerThan) continue;
      const missed = await missedCreate(db, organisationId, enabled, issue);
      if (missed === undefined) continue;
      const text = `${issue.identifier} was updated at ${new Date(issue.updatedAt).toISOString()} and matches the rule "${missed.name}", but no webhook for it reached the hub.`;
      const summary = [{ kind: 'missed_create' as const, text: text.slice(0, 1000) }];
      const drift = { kinds: ['missed_create' as const], issueStateId: issue.state.id, incidentId: null, incidentStatus: null, serviceId: null, noteIds: [], commentIds: [], summary };
      if (await requestHeal(db, deps.queue, organisationId, { issueId: issue.id, linkId: null, drift })) {
        count(state, ['missed_create']);
        deps.reconcileMetrics?.found.inc({ kind: 'missed_create' });
      }
    }
  }
  deps.queue.wake();

  takeRequests();
  const finishedAt = deps.clock.now();
  const { linksDone: _linksDone, ...progress } = state.progress;
  const report: SweepReport = { ...progress, startedAt: state.startedAt, finishedAt, durationMs: finishedAt - state.startedAt };
  state.lastSweep = report;
  state.issuesSince = youngerThan;
  state.startedAt = null;
  state.cursor = null;
  state.progress = emptyProgress();
  await saveSweepState(db, state, finishedAt);
  deps.reconcileMetrics?.sweeps.inc();
  deps.reconcileMetrics?.duration.observe(report.durationMs / 1000);
  return { kind: 'finished', report };
}

/** Links the sweep checks: those with an incident that is not both resolved and closed. */
async function openLinksAfter(db: Kysely<Database>, organisationId: string, cursor: string | null, limit: number): Promise<Link[]> {
  let query = db
    .selectFrom('sync_links')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('incident_id', 'is not', null)
    .where((eb) => eb.or([eb('incident_status', '!=', 'resolved'), eb('closed_at', 'is', null)]));
  if (cursor !== null) query = query.where('id', '>', cursor);
  return (await query.orderBy('id').limit(limit).execute()).map(linkFromRow);
}

/**
 * The rule that would have paged the issue had its webhook arrived: it takes the issue now, and
 * was last changed before the issue's update (an issue updated before the rule existed, or
 * before it was enabled, is not paged by the live flow either). Issues with an open link are the
 * link walk's.
 */
async function missedCreate(db: Kysely<Database>, organisationId: string, rules: StoredRule[], issue: TrackerIssue): Promise<StoredRule | undefined> {
  const link = await findLinkByIssue(db, organisationId, issue.id);
  if (link !== undefined && (link.incident?.status !== 'resolved' || link.closedAt === null)) return undefined;
  const { decision } = evaluateIssue(rules, { id: issue.id, teamId: issue.teamId, priority: issue.priority, stateType: issue.state.type, projectId: issue.projectId, labelIds: issue.labelIds, hasOpenLink: false });
  if (decision.kind !== 'pages') return undefined;
  const rule = rules.find((candidate) => candidate.id === decision.rule.id);
  return rule !== undefined && rule.updatedAt < issue.updatedAt ? rule : undefined;
}

/** Live sync work of the organisation ready to run: the sweep gives way to it. */
async function liveWorkWaiting(db: Kysely<Database>, organisationId: string, now: number): Promise<boolean> {
  const waiting = await db
    .selectFrom('jobs')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('status', '=', 'queued')
    .where('run_at', '<=', now)
    .where('unique_key', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return waiting !== undefined;
}

function count(state: SweepState, kinds: DriftKind[]): void {
  for (const kind of kinds) state.progress.drifts[kind] = (state.progress.drifts[kind] ?? 0) + 1;
}

const emptyMirrors = () => ({ hubNoteIds: new Set<string>(), mirroredNoteIds: new Set<string>(), hubCommentIds: new Set<string>(), mirroredCommentIds: new Set<string>() });

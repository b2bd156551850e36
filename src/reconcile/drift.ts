import type { IncidentNote, PagedIncident, SweptIssue } from '../providers/roles.js';
import type { RuleSync } from '../rules/rule.js';
import type { Link } from '../sync/link.js';

/**
 * Drift: where an open link's record and what the two sides show now disagree — the trace of a
 * webhook that never arrived (issue 12 item 2). Pure: the sweep reads both sides, this says what
 * differs, and the heal job (heal-job.ts) lets the live flow act on it in the pair's lane.
 */
export type DriftKind =
  | 'issue_state'
  | 'issue_deleted'
  | 'incident_status'
  | 'incident_merged'
  | 'service_move'
  | 'note'
  | 'comment'
  | 'missed_create';

/**
 * Vendors' times are not the hub's: PagerDuty states note times to the second, and clocks drift.
 * Notes and comments are looked at from this much before the previous sweep (what is mirrored
 * already is known, so looking twice costs nothing).
 */
export const CLOCK_MARGIN_MS = 5 * 60_000;

export const DRIFT_KINDS: readonly DriftKind[] = ['issue_state', 'issue_deleted', 'incident_status', 'incident_merged', 'service_move', 'note', 'comment', 'missed_create'];

/** What the sweep saw, so the heal can tell whether the live flow caught up meanwhile. */
export interface ObservedDrift {
  kinds: DriftKind[];
  issueStateId: string | null;
  incidentId: string | null;
  incidentStatus: string | null;
  serviceId: string | null;
  noteIds: string[];
  commentIds: string[];
  /** In words, per kind, for the "found by reconciliation" line. */
  summary: Array<{ kind: DriftKind; text: string }>;
}

/** The hub's own notes and comments, and those it mirrored already, for one link. */
export interface MirrorRecord {
  /** Notes the hub wrote (their PagerDuty ids). */
  hubNoteIds: ReadonlySet<string>;
  /** Notes already mirrored as comments (their PagerDuty ids). */
  mirroredNoteIds: ReadonlySet<string>;
  /** Comments the hub wrote (their Linear ids). */
  hubCommentIds: ReadonlySet<string>;
  /** Comments already mirrored as notes (their Linear ids). */
  mirroredCommentIds: ReadonlySet<string>;
}

export interface PairSeen {
  link: Link;
  /** null: Linear no longer knows the issue. */
  issue: SweptIssue | null;
  /** null: PagerDuty no longer knows the incident (left alone: PagerDuty does not delete incidents). */
  incident: PagedIncident | null;
  /** null when not read (the rule mirrors no notes). */
  notes: IncidentNote[] | null;
  mirrors: MirrorRecord;
  sync: RuleSync;
  /** Notes and comments made before this time are not looked at (the previous sweep's start). */
  since: number;
}

export function detectDrift(seen: PairSeen): ObservedDrift | null {
  const { link, issue, incident } = seen;
  const linked = link.incident;
  if (linked === null) return null;
  const drift: ObservedDrift = { kinds: [], issueStateId: null, incidentId: linked.id, incidentStatus: null, serviceId: null, noteIds: [], commentIds: [], summary: [] };
  const gone = issue?.archivedAt !== null;
  if (gone && link.closedAt === null) {
    found(drift, 'issue_deleted', `${link.issue.identifier} was deleted in Linear.`);
  } else if (issue !== null && !gone && issue.state.id !== link.issueState?.id) {
    drift.issueStateId = issue.state.id;
    found(drift, 'issue_state', `${issue.identifier} is ${issue.state.name} in Linear; the hub last saw ${link.issueState?.name ?? 'no state'}.`);
  }
  if (incident !== null) {
    if (incident.mergedInto !== null && incident.id === linked.id) {
      found(drift, 'incident_merged', `Incident #${incident.number} was merged into another incident.`);
    } else if (incident.status !== linked.status) {
      drift.incidentStatus = incident.status;
      found(drift, 'incident_status', `Incident #${incident.number} is ${incident.status} in PagerDuty; the hub last saw ${linked.status}.`);
    }
    if (incident.service.id !== link.service.id) {
      drift.serviceId = incident.service.id;
      found(drift, 'service_move', `Incident #${incident.number} moved from ${link.service.name} to ${incident.service.name}.`);
    }
  }
  const { mirrors } = seen;
  const after = Math.max(seen.since, link.createdAt) - CLOCK_MARGIN_MS;
  if (seen.sync.notesToComments && seen.notes !== null) {
    drift.noteIds = seen.notes
      .filter((note) => note.createdAt > after && !mirrors.hubNoteIds.has(note.id) && !mirrors.mirroredNoteIds.has(note.id))
      .map((note) => note.id)
      .slice(0, MAX_IDS);
    if (drift.noteIds.length > 0) {
      found(drift, 'note', `${count(drift.noteIds.length, 'note')} on incident #${linked.number} not mirrored.`);
    }
  }
  if (seen.sync.commentsToNotes && issue !== null && !gone) {
    drift.commentIds = issue.comments
      .filter((comment) => comment.createdAt > after && !mirrors.hubCommentIds.has(comment.id) && !mirrors.mirroredCommentIds.has(comment.id))
      .map((comment) => comment.id);
    if (drift.commentIds.length > 0) {
      found(drift, 'comment', `${count(drift.commentIds.length, 'comment')} on ${link.issue.identifier} not mirrored.`);
    }
  }
  return drift.kinds.length === 0 ? null : drift;
}

/**
 * The most note or comment ids one drift names (the heal mirrors every missing note anyway; a
 * comment beyond it is named by the next sweep).
 */
export const MAX_IDS = 200;

function found(drift: ObservedDrift, kind: DriftKind, text: string): void {
  drift.kinds.push(kind);
  // Vendor names can be long: the line stays within what a heal's payload carries.
  drift.summary.push({ kind, text: text.length > 1000 ? `${text.slice(0, 999)}…` : text });
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

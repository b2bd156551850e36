import type { IncidentNote } from '../providers/roles.js';
import { onPager, onTracker, type SyncDeps } from './deps.js';
import { appendLedger } from './ledger.js';
import type { Link } from './link.js';
import { findLinkByIncident } from './links-repository.js';
import { settingsOf } from './sync-settings.js';
import { uuidFrom } from './uuid.js';
import { contentHash, intendWrite, isOwnWrite, markWriteDone, takeEcho } from './writes.js';

/**
 * Notes on a linked incident → comments on its issue (issue 11 item 3), carrying the PagerDuty
 * author's name and the note's original time, Markdown kept. Each `incident.annotated` makes the
 * hub read the incident's notes and mirror every one not mirrored yet — so a missed or reordered
 * delivery heals at the next one. Exactly once: the comment's id is derived from the note's id
 * before the call, and Linear refuses a second comment with that id. The hub's own notes
 * (mirrored comments, its reopen notes) are recognised by their id — or, when the hub crashed
 * before recording the id, by their text — and dropped as echoes.
 */

export interface NoteEventContext {
  organisationId: string;
  incidentId: string;
  deliveryId: string | null;
  jobId: string | null;
}

export async function notesToComments(deps: SyncDeps, event: NoteEventContext): Promise<string> {
  const { organisationId } = event;
  const db = deps.database.db;
  const link = await findLinkByIncident(db, organisationId, event.incidentId);
  if (link?.incident == null) return 'The incident is not linked to an issue.';
  const { sync } = await settingsOf(db, link);
  const notes = await onPager(deps, organisationId, (pager, call) => pager.notes(call, event.incidentId));
  let mirrored = 0;
  let echoes = 0;
  for (const note of [...notes].sort((a, b) => a.createdAt - b.createdAt)) {
    const outcome = await mirrorNote(deps, event, link, note, sync.notesToComments);
    if (outcome === 'mirrored') mirrored++;
    if (outcome === 'echo') echoes++;
  }
  if (!sync.notesToComments && mirrored === 0) return 'The rule does not mirror notes to comments.';
  return `Notes: ${mirrored} mirrored, ${echoes} echo${echoes === 1 ? '' : 'es'} of the hub's own dropped.`;
}

async function mirrorNote(deps: SyncDeps, event: NoteEventContext, link: Link, note: IncidentNote, enabled: boolean): Promise<'mirrored' | 'echo' | 'done' | 'off'> {
  const { organisationId } = event;
  const db = deps.database.db;
  const ledger = (entry: 'action' | 'echo', summary: string) =>
    appendLedger(db, { organisationId, linkId: link.id, at: deps.clock.now(), direction: 'incident_to_issue', entry, kind: entry === 'echo' ? 'note' : 'comment', summary, deliveryId: event.deliveryId, jobId: event.jobId }, deps.syncMetrics);
  if (await isOwnWrite(db, organisationId, 'note', note.id)) {
    if ((await takeEcho(db, organisationId, { kind: 'note', externalId: note.id })) === undefined) return 'done';
    await ledger('echo', `A note on incident #${link.incident?.number ?? '?'}: the echo of the hub's own note, dropped.`);
    return 'echo';
  }
  // The hub's own note whose id it did not get to record (a crash between the call and the record).
  const unrecorded = await takeEcho(db, organisationId, { kind: 'note', linkId: link.id, contentHash: contentHash(note.content) });
  if (unrecorded !== undefined) {
    await markWriteDone(db, unrecorded, deps.clock.now(), note.id);
    await ledger('echo', `A note on incident #${link.incident?.number ?? '?'}: the echo of the hub's own note, dropped.`);
    return 'echo';
  }
  if (!enabled) return 'off';
  const commentId = uuidFrom(`note\u0000${organisationId}\u0000${note.id}`);
  const { write } = await intendWrite(db, { organisationId, linkId: link.id, kind: 'comment', sourceKey: `note:${note.id}`, externalId: commentId, at: deps.clock.now() });
  if (write.status !== 'intended') return 'done';
  const author = note.author?.name ?? 'Someone';
  const body = `**${author}** in PagerDuty, ${new Date(note.createdAt).toISOString().replace('T', ' ').slice(0, 16)} UTC:\n\n${note.content}`;
  const created = await onTracker(deps, organisationId, (tracker, call) => tracker.createComment(call, { id: commentId, issueId: link.issue.id, body }));
  await markWriteDone(db, write, deps.clock.now());
  await ledger('action', created === 'exists' ? `${author}'s note was on ${link.issue.identifier} already (an earlier try).` : `Added ${author}'s note as a comment on ${link.issue.identifier}.`);
  return 'mirrored';
}

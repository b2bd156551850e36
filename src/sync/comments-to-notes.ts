import { onPager, onTracker, type SyncDeps } from './deps.js';
import { cut } from './incident-text.js';
import { appendLedger } from './ledger.js';
import { findLinkByIssue } from './links-repository.js';
import { settingsOf } from './sync-settings.js';
import { contentHash, intendWrite, isOwnWrite, markWriteDone, takeEcho } from './writes.js';

/**
 * A Linear comment on a linked issue → a note on its incident, `"<author> in Linear: <text>"`
 * (issue 11 item 2), exactly once: the note is recorded before the call, keyed by the comment;
 * a retry whose record is still `intended` looks for the note among the incident's notes (by
 * its text) before writing it again. Comments the hub wrote itself (mirrored notes, the merge
 * comment) are recognised by the id the hub gave them and dropped as echoes. Edits and
 * deletions are recorded on the link, not mirrored: PagerDuty notes cannot be changed.
 */

/** Longer comments are cut, with a link to the whole comment. */
export const NOTE_TEXT_LIMIT = 4000;

export interface CommentEventContext {
  organisationId: string;
  issueId: string;
  commentId: string;
  kind: 'created' | 'updated' | 'removed';
  deliveryId: string | null;
  jobId: string | null;
  actorName: string | null;
}

export async function commentToNote(deps: SyncDeps, event: CommentEventContext): Promise<string> {
  const { organisationId } = event;
  const db = deps.database.db;
  const link = await findLinkByIssue(db, organisationId, event.issueId);
  if (link?.incident == null) return 'The comment\'s issue is not linked to an incident.';
  const incident = link.incident;
  const now = deps.clock.now();
  const ledger = (entry: 'received' | 'action' | 'echo' | 'skipped', summary: string) =>
    appendLedger(db, { organisationId, linkId: link.id, at: deps.clock.now(), direction: 'issue_to_incident', entry, kind: entry === 'echo' ? 'comment' : 'note', summary, deliveryId: event.deliveryId, jobId: event.jobId }, deps.syncMetrics);

  if (await isOwnWrite(db, organisationId, 'comment', event.commentId)) {
    if (event.kind === 'created' && (await takeEcho(db, organisationId, { kind: 'comment', externalId: event.commentId })) !== undefined) {
      await ledger('echo', `A comment on ${link.issue.identifier}: the echo of the hub's own comment, dropped.`);
    }
    return 'Echo of the hub\'s own comment: dropped.';
  }
  if (event.kind !== 'created') {
    const what = event.kind === 'updated' ? 'edited' : 'deleted';
    await ledger('received', `A comment on ${link.issue.identifier} was ${what}${event.actorName === null ? '' : ` by ${event.actorName}`}: recorded, not mirrored (PagerDuty notes cannot be changed).`);
    return `Comment ${what}: recorded, not mirrored.`;
  }
  const { sync } = await settingsOf(db, link);
  if (!sync.commentsToNotes) {
    await ledger('skipped', `A comment on ${link.issue.identifier}: the rule does not mirror comments to notes.`);
    return 'The rule does not mirror comments.';
  }
  const comment = await onTracker(deps, organisationId, (tracker, call) => tracker.comment(call, event.commentId));
  if (comment === null) return 'The comment no longer exists.';
  const author = comment.author?.name ?? event.actorName ?? 'Someone';
  const text = comment.body.length > NOTE_TEXT_LIMIT ? `${cut(comment.body, NOTE_TEXT_LIMIT)}\n\n(Cut; the whole comment: ${comment.url})` : comment.body;
  const content = `${author} in Linear: ${text}`;
  const hash = contentHash(content);
  const { write } = await intendWrite(db, { organisationId, linkId: link.id, kind: 'note', sourceKey: `comment:${comment.id}`, contentHash: hash, at: now });
  if (write.status !== 'intended') return 'Mirrored already.';
  const note = await onPager(deps, organisationId, async (pager, call) => {
    if (write.createdAt < now) {
      // An earlier try may have written it and crashed before recording that.
      const earlier = (await pager.notes(call, incident.id)).find((candidate) => contentHash(candidate.content) === hash);
      if (earlier !== undefined) return earlier;
    }
    return pager.addNote(call, incident.id, content);
  });
  await markWriteDone(db, write, deps.clock.now(), note.id);
  await ledger('action', `Added ${author}'s comment as a note on incident #${incident.number}.`);
  return `Mirrored as a note on incident #${incident.number}.`;
}

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPS } from './operations.js';
import { eventually, startLinearSandbox, startReceiver, type Receiver, type RunningLinearSandbox } from './testing.js';

/**
 * What the two-way sync (issue 11) writes to Linear and reads back: attachments that upsert by
 * URL, comments with client-chosen ids / createAsUser / backdating, comment edits and deletions
 * with their webhooks, issues moved to another team, and the app actor's webhook shape.
 */
interface Envelope { action: string; type: string; actor?: Record<string, unknown>; data: Record<string, any>; updatedFrom?: Record<string, unknown> }
type Errors = Array<{ message: string; extensions: Record<string, unknown> }>;

describe('Linear stand-in: what the two-way sync writes', () => {
  let sb: RunningLinearSandbox;
  let receiver: Receiver;
  let admin: string;
  let app: string;
  beforeAll(async () => {
    sb = await startLinearSandbox();
  });
  afterAll(async () => sb?.close());
  beforeEach(async () => {
    await sb.reset();
    receiver = await startReceiver();
    admin = await sb.token();
    app = await sb.token({ actor: 'app', scopes: ['read', 'write'] });
  });
  afterEach(async () => receiver.close());

  const hook = (teamId = 'ENG') => sb.graphql(OPS.Hook, { url: receiver.url, teamId, resourceTypes: ['Issue', 'Comment'] }, admin);
  const bodies = () => receiver.received.map((r) => JSON.parse(r.body) as Envelope);

  describe('attachments', () => {
    const attach = (input: Record<string, unknown>, token = admin) =>
      sb.graphql<{ attachmentCreate: { attachment: { id: string; title: string; subtitle: string | null; metadata: Record<string, unknown>; issue: { identifier: string } } } }>(OPS.AttachmentCreate, { input }, token);

    it('attachmentCreate upserts by issue and URL: the same URL again updates the same attachment', async () => {
      const url = 'https://acme.pagerduty.example/incidents/PI00001';
      const first = await attach({ issueId: 'ENG-1', url, title: 'PagerDuty incident #1', subtitle: 'Triggered', metadata: { status: 'triggered' } });
      const again = await attach({ issueId: 'ENG-1', url, title: 'PagerDuty incident #1', subtitle: 'Resolved', metadata: { status: 'resolved' } });
      const id = first.body.data!.attachmentCreate.attachment.id;
      expect(again.body.data!.attachmentCreate.attachment).toMatchObject({ id, subtitle: 'Resolved', metadata: { status: 'resolved' }, issue: { identifier: 'ENG-1' } });
      const read = await sb.graphql<{ issue: { attachments: { nodes: Array<{ id: string; subtitle: string }> } } }>(OPS.IssueAttachments, { id: 'ENG-1', url }, admin);
      expect(read.body.data!.issue.attachments.nodes).toEqual([expect.objectContaining({ id, subtitle: 'Resolved' })]);
      // Same URL on another issue: a different attachment.
      const other = await attach({ issueId: 'ENG-2', url, title: 'PagerDuty incident #1' });
      expect(other.body.data!.attachmentCreate.attachment.id).not.toBe(id);
      const byId = await sb.graphql<{ attachment: { url: string; issue: { id: string } } }>(OPS.AttachmentById, { id }, admin);
      expect(byId.body.data!.attachment).toMatchObject({ url, issue: { id: sb.state.issueByRef(sb.state.organizationByName('Acme')!.id, 'ENG-1')!.id } });
    });

    it('attachmentLinkURL links a URL (titled with the URL when no title is given) and upserts too', async () => {
      const url = 'https://example.com/runbook';
      const a = await sb.graphql<{ attachmentLinkURL: { attachment: { id: string; title: string } } }>(OPS.AttachmentLinkURL, { issueId: 'ENG-1', url }, admin);
      expect(a.body.data!.attachmentLinkURL.attachment.title).toBe(url);
      const b = await sb.graphql<{ attachmentLinkURL: { attachment: { id: string; title: string } } }>(OPS.AttachmentLinkURL, { issueId: 'ENG-1', url, title: 'Runbook' }, admin);
      expect(b.body.data!.attachmentLinkURL.attachment).toEqual({ id: a.body.data!.attachmentLinkURL.attachment.id, url, title: 'Runbook', issue: expect.any(Object) });
    });

    it('refuses an unknown issue, a bad URL, and a token without write or issues:create', async () => {
      expect(((await attach({ issueId: 'ENG-999', url: 'https://x.example', title: 't' })).body.errors as Errors)[0]!.message).toBe('Entity not found: Issue');
      expect(((await attach({ issueId: 'ENG-1', url: 'not a url', title: 't' })).body.errors as Errors)[0]!.extensions.code).toBe('INPUT_ERROR');
      const reader = await sb.token({ scopes: ['read'] });
      expect(((await attach({ issueId: 'ENG-1', url: 'https://x.example', title: 't' }, reader)).body.errors as Errors)[0]!.extensions.code).toBe('FORBIDDEN');
      const creator = await sb.token({ scopes: ['read', 'issues:create'] });
      expect((await attach({ issueId: 'ENG-1', url: 'https://x.example', title: 't' }, creator)).body.data!.attachmentCreate.attachment.title).toBe('t');
    });

    it('sends no webhook to Issue and Comment subscribers (attachments are their own resource type)', async () => {
      await hook();
      await attach({ issueId: 'ENG-1', url: 'https://x.example/1', title: 'x' });
      await sb.graphql(OPS.Comment, { issueId: 'ENG-1', body: 'after the attachment' }, admin);
      await eventually(() => receiver.received.length >= 1);
      await sb.dispatcher.idle();
      expect(bodies().map((b) => b.type)).toEqual(['Comment']);
    });
  });

  describe('comments', () => {
    const create = (input: Record<string, unknown>, token = admin) =>
      sb.graphql<{ commentCreate: { comment: { id: string; createdAt: string; user: { id: string; app: boolean }; botActor: Record<string, unknown> | null } } }>(OPS.CommentCreate, { input }, token);
    const id = '2f1e7c2a-3b4d-4e5f-8a9b-0c1d2e3f4a5b';

    it('takes a client-chosen id; the same id again is an INPUT_ERROR and creates nothing (default)', async () => {
      await hook();
      const first = await create({ id, issueId: 'ENG-1', body: 'mirrored note' });
      expect(first.body.data!.commentCreate.comment.id).toBe(id);
      const again = await create({ id, issueId: 'ENG-1', body: 'mirrored note' });
      expect(again.body.data).toBeNull();
      expect((again.body.errors as Errors)[0]!.extensions.code).toBe('INPUT_ERROR');
      await eventually(() => receiver.received.length >= 1);
      await sb.dispatcher.idle();
      expect(bodies().filter((b) => b.type === 'Comment')).toHaveLength(1);
    });

    it('with duplicateCommentId=returnExisting answers the existing comment, still without a second one', async () => {
      await sb.control('/_sandbox/settings', { duplicateCommentId: 'returnExisting' });
      await create({ id, issueId: 'ENG-1', body: 'mirrored note' });
      const again = await create({ id, issueId: 'ENG-1', body: 'mirrored note' });
      expect(again.body.data!.commentCreate.comment.id).toBe(id);
      const list = await sb.graphql<{ comments: { nodes: Array<{ id: string }> } }>(OPS.Comments, { issueId: sb.state.issueByRef(sb.state.organizationByName('Acme')!.id, 'ENG-1')!.id }, admin);
      expect(list.body.data!.comments.nodes.filter((c) => c.id === id)).toHaveLength(1);
      // On another issue the id is still taken.
      expect((await create({ id, issueId: 'ENG-2', body: 'x' })).body.data).toBeNull();
    });

    it('backdates with createdAt (past only)', async () => {
      const past = new Date(sb.clock.now() - 3_600_000).toISOString();
      expect((await create({ issueId: 'ENG-1', body: 'old note', createdAt: past })).body.data!.commentCreate.comment.createdAt).toBe(past);
      const future = new Date(sb.clock.now() + 3_600_000).toISOString();
      expect(((await create({ issueId: 'ENG-1', body: 'x', createdAt: future })).body.errors as Errors)[0]!.message).toMatch(/in the past/);
    });

    it('honours createAsUser and displayIconUrl for actor=app tokens only', async () => {
      const asApp = await create({ issueId: 'ENG-1', body: 'note', createAsUser: 'Pat On-call', displayIconUrl: 'https://example.com/pat.png' }, app);
      expect(asApp.body.data!.commentCreate.comment.user.app).toBe(true);
      expect(asApp.body.data!.commentCreate.comment.botActor).toMatchObject({ userDisplayName: 'Pat On-call', avatarUrl: 'https://example.com/pat.png' });
      const asUser = await create({ issueId: 'ENG-1', body: 'note', createAsUser: 'Pat On-call' }, admin);
      expect(asUser.body.data!.commentCreate.comment.botActor).toBeNull();
    });

    it('commentUpdate edits the body (editedAt, Comment update with updatedFrom); commentDelete removes it (Comment remove)', async () => {
      await hook();
      const created = await create({ issueId: 'ENG-1', body: 'first' });
      const cid = created.body.data!.commentCreate.comment.id;
      sb.clock.advance(1000);
      const edited = await sb.graphql<{ commentUpdate: { comment: { body: string; editedAt: string | null } } }>(OPS.CommentUpdate, { id: cid, input: { body: 'second' } }, admin);
      expect(edited.body.data!.commentUpdate.comment.body).toBe('second');
      expect(edited.body.data!.commentUpdate.comment.editedAt).not.toBeNull();
      const deleted = await sb.graphql<{ commentDelete: { entityId: string } }>(OPS.CommentDelete, { id: cid }, admin);
      expect(deleted.body.data!.commentDelete.entityId).toBe(cid);
      expect(((await sb.graphql(OPS.CommentById, { id: cid }, admin)).body.errors as Errors)[0]!.message).toBe('Entity not found: Comment');
      expect(((await sb.graphql(OPS.CommentDelete, { id: cid }, admin)).body.errors as Errors)[0]!.message).toBe('Entity not found: Comment');
      // A deleted comment's id stays taken.
      expect((await create({ id: cid, issueId: 'ENG-1', body: 'again' })).body.data).toBeNull();
      await eventually(() => receiver.received.length >= 3);
      await sb.dispatcher.idle();
      const byAction = Object.fromEntries(bodies().map((b) => [b.action, b]));
      expect(byAction.update).toMatchObject({ type: 'Comment', data: { id: cid, body: 'second' }, updatedFrom: { body: 'first', editedAt: null } });
      expect(byAction.remove).toMatchObject({ type: 'Comment', data: { id: cid } });
      expect(byAction.remove!.data.archivedAt).not.toBeNull();
    });

    it('lets only the author edit a comment', async () => {
      const created = await create({ issueId: 'ENG-1', body: 'mine' });
      const member = await sb.token({ user: 'max@acme.example', scopes: ['read', 'write'] });
      const res = await sb.graphql(OPS.CommentUpdate, { id: created.body.data!.commentCreate.comment.id, input: { body: 'yours' } }, member);
      expect((res.body.errors as Errors)[0]!.extensions.code).toBe('INPUT_ERROR');
    });
  });

  describe('moving an issue to another team', () => {
    interface Moved { issueUpdate: { issue: { id: string; identifier: string; previousIdentifiers: string[]; team: { key: string }; state: { name: string; type: string }; labels: { nodes: Array<{ name: string }> } } } }

    it('gives it a new identifier, keeps the old one in previousIdentifiers (still resolving), and maps the state by type', async () => {
      const orgId = sb.state.organizationByName('Acme')!.id;
      const issue = sb.state.issueByRef(orgId, 'ENG-1')!;
      const inReview = sb.state.statesOf(issue.teamId).find((s) => s.name === 'In Review')!;
      await sb.graphql(OPS.Move, { id: 'ENG-1', stateId: inReview.id }, admin);
      const supCounter = sb.state.teamByRef(orgId, 'SUP')!.issueCounter;
      const moved = await sb.graphql<Moved>(OPS.IssueMove, { id: 'ENG-1', teamId: 'SUP' }, admin);
      const got = moved.body.data!.issueUpdate.issue;
      expect(got).toMatchObject({ id: issue.id, identifier: `SUP-${supCounter + 1}`, previousIdentifiers: ['ENG-1'], team: { key: 'SUP' } });
      // The new team's first state of the same type ("started": In Progress before In Review).
      expect(got.state).toEqual({ id: expect.any(String), name: 'In Progress', type: 'started' });
      const byOld = await sb.graphql<{ issue: { identifier: string } }>(OPS.IssueIdentity, { id: 'ENG-1' }, admin);
      expect(byOld.body.data!.issue.identifier).toBe(`SUP-${supCounter + 1}`);
    });

    it('takes a stateId of the new team, refuses one of the old team, and drops the old team labels', async () => {
      const orgId = sb.state.organizationByName('Acme')!.id;
      const sup = sb.state.teamByRef(orgId, 'SUP')!;
      const eng = sb.state.teamByRef(orgId, 'ENG')!;
      const issue = [...sb.state.issues.values()].find((i) => i.teamId === eng.id && i.labelIds.some((l) => sb.state.labels.get(l)!.teamId === eng.id))!;
      const ref = sb.state.identifier(issue);
      const engDone = sb.state.statesOf(eng.id).find((s) => s.name === 'Done')!;
      expect(((await sb.graphql(OPS.IssueMove, { id: ref, teamId: 'SUP', stateId: engDone.id }, admin)).body.errors as Errors)[0]!.extensions.code).toBe('INPUT_ERROR');
      const supTodo = sb.state.statesOf(sup.id).find((s) => s.name === 'Todo')!;
      const moved = await sb.graphql<Moved>(OPS.IssueMove, { id: ref, teamId: 'SUP', stateId: supTodo.id }, admin);
      const got = moved.body.data!.issueUpdate.issue;
      expect(got.state.name).toBe('Todo');
      expect(got.labels.nodes.every((l) => sb.state.labels.get([...sb.state.labels.values()].find((x) => x.name === l.name)!.id)!.teamId !== eng.id)).toBe(true);
      expect(issue.labelIds.every((id) => sb.state.labels.get(id)!.teamId !== eng.id)).toBe(true);
    });

    it('sends the Issue update to the old and the new team webhooks, with teamId and number in updatedFrom', async () => {
      await hook('ENG');
      await sb.graphql(OPS.IssueMove, { id: 'ENG-2', teamId: 'PRD' }, admin);
      const [got] = await eventually(() => receiver.received.length === 1 && bodies());
      expect(got).toMatchObject({ action: 'update', type: 'Issue', data: { team: { key: 'PRD' }, previousIdentifiers: ['ENG-2'] }, updatedFrom: { number: 2 } });
      expect(got!.updatedFrom!.teamId).toBe(sb.state.teamByRef(sb.state.organizationByName('Acme')!.id, 'ENG')!.id);
      expect(got!.updatedFrom).not.toHaveProperty('previousIdentifiers');
    });
  });

  describe('appActorShape: how a change made with an actor=app token names its actor', () => {
    const actorOfAppChange = async () => {
      await hook();
      await sb.graphql(OPS.Comment, { issueId: 'ENG-1', body: 'by the app' }, app);
      const [got] = await eventually(() => receiver.received.length === 1 && bodies());
      return got!;
    };

    it('oauthClient (default): the OAuth client {id, type, name}', async () => {
      expect(Object.keys((await actorOfAppChange()).actor!).sort()).toEqual(['id', 'name', 'type']);
    });

    it('appUser: the app user as a user actor', async () => {
      await sb.control('/_sandbox/settings', { appActorShape: 'appUser' });
      const got = await actorOfAppChange();
      expect(got.actor).toMatchObject({ type: 'user', id: got.data.userId });
    });

    it('absent: no actor field', async () => {
      await sb.control('/_sandbox/settings', { appActorShape: 'absent' });
      expect(await actorOfAppChange()).not.toHaveProperty('actor');
    });

    it('a user token is always a user actor, and reset restores the default', async () => {
      await sb.control('/_sandbox/settings', { appActorShape: 'absent' });
      await sb.reset();
      expect((await sb.control<{ appActorShape: string; duplicateCommentId: string }>('/_sandbox/settings'))).toMatchObject({ appActorShape: 'oauthClient', duplicateCommentId: 'error' });
    });
  });
});

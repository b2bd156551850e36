import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPS } from './operations.js';
import { SEED_IDS, seedApiKey, seedId } from './seed.js';
import { startLinearSandbox, type RunningLinearSandbox } from './testing.js';

const acme = SEED_IDS.acme;

describe('Linear stand-in: GraphQL queries and mutations', () => {
  let sb: RunningLinearSandbox;
  let token: string;
  beforeAll(async () => {
    sb = await startLinearSandbox();
  });
  afterAll(async () => sb?.close());
  beforeEach(async () => {
    await sb.reset();
    token = await sb.token();
  });

  it('answers viewer for an OAuth token and for a bare personal API key', async () => {
    const oauth = await sb.graphql<{ viewer: { id: string; email: string; organization: { urlKey: string } } }>(OPS.Viewer, {}, token);
    expect(oauth.status).toBe(200);
    expect(oauth.body.data?.viewer).toMatchObject({ id: acme.admin, email: 'ada@acme.example', organization: { urlKey: 'acme' } });
    const key = await sb.graphql<{ viewer: { id: string } }>(OPS.Viewer, {}, { apiKey: seedApiKey('globex', 'member') });
    expect(key.body.data?.viewer.id).toBe(SEED_IDS.globex.member);
  });

  it('answers organization and teams of the viewer’s workspace only', async () => {
    const res = await sb.graphql<{ organization: { name: string; userCount: number; teams: { nodes: Array<{ key: string; id: string }> } } }>(OPS.Organization, {}, token);
    expect(res.body.data?.organization.name).toBe('Acme');
    expect(res.body.data?.organization.userCount).toBe(2);
    expect(res.body.data?.organization.teams.nodes.map((t) => t.key).sort()).toEqual(['ENG', 'PRD', 'SUP']);
    expect(res.body.data?.organization.teams.nodes.map((t) => t.id)).toContain(acme.teams.ENG);
  });

  it('pages the root teams connection', async () => {
    const first = await sb.graphql<{ teams: { nodes: Array<{ key: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(OPS.Teams, { first: 2 }, token);
    expect(first.body.data?.teams.nodes).toHaveLength(2);
    expect(first.body.data?.teams.pageInfo.hasNextPage).toBe(true);
    const rest = await sb.graphql<{ teams: { nodes: Array<{ key: string }>; pageInfo: { hasNextPage: boolean } } }>(OPS.Teams, { first: 2, after: first.body.data!.teams.pageInfo.endCursor }, token);
    expect([...first.body.data!.teams.nodes, ...rest.body.data!.teams.nodes].map((t) => t.key).sort()).toEqual(['ENG', 'PRD', 'SUP']);
    expect(rest.body.data?.teams.pageInfo.hasNextPage).toBe(false);
  });

  it('finds a team by key or id, with states of every type, team labels and projects', async () => {
    for (const id of ['ENG', acme.teams.ENG]) {
      const res = await sb.graphql<{ team: { key: string; states: { nodes: Array<{ type: string }> }; labels: { nodes: Array<{ name: string }> }; projects: { nodes: unknown[] }; triageIssueState: { type: string } } }>(OPS.Team, { id }, token);
      const team = res.body.data!.team;
      expect(team.key).toBe('ENG');
      expect(new Set(team.states.nodes.map((s) => s.type))).toEqual(new Set(['triage', 'backlog', 'unstarted', 'started', 'completed', 'canceled', 'duplicate']));
      expect(team.labels.nodes.map((l) => l.name).sort()).toEqual(['Backend', 'Frontend']);
      expect(team.projects.nodes).toHaveLength(2);
      expect(team.triageIssueState.type).toBe('triage');
    }
  });

  it('filters workflow states by team and by type', async () => {
    const states = await sb.graphql<{ workflowStates: { nodes: Array<{ team: { id: string } }> } }>(OPS.States, { teamId: acme.teams.SUP }, token);
    expect(states.body.data?.workflowStates.nodes).toHaveLength(8);
    expect(states.body.data?.workflowStates.nodes.every((s) => s.team.id === acme.teams.SUP)).toBe(true);
    const started = await sb.graphql<{ team: { states: { nodes: Array<{ name: string }> } } }>(OPS.FirstStartedState, { id: 'ENG' }, token);
    expect(started.body.data?.team.states.nodes.map((s) => s.name).sort()).toEqual(['In Progress', 'In Review']);
  });

  it('lists projects with status and teams, and labels with workspace labels having no team', async () => {
    const projects = await sb.graphql<{ projects: { nodes: Array<{ name: string; status: { type: string }; teams: { nodes: unknown[] }; url: string }> } }>(OPS.Projects, {}, token);
    const checkout = projects.body.data?.projects.nodes.find((p) => p.name === 'Checkout Revamp');
    expect(checkout).toMatchObject({ status: { type: 'started' } });
    expect(checkout?.teams.nodes).toHaveLength(2);
    expect(checkout?.url).toContain(`${sb.url}/acme/project/checkout-revamp-`);
    const labels = await sb.graphql<{ issueLabels: { nodes: Array<{ name: string; team: unknown; isGroup: boolean; parent: { id: string } | null }> } }>(OPS.Labels, {}, token);
    const byName = new Map(labels.body.data!.issueLabels.nodes.map((l) => [l.name, l]));
    expect(byName.get('Bug')?.team).toBeNull();
    expect(byName.get('Backend')?.team).not.toBeNull();
    expect(byName.get('Severity')?.isGroup).toBe(true);
    expect(byName.get('Sev1')?.parent?.id).toBe(seedId('label', 'acme', 'Severity'));
  });

  it('reads an issue by identifier or UUID', async () => {
    for (const id of ['ENG-1', seedId('issue', 'acme', 'ENG-1')]) {
      const res = await sb.graphql<{ issue: Record<string, unknown> }>(OPS.Issue, { id }, token);
      expect(res.body.data?.issue).toMatchObject({
        identifier: 'ENG-1',
        priority: 1,
        priorityLabel: 'Urgent',
        state: { name: 'In Progress', type: 'started' },
        team: { key: 'ENG' },
        project: { name: 'Checkout Revamp' },
        assignee: { name: 'Max Member' },
      });
      expect(res.body.data?.issue.url).toBe(`${sb.url}/acme/issue/ENG-1/checkout-returns-500-for-saved-cards`);
    }
  });

  it('filters comments by issue and reports the rate-limit status', async () => {
    const res = await sb.graphql<{ comments: { nodes: Array<{ user: { name: string }; issue: { identifier: string } }> } }>(OPS.Comments, { issueId: seedId('issue', 'acme', 'ENG-1') }, token);
    expect(res.body.data?.comments.nodes).toHaveLength(2);
    expect(res.body.data?.comments.nodes.every((c) => c.issue.identifier === 'ENG-1')).toBe(true);
    const status = await sb.graphql<{ rateLimitStatus: { kind: string; limits: Array<{ type: string; allowedAmount: number; remainingAmount: number }> } }>(OPS.RateLimitStatus, {}, token);
    expect(status.body.data?.rateLimitStatus.kind).toBe('oauth');
    // Two requests so far with this token (the comments query and this one).
    expect(status.body.data?.rateLimitStatus.limits.find((l) => l.type === 'requestLimit')).toMatchObject({ allowedAmount: 1200, remainingAmount: 1198 });
  });

  it('creates an issue in Triage by default, numbered after the team’s last issue, as the viewer', async () => {
    const res = await sb.graphql<{ issueCreate: { success: boolean; lastSyncId: number; issue: Record<string, unknown> } }>(OPS.IssueCreate, { input: { teamId: acme.teams.ENG, title: 'Pager storm' } }, token);
    expect(res.body.data?.issueCreate).toMatchObject({ success: true, issue: { identifier: 'ENG-13', number: 13, priority: 0, priorityLabel: 'No priority', state: { type: 'triage' }, creator: { id: acme.admin } } });
    expect(res.body.data?.issueCreate.lastSyncId).toBeGreaterThan(0);
  });

  it('creates an issue with state, priority, labels and project, and rejects a state of another team', async () => {
    const input = {
      teamId: acme.teams.ENG,
      title: 'Card vault outage',
      priority: 1,
      stateId: seedId('state', 'acme', 'ENG', 'Todo'),
      labelIds: [seedId('label', 'acme', 'Bug'), seedId('label', 'acme', 'ENG', 'Backend')],
      projectId: seedId('project', 'acme', 'Checkout Revamp'),
    };
    const ok = await sb.graphql<{ issueCreate: { issue: { priority: number; state: { type: string }; labels: { nodes: Array<{ name: string }> }; project: { id: string } } } }>(OPS.IssueCreate, { input }, token);
    const issue = ok.body.data!.issueCreate.issue;
    expect(issue).toMatchObject({ priority: 1, state: { type: 'unstarted' }, project: { id: input.projectId } });
    expect(issue.labels.nodes.map((l) => l.name).sort()).toEqual(['Backend', 'Bug']);
    const bad = await sb.graphql(OPS.IssueCreate, { input: { ...input, stateId: seedId('state', 'acme', 'SUP', 'Todo') } }, token);
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: 'INPUT_ERROR', type: 'invalid input' });
  });

  it('moves an issue, changes priority and labels, and deletes it', async () => {
    const moved = await sb.graphql<{ issueUpdate: { issue: { state: { name: string } } } }>(OPS.Move, { id: 'ENG-2', stateId: seedId('state', 'acme', 'ENG', 'Done') }, token);
    expect(moved.body.data?.issueUpdate.issue.state.name).toBe('Done');
    const bug = seedId('label', 'acme', 'Bug');
    const feature = seedId('label', 'acme', 'Feature');
    const updated = await sb.graphql<{ issueUpdate: { issue: { priority: number; labelIds: string[] } } }>(OPS.IssueUpdate, { id: 'ENG-2', input: { priority: 4, addedLabelIds: [feature], removedLabelIds: [bug] } }, token);
    expect(updated.body.data?.issueUpdate.issue.priority).toBe(4);
    expect(updated.body.data?.issueUpdate.issue.labelIds).toContain(feature);
    expect(updated.body.data?.issueUpdate.issue.labelIds).not.toContain(bug);
    const deleted = await sb.graphql<{ issueDelete: { success: boolean; entity: { trashed: boolean; archivedAt: string } } }>(OPS.IssueDelete, { id: 'ENG-2' }, token);
    expect(deleted.body.data?.issueDelete).toMatchObject({ success: true, entity: { trashed: true } });
    const again = await sb.graphql(OPS.IssueUpdate, { id: 'ENG-2', input: { priority: 1 } }, token);
    expect(again.body.errors?.[0]?.message).toBe('Entity not found: Issue');
  });

  it('comments on an issue by identifier, and replies', async () => {
    const res = await sb.graphql<{ commentCreate: { success: boolean; comment: { id: string; body: string; url: string; user: { id: string } } } }>(OPS.Comment, { issueId: 'SUP-2', body: 'Looking into it' }, token);
    const comment = res.body.data!.commentCreate.comment;
    expect(comment).toMatchObject({ body: 'Looking into it', user: { id: acme.admin } });
    expect(comment.url).toMatch(new RegExp(`^${sb.url}/acme/issue/SUP-2/[a-z-]+#comment-`));
    const reply = await sb.graphql<{ commentCreate: { comment: { parent: { id: string } } } }>(OPS.Reply, { issueId: 'SUP-2', body: 'Found it', parentId: comment.id }, token);
    expect(reply.body.data?.commentCreate.comment.parent.id).toBe(comment.id);
  });

  it('creates, lists, updates, rotates and deletes a team webhook', async () => {
    const created = await sb.graphql<{ webhookCreate: { webhook: { id: string; secret: string; enabled: boolean; team: { id: string } } } }>(
      OPS.Hook,
      { url: 'http://127.0.0.1:9/hook', teamId: 'ENG', resourceTypes: ['Issue', 'Comment'] },
      token,
    );
    const hook = created.body.data!.webhookCreate.webhook;
    expect(hook).toMatchObject({ enabled: true, team: { id: acme.teams.ENG } });
    expect(hook.secret).toMatch(/^lin_wh_/);
    const list = await sb.graphql<{ webhooks: { nodes: Array<{ id: string; label: string }> } }>(OPS.Webhooks, {}, token);
    expect(list.body.data?.webhooks.nodes).toEqual([expect.objectContaining({ id: hook.id, label: 'integration-hub' })]);
    const disabled = await sb.graphql<{ webhookUpdate: { webhook: { enabled: boolean } } }>(OPS.WebhookUpdate, { id: hook.id, input: { enabled: false } }, token);
    expect(disabled.body.data?.webhookUpdate.webhook.enabled).toBe(false);
    const rotated = await sb.graphql<{ webhookRotateSecret: { secret: string } }>(OPS.RotateSecret, { id: hook.id }, token);
    expect(rotated.body.data?.webhookRotateSecret.secret).not.toBe(hook.secret);
    const removed = await sb.graphql<{ webhookDelete: { success: boolean; entityId: string } }>(OPS.Unhook, { id: hook.id }, token);
    expect(removed.body.data?.webhookDelete).toEqual({ success: true, entityId: hook.id });
    const after = await sb.graphql<{ webhooks: { nodes: unknown[] } }>(OPS.Webhooks, {}, token);
    expect(after.body.data?.webhooks.nodes).toEqual([]);
  });

  it('keeps workspaces apart: Globex cannot see Acme’s issues', async () => {
    const globex = await sb.token({ workspace: 'Globex' });
    const res = await sb.graphql(OPS.Issue, { id: seedId('issue', 'acme', 'ENG-1') }, globex);
    expect(res.body.errors?.[0]?.extensions.code).toBe('INPUT_ERROR');
    const own = await sb.graphql<{ issue: { title: string } }>(OPS.Issue, { id: 'ENG-1' }, globex);
    expect(own.body.data?.issue.title).toBe('Migrate cron jobs');
  });
});

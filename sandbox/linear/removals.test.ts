import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPS } from './operations.js';
import { SEED_IDS, seedId } from './seed.js';
import { startLinearSandbox, type GraphqlResponse, type RunningLinearSandbox } from './testing.js';

/**
 * Upstream removals a hub rule's references may suffer (issue 10): issueLabelDelete,
 * workflowStateArchive, projectDelete, teamDelete; lists hiding what was removed unless
 * includeArchived; single lookups per the `archivedLookups` setting.
 */
interface Row {
  id: string;
  archivedAt: string | null;
}
interface Nodes {
  nodes: Row[];
}
interface Aware {
  teams: Nodes;
  workflowStates: Nodes;
  issueLabels: Nodes;
  projects: Nodes;
  organization: { labels: Nodes };
  team: { states: Nodes; labels: Nodes; projects: Nodes };
}

type ListName = 'teams' | 'workflowStates' | 'issueLabels' | 'projects' | 'organizationLabels' | 'teamStates' | 'teamLabels' | 'teamProjects';

const acme = SEED_IDS.acme;
const code = (res: GraphqlResponse<unknown>) => res.body.errors?.[0]?.extensions.code;
const message = (res: GraphqlResponse<unknown>) => res.body.errors?.[0]?.message;

describe('Linear stand-in: removing labels, states, projects and teams', () => {
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

  /** Every list of ArchivedAware, as `{list: ids}` (a team's connections are of `teamId`). */
  async function lists(teamId: string, includeArchived?: boolean): Promise<Record<ListName, string[]>> {
    const res = await sb.graphql<Aware>(OPS.ArchivedAware, { teamId, ...(includeArchived === undefined ? {} : { includeArchived }) }, token);
    expect(res.body.errors).toBeUndefined();
    const d = res.body.data!;
    const ids = (c: Nodes) => c.nodes.map((n) => n.id);
    return {
      teams: ids(d.teams),
      workflowStates: ids(d.workflowStates),
      issueLabels: ids(d.issueLabels),
      projects: ids(d.projects),
      organizationLabels: ids(d.organization.labels),
      teamStates: ids(d.team.states),
      teamLabels: ids(d.team.labels),
      teamProjects: ids(d.team.projects),
    };
  }

  it('deletes a team label and a workspace label: gone from every list, shown with includeArchived, archivedAt set', async () => {
    const backend = seedId('label', 'acme', 'ENG', 'Backend');
    const bug = seedId('label', 'acme', 'Bug');
    const before = await lists(acme.teams.ENG);
    expect(before.teamLabels).toContain(backend);
    expect(before.organizationLabels).toContain(bug);
    const first = await sb.graphql<{ issueLabelDelete: { success: boolean; lastSyncId: number; entityId: string } }>(OPS.LabelDelete, { id: backend }, token);
    expect(first.body.data?.issueLabelDelete).toMatchObject({ success: true, entityId: backend });
    const second = await sb.graphql<{ issueLabelDelete: { lastSyncId: number } }>(OPS.LabelDelete, { id: bug }, token);
    expect(second.body.data!.issueLabelDelete.lastSyncId).toBeGreaterThan(first.body.data!.issueLabelDelete.lastSyncId);

    const hidden = await lists(acme.teams.ENG);
    expect(hidden.teamLabels).not.toContain(backend);
    expect(hidden.issueLabels).not.toContain(backend);
    expect(hidden.issueLabels).not.toContain(bug);
    expect(hidden.organizationLabels).not.toContain(bug);
    const shown = await lists(acme.teams.ENG, true);
    expect(shown.teamLabels).toContain(backend);
    expect(shown.issueLabels).toEqual(expect.arrayContaining([backend, bug]));
    expect(shown.organizationLabels).toContain(bug);

    const looked = await sb.graphql<{ issueLabel: Row }>(OPS.IssueLabelById, { id: bug }, token);
    const archivedAt = Date.parse(looked.body.data!.issueLabel.archivedAt ?? '');
    expect(Math.abs(archivedAt - sb.clock.now())).toBeLessThan(5000);
    // A deleted label can no longer be put on an issue, nor deleted again.
    const create = await sb.graphql(OPS.IssueCreate, { input: { teamId: 'ENG', title: 'With a deleted label', labelIds: [bug] } }, token);
    expect([code(create), message(create)]).toEqual(['INPUT_ERROR', 'Entity not found: IssueLabel']);
    const again = await sb.graphql(OPS.LabelDelete, { id: bug }, token);
    expect([again.status, code(again), message(again)]).toEqual([400, 'INPUT_ERROR', 'Entity not found: IssueLabel']);
  });

  it('archives a workflow state only once all its issues are archived', async () => {
    const inReview = seedId('state', 'acme', 'ENG', 'In Review');
    const holding = await sb.graphql<{ issues: { nodes: Array<{ id: string }> } }>(OPS.IssuesPage, { first: 50, filter: { state: { id: { eq: inReview } } } }, token);
    const issueIds = holding.body.data!.issues.nodes.map((i) => i.id);
    expect(issueIds.length).toBeGreaterThan(0);

    const refused = await sb.graphql(OPS.StateArchive, { id: inReview }, token);
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'INPUT_ERROR', type: 'invalid input', userError: true });
    expect(message(refused)).toMatch(/^Argument Validation Error: state In Review still has \d+ unarchived issues?/);
    expect((await lists(acme.teams.ENG)).teamStates).toContain(inReview);

    for (const id of issueIds) expect((await sb.graphql(OPS.IssueDelete, { id }, token)).body.errors).toBeUndefined();
    const archived = await sb.graphql<{ workflowStateArchive: { success: boolean; entity: Row & { name: string } } }>(OPS.StateArchive, { id: inReview }, token);
    expect(archived.body.errors).toBeUndefined();
    expect(archived.body.data?.workflowStateArchive).toMatchObject({ success: true, entity: { id: inReview, name: 'In Review' } });
    expect(archived.body.data?.workflowStateArchive.entity.archivedAt).not.toBeNull();

    const hidden = await lists(acme.teams.ENG);
    expect(hidden.teamStates).toHaveLength(7);
    expect(hidden.teamStates).not.toContain(inReview);
    expect(hidden.workflowStates).not.toContain(inReview);
    const shown = await lists(acme.teams.ENG, true);
    expect(shown.teamStates).toContain(inReview);
    expect(shown.workflowStates).toContain(inReview);
    const move = await sb.graphql(OPS.Move, { id: 'ENG-1', stateId: inReview }, token);
    expect([code(move), message(move)]).toEqual(['INPUT_ERROR', 'Entity not found: WorkflowState']);
  });

  it('trashes a project: archivedAt and trashed set, gone from the lists, shown with includeArchived', async () => {
    const help = seedId('project', 'acme', 'Help Center');
    const res = await sb.graphql<{ projectDelete: { success: boolean; entity: Row & { trashed: boolean } } }>(OPS.ProjectDelete, { id: help }, token);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data?.projectDelete).toMatchObject({ success: true, entity: { id: help, trashed: true } });
    expect(res.body.data?.projectDelete.entity.archivedAt).not.toBeNull();

    const hidden = await lists(acme.teams.SUP);
    expect(hidden.teamProjects).toEqual([seedId('project', 'acme', 'Incident Readiness')]);
    expect(hidden.projects).not.toContain(help);
    const shown = await lists(acme.teams.SUP, true);
    expect(shown.teamProjects).toContain(help);
    expect(shown.projects).toContain(help);
    const create = await sb.graphql(OPS.IssueCreate, { input: { teamId: 'SUP', title: 'In a trashed project', projectId: help } }, token);
    expect(message(create)).toBe('Entity not found: Project');
  });

  it('deletes (archives) a team: admins only; gone from teams, shown with includeArchived, takes no new issues', async () => {
    const prd = acme.teams.PRD;
    const member = await sb.token({ user: 'max@acme.example', scopes: ['read', 'write', 'admin'] });
    const byMember = await sb.graphql(OPS.TeamDelete, { id: prd }, member);
    expect([code(byMember), message(byMember)]).toEqual(['FORBIDDEN', 'Only workspace admins can delete teams']);
    const noAdminScope = await sb.token({ scopes: ['read', 'write'] });
    const byWriter = await sb.graphql(OPS.TeamDelete, { id: prd }, noAdminScope);
    expect([code(byWriter), message(byWriter)]).toEqual(['FORBIDDEN', 'Invalid scope: `admin` required']);

    const res = await sb.graphql<{ teamDelete: { success: boolean; entityId: string } }>(OPS.TeamDelete, { id: prd }, token);
    expect(res.body.data?.teamDelete).toMatchObject({ success: true, entityId: prd });
    expect((await lists(acme.teams.ENG)).teams.sort()).toEqual([acme.teams.ENG, acme.teams.SUP].sort());
    expect((await lists(acme.teams.ENG, true)).teams).toContain(prd);
    const looked = await sb.graphql<{ team: Row & { key: string } }>(OPS.TeamById, { id: 'PRD' }, token);
    expect(looked.body.data?.team).toMatchObject({ id: prd, key: 'PRD' });
    expect(looked.body.data?.team.archivedAt).not.toBeNull();
    const create = await sb.graphql(OPS.IssueCreate, { input: { teamId: prd, title: 'In a deleted team' } }, token);
    expect(message(create)).toBe('Entity not found: Team');
    expect(message(await sb.graphql(OPS.TeamDelete, { id: prd }, token))).toBe('Entity not found: Team');
  });

  it('refuses the removals to a read-only token (FORBIDDEN) and to another workspace’s ids (not found)', async () => {
    const reader = await sb.token({ scopes: ['read'] });
    const cases = [
      [OPS.LabelDelete, seedId('label', 'acme', 'Bug'), seedId('label', 'globex', 'Bug'), 'IssueLabel'],
      [OPS.StateArchive, seedId('state', 'acme', 'ENG', 'Duplicate'), seedId('state', 'globex', 'ENG', 'Duplicate'), 'WorkflowState'],
      [OPS.ProjectDelete, seedId('project', 'acme', 'Help Center'), seedId('project', 'globex', 'Onboarding'), 'Project'],
      [OPS.TeamDelete, acme.teams.SUP, SEED_IDS.globex.teams.SUP, 'Team'],
    ] as const;
    for (const [op, own, foreign, type] of cases) {
      const res = await sb.graphql(op, { id: own }, reader);
      expect([res.status, code(res)]).toEqual([400, 'FORBIDDEN']);
      expect(message(await sb.graphql(op, { id: foreign }, token))).toBe(`Entity not found: ${type}`);
    }
    // Nothing was removed.
    const after = await lists(acme.teams.SUP);
    expect(after.teams).toHaveLength(3);
    expect(after.projects).toHaveLength(3);
  });

  it('answers single lookups of removed things per the archivedLookups setting (default returned)', async () => {
    const bug = seedId('label', 'acme', 'Bug');
    const help = seedId('project', 'acme', 'Help Center');
    const duplicate = seedId('state', 'acme', 'SUP', 'Duplicate');
    const dupIssues = await sb.graphql<{ issues: { nodes: Array<{ id: string }> } }>(OPS.IssuesPage, { first: 50, filter: { state: { id: { eq: duplicate } } } }, token);
    for (const { id } of dupIssues.body.data!.issues.nodes) await sb.graphql(OPS.IssueDelete, { id }, token);
    for (const [op, id] of [[OPS.LabelDelete, bug], [OPS.ProjectDelete, help], [OPS.StateArchive, duplicate], [OPS.TeamDelete, acme.teams.PRD]] as const) {
      expect((await sb.graphql(op, { id }, token)).body.errors).toBeUndefined();
    }
    const lookups = [
      [OPS.TeamById, acme.teams.PRD, 'team', 'Team'],
      [OPS.WorkflowStateById, duplicate, 'workflowState', 'WorkflowState'],
      [OPS.ProjectById, help, 'project', 'Project'],
      [OPS.IssueLabelById, bug, 'issueLabel', 'IssueLabel'],
    ] as const;
    expect(await sb.control<{ archivedLookups: string }>('/_sandbox/settings')).toMatchObject({ archivedLookups: 'returned' });
    for (const [op, id, field] of lookups) {
      const res = await sb.graphql<Record<string, Row>>(op, { id }, token);
      expect(res.body.data?.[field]?.id).toBe(id);
      expect(res.body.data?.[field]?.archivedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    }

    expect(await sb.control('/_sandbox/settings', { archivedLookups: 'not_found' })).toMatchObject({ archivedLookups: 'not_found' });
    for (const [op, id, , type] of lookups) {
      const res = await sb.graphql(op, { id }, token);
      expect([res.status, code(res), message(res)]).toEqual([400, 'INPUT_ERROR', `Entity not found: ${type}`]);
    }
    // Things not removed are still found, and lists are unaffected by the setting.
    const eng = await sb.graphql<{ team: Row }>(OPS.TeamById, { id: 'ENG' }, token);
    expect(eng.body.data?.team).toMatchObject({ id: acme.teams.ENG, archivedAt: null });
    expect((await lists(acme.teams.ENG, true)).teams).toContain(acme.teams.PRD);

    const bad = await fetch(`${sb.url}/_sandbox/settings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ archivedLookups: 'hidden' }) });
    expect(bad.status).toBe(400);
    await sb.reset();
    expect(await sb.control('/_sandbox/settings')).toMatchObject({ archivedLookups: 'returned' });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPS } from './operations.js';
import { SEED_IDS, SEED_TIME, seedId } from './seed.js';
import { startLinearSandbox, type RunningLinearSandbox } from './testing.js';

/**
 * What the Rules form and its dry-run read from Linear (issue 10): a team's workflow states,
 * projects and labels, the workspace's labels (all paged), the team's most recent issues, and
 * issues by id list and by team/updatedAt.
 */
interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}
interface Conn<T> {
  nodes: T[];
  pageInfo: PageInfo;
}
interface RecentIssue {
  id: string;
  identifier: string;
  priority: number;
  updatedAt: string;
  state: { id: string; type: string };
  project: { id: string } | null;
  labels: { nodes: Array<{ id: string }> };
}

const acme = SEED_IDS.acme;

describe('Linear stand-in: what the Rules form and dry-run read', () => {
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

  /** Follows endCursor until hasNextPage is false; returns every node and the number of pages. */
  async function all<T>(op: string, variables: Record<string, unknown>, pick: (data: never) => Conn<T>) {
    const nodes: T[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res = await sb.graphql(op, { ...variables, after }, token);
      expect(res.body.errors).toBeUndefined();
      const conn = pick(res.body.data as never);
      nodes.push(...conn.nodes);
      pages += 1;
      if (!conn.pageInfo.hasNextPage) return { nodes, pages };
      after = conn.pageInfo.endCursor;
    }
  }

  it('pages a team’s workflow states (id, name, type, position), one of each type and two started', async () => {
    const { nodes, pages } = await all<{ id: string; name: string; type: string; position: number }>(
      OPS.TeamStatesPage,
      { id: acme.teams.ENG, first: 3 },
      (d: { team: { states: Conn<never> } }) => d.team.states,
    );
    expect(pages).toBe(3);
    expect(nodes).toHaveLength(8);
    expect(new Set(nodes.map((s) => s.id)).size).toBe(8);
    const started = nodes.filter((s) => s.type === 'started').sort((a, b) => a.position - b.position);
    expect(started.map((s) => s.name)).toEqual(['In Progress', 'In Review']);
    expect(nodes.find((s) => s.type === 'completed')?.name).toBe('Done');
    expect(nodes.every((s) => typeof s.position === 'number')).toBe(true);
  });

  it('pages a team’s projects, and only that team’s', async () => {
    const { nodes, pages } = await all<{ id: string; name: string; status: { type: string } }>(
      OPS.TeamProjectsPage,
      { id: 'ENG', first: 1 },
      (d: { team: { projects: Conn<never> } }) => d.team.projects,
    );
    expect(pages).toBe(2);
    expect(nodes.map((p) => p.name).sort()).toEqual(['Checkout Revamp', 'Incident Readiness']);
    expect(nodes.find((p) => p.name === 'Incident Readiness')?.status.type).toBe('planned');
    const sup = await all<{ name: string }>(OPS.TeamProjectsPage, { id: 'SUP', first: 10 }, (d: { team: { projects: Conn<never> } }) => d.team.projects);
    expect(sup.nodes.map((p) => p.name).sort()).toEqual(['Help Center', 'Incident Readiness']);
  });

  it('pages a team’s own labels (team set) apart from the workspace’s', async () => {
    const { nodes, pages } = await all<{ id: string; name: string; team: { id: string } | null }>(
      OPS.TeamLabelsPage,
      { id: acme.teams.SUP, first: 1 },
      (d: { team: { labels: Conn<never> } }) => d.team.labels,
    );
    expect(pages).toBe(2);
    expect(nodes.map((l) => l.name).sort()).toEqual(['Customer', 'Escalation']);
    expect(nodes.every((l) => l.team?.id === acme.teams.SUP)).toBe(true);
  });

  it('pages the workspace’s labels (no team) through organization.labels and issueLabels(filter: team null)', async () => {
    const expected = ['Bug', 'Feature', 'Improvement', 'Sev1', 'Sev2', 'Severity'];
    const viaOrg = await all<{ name: string; isGroup: boolean; parent: { id: string } | null; team: null }>(
      OPS.WorkspaceLabelsPage,
      { first: 4 },
      (d: { organization: { labels: Conn<never> } }) => d.organization.labels,
    );
    expect(viaOrg.pages).toBe(2);
    expect(viaOrg.nodes.map((l) => l.name).sort()).toEqual(expected);
    expect(viaOrg.nodes.every((l) => l.team === null)).toBe(true);
    expect(viaOrg.nodes.find((l) => l.name === 'Severity')?.isGroup).toBe(true);
    expect(viaOrg.nodes.find((l) => l.name === 'Sev1')?.parent?.id).toBe(seedId('label', 'acme', 'Severity'));
    const viaFilter = await all<{ name: string }>(OPS.WorkspaceLabelsByFilter, { first: 5 }, (d: { issueLabels: Conn<never> }) => d.issueLabels);
    expect(viaFilter.pages).toBe(2);
    expect(viaFilter.nodes.map((l) => l.name).sort()).toEqual(expected);
  });

  it('lists a team’s most recent issues by updatedAt with priority, state type, project and labels', async () => {
    await sb.graphql(OPS.IssueUpdate, { id: 'ENG-3', input: { priority: 1 } }, token);
    const res = await sb.graphql<{ team: { issues: Conn<RecentIssue> } }>(OPS.TeamRecentIssues, { id: 'ENG' }, token);
    expect(res.body.errors).toBeUndefined();
    const issues = res.body.data!.team.issues;
    expect(issues.nodes).toHaveLength(12);
    expect(issues.pageInfo.hasNextPage).toBe(false);
    expect(issues.nodes[0]).toMatchObject({ identifier: 'ENG-3', priority: 1, state: { type: 'backlog' }, project: null });
    expect(issues.nodes.slice(1).map((i) => i.identifier)).toEqual(Array.from({ length: 12 }, (_, k) => `ENG-${12 - k}`).filter((id) => id !== 'ENG-3'));
    const times = issues.nodes.map((i) => Date.parse(i.updatedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const eng1 = issues.nodes.find((i) => i.identifier === 'ENG-1')!;
    expect(eng1.project?.id).toBe(seedId('project', 'acme', 'Checkout Revamp'));
    expect(eng1.labels.nodes.map((l) => l.id).sort()).toEqual([seedId('label', 'acme', 'Bug'), seedId('label', 'acme', 'ENG', 'Backend')].sort());
  });

  it('filters issues by an id list, within the viewer’s workspace only', async () => {
    const ids = ['ENG-1', 'SUP-2'].map((n) => seedId('issue', 'acme', n));
    const foreign = seedId('issue', 'globex', 'ENG-1');
    const res = await sb.graphql<{ issues: { nodes: Array<{ id: string; identifier: string; state: { type: string } }> } }>(OPS.IssuesByIds, { ids: [...ids, foreign, 'no-such-id'] }, token);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.issues.nodes.map((i) => i.identifier).sort()).toEqual(['ENG-1', 'SUP-2']);
    const none = await sb.graphql<{ issues: { nodes: unknown[] } }>(OPS.IssuesByIds, { ids: [] }, token);
    expect(none.body.data!.issues.nodes).toEqual([]);
  });

  it('filters issues by team and updatedAt (date-time or duration), newest first, paged', async () => {
    const since = new Date(SEED_TIME - 40 * 3600_000).toISOString();
    const seeded = await all<{ identifier: string }>(OPS.IssuesUpdatedSince, { teamId: acme.teams.ENG, since }, (d: { issues: Conn<never> }) => d.issues);
    // ENG-1..12 were seeded an hour apart from 48 h before SEED_TIME: ENG-10..12 are within 40 h.
    expect(seeded.nodes.map((i) => i.identifier)).toEqual(['ENG-12', 'ENG-11', 'ENG-10']);
    await sb.graphql(OPS.IssueUpdate, { id: 'ENG-2', input: { title: 'Payment page slow on mobile Safari' } }, token);
    await sb.graphql(OPS.IssueUpdate, { id: 'SUP-1', input: { priority: 2 } }, token);
    const recent = await all<{ identifier: string }>(OPS.IssuesUpdatedSince, { teamId: acme.teams.ENG, since: '-PT5M' }, (d: { issues: Conn<never> }) => d.issues);
    expect(recent.nodes.map((i) => i.identifier)).toEqual(['ENG-2']);
  });
});

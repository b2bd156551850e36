import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPS } from './operations.js';
import { SEED_IDS } from './seed.js';
import { startLinearSandbox, type RunningLinearSandbox } from './testing.js';

interface IssueNode {
  id: string;
  identifier: string;
  priority: number;
  state: { type: string };
  team: { key: string };
  labels: { nodes: Array<{ name: string }> };
  project: { name: string } | null;
}
interface Page {
  issues: { nodes: IssueNode[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null } };
}

describe('Linear stand-in: Relay pagination and filters', () => {
  let sb: RunningLinearSandbox;
  let token: string;
  const page = async (variables: Record<string, unknown>) => {
    const res = await sb.graphql<Page>(OPS.IssuesPage, variables, token);
    expect(res.body.errors).toBeUndefined();
    return res.body.data!.issues;
  };
  beforeAll(async () => {
    sb = await startLinearSandbox();
  });
  afterAll(async () => sb?.close());
  beforeEach(async () => {
    await sb.reset();
    token = await sb.token();
  });

  it('pages through more than ten issues with the default page size and endCursor', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const p: Page['issues'] = await page(after ? { after } : {});
      pages += 1;
      seen.push(...p.nodes.map((n) => n.identifier));
      expect(p.nodes.length).toBeLessThanOrEqual(10);
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(pages).toBe(2); // Acme has 19 issues
    expect(new Set(seen).size).toBe(19);
    expect(seen[0]).toBe('PRD-3'); // newest first
  });

  it('pages a team connection the same way (12 Engineering issues)', async () => {
    const first = await sb.graphql<{ team: { issues: { nodes: unknown[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } }>(OPS.TeamIssues, { id: 'ENG' }, token);
    expect(first.body.data?.team.issues.nodes).toHaveLength(10);
    expect(first.body.data?.team.issues.pageInfo.hasNextPage).toBe(true);
    const second = await sb.graphql<{ team: { issues: { nodes: unknown[]; pageInfo: { hasNextPage: boolean } } } }>(OPS.TeamIssues, { id: 'ENG', after: first.body.data!.team.issues.pageInfo.endCursor }, token);
    expect(second.body.data?.team.issues.nodes).toHaveLength(2);
    expect(second.body.data?.team.issues.pageInfo.hasNextPage).toBe(false);
  });

  it('gives every edge a cursor usable as `after`', async () => {
    const res = await sb.graphql<{ issues: { edges: Array<{ cursor: string; node: { identifier: string } }> } }>(OPS.IssueEdges, { first: 3 }, token);
    const edges = res.body.data!.issues.edges;
    const next = await sb.graphql<{ issues: { edges: Array<{ node: { identifier: string } }> } }>(OPS.IssueEdges, { first: 1, after: edges[1]!.cursor }, token);
    expect(next.body.data?.issues.edges[0]?.node.identifier).toBe(edges[2]!.node.identifier);
  });

  it('pages backwards with last/before', async () => {
    const firstFive = await page({ first: 5 });
    const back = await page({ last: 2, before: firstFive.pageInfo.endCursor });
    expect(back.nodes.map((n) => n.identifier)).toEqual(firstFive.nodes.slice(2, 4).map((n) => n.identifier));
    expect(back.pageInfo.hasPreviousPage).toBe(true);
    expect(back.pageInfo.hasNextPage).toBe(true);
  });

  it('orders by updatedAt when asked', async () => {
    await sb.graphql(OPS.IssueUpdate, { id: 'ENG-1', input: { title: 'Checkout returns 500 (card vault)' } }, token);
    const p = await page({ first: 1, orderBy: 'updatedAt' });
    expect(p.nodes[0]?.identifier).toBe('ENG-1');
  });

  it('filters by team key, state type, priority (lte 2 includes "no priority"), label and missing project', async () => {
    const eng = await page({ first: 50, filter: { team: { key: { eq: 'ENG' } } } });
    expect(eng.nodes).toHaveLength(12);
    const open = await page({ first: 50, filter: { team: { id: { eq: SEED_IDS.acme.teams.ENG } }, state: { type: { in: ['triage', 'started'] } } } });
    expect(open.nodes.map((n) => n.state.type).every((t) => t === 'triage' || t === 'started')).toBe(true);
    expect(open.nodes).toHaveLength(4);
    const urgentish = await page({ first: 50, filter: { priority: { lte: 2 } } });
    expect(urgentish.nodes.some((n) => n.priority === 0)).toBe(true);
    expect(urgentish.nodes.every((n) => n.priority <= 2)).toBe(true);
    const bugs = await page({ first: 50, filter: { labels: { some: { name: { eq: 'Bug' } } } } });
    expect(bugs.nodes.length).toBeGreaterThan(0);
    expect(bugs.nodes.every((n) => n.labels.nodes.some((l) => l.name === 'Bug'))).toBe(true);
    const loose = await page({ first: 50, filter: { project: { null: true }, team: { key: { eq: 'SUP' } } } });
    expect(loose.nodes.map((n) => n.identifier).sort()).toEqual(['SUP-1', 'SUP-2', 'SUP-4']);
    const either = await page({ first: 50, filter: { or: [{ team: { key: { eq: 'PRD' } } }, { priority: { eq: 1 } }] } });
    expect(either.nodes.every((n) => n.team.key === 'PRD' || n.priority === 1)).toBe(true);
  });

  it('filters by updatedAt with a relative duration', async () => {
    await sb.graphql(OPS.IssueUpdate, { id: 'SUP-3', input: { priority: 2 } }, token);
    const recent = await page({ first: 50, filter: { updatedAt: { gt: '-PT1M' } } });
    expect(recent.nodes.map((n) => n.identifier)).toEqual(['SUP-3']);
  });

  it('hides deleted issues unless includeArchived', async () => {
    await sb.graphql(OPS.IssueDelete, { id: 'PRD-3' }, token);
    const visible = await page({ first: 50 });
    expect(visible.nodes.map((n) => n.identifier)).not.toContain('PRD-3');
    const all = await page({ first: 50, includeArchived: true });
    expect(all.nodes.map((n) => n.identifier)).toContain('PRD-3');
  });

  it('honours a configured page size and rejects a garbled cursor', async () => {
    await sb.control('/_sandbox/settings', { pageSize: 4 });
    expect((await page({})).nodes).toHaveLength(4);
    const res = await sb.graphql(OPS.IssuesPage, { after: 'not-a-cursor' }, token);
    expect(res.body.errors?.[0]?.extensions.code).toBe('INPUT_ERROR');
  });
});

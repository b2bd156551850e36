import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPS } from '../../sandbox/linear/operations.js';
import { SEED_IDS, seedId } from '../../sandbox/linear/seed.js';
import { startLinearSandbox, type RunningLinearSandbox } from '../../sandbox/linear/testing.js';
import { LinearEntityNotFoundError } from '../../src/providers/linear/api.js';
import { LINEAR_PAGE_SIZE, linearIssueTracker as tracker, TRACKER_QUERIES } from '../../src/providers/linear/tracker.js';
import { ProviderUnauthorizedError, ProviderUnavailableError } from '../../src/providers/errors.js';
import type { ProviderRequest } from '../../src/providers/request.js';
import { referenceAvailable, referenceDir } from '../helpers/reference.js';

/**
 * Linear as the issue tracker rules read (roles.ts), against the Linear stand-in over real HTTP:
 * every page of a team's states, projects and labels, a team Linear does not know as null, and
 * the team's most recent issues with the facts rules match on.
 */
const acme = SEED_IDS.acme;
const EXTRA = LINEAR_PAGE_SIZE + 10;

describe.skipIf(!referenceAvailable())('the issue tracker’s GraphQL documents', () => {
  it('are valid against Linear’s published schema (and the check can fail)', () => {
    const published = buildSchema(readFileSync(path.join(referenceDir(), 'linear', 'schema.graphql'), 'utf8'));
    for (const [name, query] of Object.entries(TRACKER_QUERIES)) expect(validate(published, parse(query)).map((e) => e.message), name).toEqual([]);
    const invented = TRACKER_QUERIES.recentIssues.replace('labelIds', 'labelIds teamId');
    expect(validate(published, parse(invented)).map((e) => e.message)).toEqual(['Cannot query field "teamId" on type "Issue". Did you mean "team"?']);
  });
});

describe('Linear as the issue tracker', () => {
  let sb: RunningLinearSandbox;
  let request: ProviderRequest;
  beforeAll(async () => {
    sb = await startLinearSandbox();
  });
  afterAll(async () => sb?.close());
  beforeEach(async () => {
    await sb.reset();
    request = { apiUrl: sb.url, accessToken: await sb.token(), timeoutMs: 5000 };
  });

  /** The variables of each GraphQL call the hub made, in order. */
  const pagesSent = (operation: string) =>
    sb.requests
      .list()
      .filter((r) => r.path === '/graphql' && (r.body as { query: string }).query.includes(operation))
      .map((r) => (r.body as { variables: { first: number; after: string | null } }).variables);

  const stamp = () => ({ createdAt: sb.clock.now(), updatedAt: sb.clock.now(), seq: sb.state.nextSeq() });

  it('reads every page of a team’s workflow states, in position order', async () => {
    const seeded = await tracker.teamStates(request, acme.teams.ENG);
    expect(seeded?.map((s) => s.name)).toEqual(['Triage', 'Backlog', 'Todo', 'In Progress', 'In Review', 'Done', 'Canceled', 'Duplicate']);
    expect(seeded?.find((s) => s.name === 'In Review')).toEqual({ id: seedId('state', 'acme', 'ENG', 'In Review'), name: 'In Review', type: 'started', position: 4 });

    const template = sb.state.states.get(seedId('state', 'acme', 'ENG', 'Todo'))!;
    for (let i = 0; i < EXTRA; i++) {
      const id = randomUUID();
      sb.state.states.set(id, { ...template, id, name: `Extra ${i}`, position: 100 + i, ...stamp() });
    }
    const states = await tracker.teamStates(request, acme.teams.ENG);
    expect(states).toHaveLength(8 + EXTRA);
    expect(new Set(states?.map((s) => s.id)).size).toBe(8 + EXTRA);
    expect(states?.at(-1)?.name).toBe(`Extra ${EXTRA - 1}`);
    const pages = pagesSent('HubTeamStates');
    expect(pages.slice(-2).map((p) => [p.first, p.after === null])).toEqual([
      [LINEAR_PAGE_SIZE, true],
      [LINEAR_PAGE_SIZE, false],
    ]);
  });

  it('reads every page of a team’s projects, and only that team’s', async () => {
    expect((await tracker.teamProjects(request, 'ENG'))?.map((p) => p.name)).toEqual(['Checkout Revamp', 'Incident Readiness']);
    expect((await tracker.teamProjects(request, acme.teams.SUP))?.map((p) => p.name)).toEqual(['Help Center', 'Incident Readiness']);
    const template = sb.state.projects.get(seedId('project', 'acme', 'Checkout Revamp'))!;
    for (let i = 0; i < EXTRA; i++) {
      const id = randomUUID();
      sb.state.projects.set(id, { ...template, id, name: `Project ${String(i).padStart(3, '0')}`, slugId: id.slice(0, 12), teamIds: [acme.teams.ENG], ...stamp() });
    }
    const projects = await tracker.teamProjects(request, acme.teams.ENG);
    expect(projects).toHaveLength(2 + EXTRA);
    expect(projects?.slice(0, 2).map((p) => p.name)).toEqual(['Checkout Revamp', 'Incident Readiness']);
    expect(pagesSent('HubTeamProjects').length).toBeGreaterThanOrEqual(3);
  });

  it('reads the team’s labels and the workspace’s, every page, leaving out label groups', async () => {
    const labels = await tracker.teamLabels(request, acme.teams.SUP);
    expect(labels).toEqual([
      { id: seedId('label', 'acme', 'SUP', 'Customer'), name: 'Customer', scope: 'team' },
      { id: seedId('label', 'acme', 'SUP', 'Escalation'), name: 'Escalation', scope: 'team' },
      ...['Bug', 'Feature', 'Improvement', 'Sev1', 'Sev2'].map((name) => ({ id: seedId('label', 'acme', name), name, scope: 'workspace' })),
    ]);
    // No other team's labels, no group ("Severity" cannot be put on an issue).
    expect(labels?.map((l) => l.name)).not.toContain('Backend');
    expect(labels?.map((l) => l.name)).not.toContain('Severity');

    const template = sb.state.labels.get(seedId('label', 'acme', 'Bug'))!;
    for (let i = 0; i < EXTRA; i++) {
      for (const teamId of [acme.teams.SUP, null]) {
        const id = randomUUID();
        sb.state.labels.set(id, { ...template, id, teamId, name: `${teamId ? 'team' : 'ws'}-${String(i).padStart(3, '0')}`, ...stamp() });
      }
    }
    const all = await tracker.teamLabels(request, acme.teams.SUP);
    expect(all?.filter((l) => l.scope === 'team')).toHaveLength(2 + EXTRA);
    expect(all?.filter((l) => l.scope === 'workspace')).toHaveLength(5 + EXTRA);
    expect(pagesSent('HubTeamLabels')).toHaveLength(1 + 2);
    expect(pagesSent('HubWorkspaceLabels')).toHaveLength(1 + 2);
  });

  it('answers null for a team Linear does not know, or one of another workspace', async () => {
    for (const teamId of [randomUUID(), 'NOPE', SEED_IDS.globex.teams.ENG]) {
      expect(await tracker.teamStates(request, teamId), teamId).toBeNull();
      expect(await tracker.teamProjects(request, teamId), teamId).toBeNull();
      expect(await tracker.teamLabels(request, teamId), teamId).toBeNull();
    }
    // The workspace labels are not read for a team that is not there.
    expect(pagesSent('HubWorkspaceLabels')).toEqual([]);
    // recentIssues promises a list: an unknown team is an error there, not an empty list.
    await expect(tracker.recentIssues(request, 'NOPE', 10)).rejects.toBeInstanceOf(LinearEntityNotFoundError);
  });

  it('throws the provider errors for everything else', async () => {
    await sb.control('/_sandbox/faults', { api: [{ kind: '500', count: 1, pathPrefix: '/graphql' }] });
    await expect(tracker.teamStates(request, acme.teams.ENG)).rejects.toBeInstanceOf(ProviderUnavailableError);
    await sb.control('/_sandbox/tokens/revoke', { token: request.accessToken });
    await expect(tracker.teamLabels(request, acme.teams.ENG)).rejects.toBeInstanceOf(ProviderUnauthorizedError);
  });

  it('lists a team’s most recently updated issues, newest first, with priority, state, project and labels', async () => {
    const token = request.accessToken;
    await sb.graphql(OPS.IssueUpdate, { id: 'ENG-3', input: { priority: 1 } }, token);
    const issues = await tracker.recentIssues(request, 'ENG', 50);
    expect(issues.map((i) => i.identifier)).toEqual(['ENG-3', ...Array.from({ length: 12 }, (_, k) => `ENG-${12 - k}`).filter((id) => id !== 'ENG-3')]);
    expect(issues.map((i) => i.updatedAt)).toEqual(issues.map((i) => i.updatedAt).sort((a, b) => b - a));
    const [eng3] = issues;
    expect(eng3).toMatchObject({
      id: seedId('issue', 'acme', 'ENG-3'),
      teamId: acme.teams.ENG,
      priority: 1,
      state: { id: seedId('state', 'acme', 'ENG', 'Backlog'), name: 'Backlog', type: 'backlog' },
      projectId: null,
    });
    expect(eng3?.url).toContain('ENG-3');
    expect(eng3?.updatedAt).toBeGreaterThan(Date.now() - 60_000);
    const eng1 = issues.find((i) => i.identifier === 'ENG-1')!;
    expect(eng1.title).not.toBe('');
    expect(eng1.projectId).toBe(seedId('project', 'acme', 'Checkout Revamp'));
    expect([...eng1.labelIds].sort()).toEqual([seedId('label', 'acme', 'Bug'), seedId('label', 'acme', 'ENG', 'Backend')].sort());
    expect(issues.every((i) => i.teamId === acme.teams.ENG)).toBe(true);
  });

  it('returns at most `limit` issues, asking for no more than 250 at once', async () => {
    expect((await tracker.recentIssues(request, acme.teams.ENG, 3)).map((i) => i.identifier)).toEqual(['ENG-12', 'ENG-11', 'ENG-10']);
    expect(pagesSent('HubTeamRecentIssues').at(-1)?.first).toBe(3);
    expect(await tracker.recentIssues(request, acme.teams.ENG, 0)).toEqual([]);
    await tracker.recentIssues(request, acme.teams.ENG, 10_000);
    expect(pagesSent('HubTeamRecentIssues').at(-1)?.first).toBe(LINEAR_PAGE_SIZE);
  });
});

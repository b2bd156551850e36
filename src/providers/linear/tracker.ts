import type { IssueTracker, TrackerLabel, TrackerNamed, TrackerState } from '../roles.js';
import { LinearEntityNotFoundError, linearGraphQL, type LinearRequest } from './api.js';
import { linearIssueSync } from './issue-sync.js';
import { trackerIssueOf, type IssueFactsNode } from './issue-node.js';

/**
 * Linear as the hub's issue tracker (roles.ts): what the Rules form and its dry-run read of a
 * team. Every list follows `pageInfo` to the end (Linear pages at 50 unless asked, 250 at most);
 * a team Linear does not know answers `INPUT_ERROR "Entity not found: Team"` (API-NOTES §2.5),
 * which becomes null. Shapes checked against the published schema
 * (test/providers/linear-tracker.test.ts validates these documents against it).
 */

/** The largest page the hub asks for. 250 issues with these fields cost ~1,300 complexity points of 10,000 (§2.6). */
export const LINEAR_PAGE_SIZE = 250;

const PAGE_INFO = 'pageInfo { hasNextPage endCursor }';

export const TRACKER_QUERIES = {
  states: `query HubTeamStates($id: String!, $first: Int!, $after: String) {
  team(id: $id) { states(first: $first, after: $after) { nodes { id name type position } ${PAGE_INFO} } }
}`,
  projects: `query HubTeamProjects($id: String!, $first: Int!, $after: String) {
  team(id: $id) { projects(first: $first, after: $after) { nodes { id name } ${PAGE_INFO} } }
}`,
  teamLabels: `query HubTeamLabels($id: String!, $first: Int!, $after: String) {
  team(id: $id) { labels(first: $first, after: $after) { nodes { id name isGroup } ${PAGE_INFO} } }
}`,
  // Workspace-level labels only: "not associated with any specific team" (published schema).
  workspaceLabels: `query HubWorkspaceLabels($first: Int!, $after: String) {
  organization { labels(first: $first, after: $after) { nodes { id name isGroup } ${PAGE_INFO} } }
}`,
  // `labelIds` rather than `labels { nodes }`: a nested connection multiplies the complexity by 50.
  recentIssues: `query HubTeamRecentIssues($id: String!, $first: Int!, $after: String) {
  team(id: $id) {
    issues(first: $first, after: $after, orderBy: updatedAt) {
      nodes { id identifier title url priority updatedAt labelIds state { id name type } project { id } team { id } }
      ${PAGE_INFO}
    }
  }
}`,
} as const;

interface Connection<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Reads pages of one connection until the end or until `max` nodes; `pick` finds the connection in a page's data. */
async function readPages<T>(
  request: LinearRequest,
  query: string,
  variables: Record<string, unknown>,
  pick: (data: never) => Connection<T>,
  max = Number.POSITIVE_INFINITY,
): Promise<T[]> {
  const nodes: T[] = [];
  let after: string | null = null;
  // A bound on the walk, in case a server kept answering hasNextPage.
  for (let page = 0; page < 1000 && nodes.length < max; page++) {
    const first = Math.min(LINEAR_PAGE_SIZE, max - nodes.length);
    const connection = pick(await linearGraphQL<never>(request, query, { ...variables, first, after }));
    nodes.push(...connection.nodes);
    const next = connection.pageInfo.endCursor;
    if (!connection.pageInfo.hasNextPage || next === null || next === after) break;
    after = next;
  }
  return nodes.slice(0, max);
}

/** null when Linear does not know the team (or it vanished between two pages). */
async function nullWhenTeamMissing<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof LinearEntityNotFoundError && error.entity === 'Team') return null;
    throw error;
  }
}

interface TeamData<K extends string, T> {
  team: Record<K, Connection<T>>;
}

interface LabelNode {
  id: string;
  name: string;
  isGroup: boolean;
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

/**
 * Label groups are left out: Linear says a group "cannot be directly applied to issues" (schema,
 * `IssueLabel.isGroup`), so a rule on one would never match; its children are ordinary labels.
 */
const applicable = (scope: TrackerLabel['scope']) => (nodes: LabelNode[]) =>
  nodes.filter((label) => !label.isGroup).map((label): TrackerLabel => ({ id: label.id, name: label.name, scope }));

export const linearIssueTracker: IssueTracker = {
  provider: 'linear',

  /** By position (Linear lists by creation; `position` is the team's order). */
  async teamStates(request, teamId) {
    const states = await nullWhenTeamMissing(
      readPages(request, TRACKER_QUERIES.states, { id: teamId }, (d: TeamData<'states', TrackerState>) => d.team.states),
    );
    if (states === null) return null;
    return states
      .map((state) => ({ id: state.id, name: state.name, type: state.type, position: state.position }))
      .sort((a, b) => a.position - b.position || byName(a, b));
  },

  async teamProjects(request, teamId) {
    const projects = await nullWhenTeamMissing(
      readPages(request, TRACKER_QUERIES.projects, { id: teamId }, (d: TeamData<'projects', TrackerNamed>) => d.team.projects),
    );
    return projects?.map((project) => ({ id: project.id, name: project.name })).sort(byName) ?? null;
  },

  /** The team's own labels first, then the workspace's, each by name. */
  async teamLabels(request, teamId) {
    const team = await nullWhenTeamMissing(
      readPages(request, TRACKER_QUERIES.teamLabels, { id: teamId }, (d: TeamData<'labels', LabelNode>) => d.team.labels),
    );
    if (team === null) return null;
    const workspace = await readPages(request, TRACKER_QUERIES.workspaceLabels, {}, (d: { organization: { labels: Connection<LabelNode> } }) => d.organization.labels);
    return [...applicable('team')(team).sort(byName), ...applicable('workspace')(workspace).sort(byName)];
  },

  /** Newest first by `updatedAt`. An unknown team throws LinearEntityNotFoundError (a ProviderRequestError): the role has no null here. */
  async recentIssues(request, teamId, limit) {
    const max = Number.isFinite(limit) ? Math.min(Math.max(0, Math.floor(limit)), LINEAR_PAGE_SIZE) : 0;
    if (max === 0) return [];
    const issues = await readPages(request, TRACKER_QUERIES.recentIssues, { id: teamId }, (d: TeamData<'issues', IssueFactsNode>) => d.team.issues, max);
    return issues.map(trackerIssueOf);
  },

  /** Two-way sync's reads and writes (issue-sync.ts). */
  sync: linearIssueSync,
};


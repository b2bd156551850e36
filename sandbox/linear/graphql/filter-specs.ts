import type { Attachment, Comment, Issue, IssueLabel, LinearState, Project, Team, User, WorkflowState } from '../state.js';
import type { Spec } from './filters.js';

/** The filterable fields of each entity (graphql/schema/filters.ts lists the same names). */
export interface FilterSpecs {
  team: Spec<Team>;
  state: Spec<WorkflowState>;
  label: Spec<IssueLabel>;
  project: Spec<Project>;
  user: Spec<User>;
  issue: Spec<Issue>;
  comment: Spec<Comment>;
  attachment: Spec<Attachment>;
}

export function filterSpecs(state: LinearState): FilterSpecs {
  const stamps = { createdAt: (r: { createdAt: number }) => r.createdAt, updatedAt: (r: { updatedAt: number }) => r.updatedAt };
  const s = {} as FilterSpecs;
  const lazy = <T>(get: () => Spec<T>) => () => get() as Spec<never>;
  s.team = { scalars: { id: (t) => t.id, key: (t) => t.key, name: (t) => t.name }, dates: stamps };
  s.state = {
    scalars: { id: (w) => w.id, name: (w) => w.name, type: (w) => w.type, position: (w) => w.position },
    dates: stamps,
    relations: { team: { get: (w) => state.teams.get(w.teamId), spec: lazy(() => s.team) } },
  };
  s.label = {
    scalars: { id: (l) => l.id, name: (l) => l.name, isGroup: (l) => l.isGroup },
    dates: stamps,
    relations: {
      team: { get: (l) => (l.teamId ? state.teams.get(l.teamId) : undefined), spec: lazy(() => s.team) },
      parent: { get: (l) => (l.parentId ? state.labels.get(l.parentId) : undefined), spec: lazy(() => s.label) },
    },
  };
  s.project = { scalars: { id: (p) => p.id, name: (p) => p.name, slugId: (p) => p.slugId }, dates: stamps };
  s.user = { scalars: { id: (u) => u.id, email: (u) => u.email, name: (u) => u.name, isMe: (u, env) => u.id === env.viewerId } };
  const user = (id: string | null) => (id ? state.users.get(id) : undefined);
  s.issue = {
    scalars: {
      id: (i) => i.id,
      number: (i) => i.number,
      title: (i) => i.title,
      description: (i) => i.description,
      priority: (i) => i.priority,
    },
    dates: { ...stamps, completedAt: (i) => i.completedAt, canceledAt: (i) => i.canceledAt },
    relations: {
      team: { get: (i) => state.teams.get(i.teamId), spec: lazy(() => s.team) },
      state: { get: (i) => state.states.get(i.stateId), spec: lazy(() => s.state) },
      project: { get: (i) => (i.projectId ? state.projects.get(i.projectId) : undefined), spec: lazy(() => s.project) },
      assignee: { get: (i) => user(i.assigneeId), spec: lazy(() => s.user) },
      creator: { get: (i) => user(i.creatorId), spec: lazy(() => s.user) },
    },
    collections: { labels: { get: (i) => i.labelIds.map((id) => state.labels.get(id)).filter(Boolean), spec: lazy(() => s.label) } },
  };
  s.comment = {
    scalars: { id: (c) => c.id, body: (c) => c.body },
    dates: stamps,
    relations: { issue: { get: (c) => state.issues.get(c.issueId), spec: lazy(() => s.issue) } },
  };
  s.attachment = {
    scalars: { id: (a) => a.id, url: (a) => a.url, title: (a) => a.title, subtitle: (a) => a.subtitle },
    dates: stamps,
    relations: { creator: { get: (a) => user(a.creatorId), spec: lazy(() => s.user) } },
  };
  return s;
}

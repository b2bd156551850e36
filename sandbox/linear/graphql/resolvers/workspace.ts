import type { IssueLabel, Organization, Project, ProjectStatus, Team, User, WorkflowState } from '../../state.js';
import { requireAdmin, type LinearContext } from '../context.js';
import { lookup, page, type Args, type TypeResolvers } from './helpers.js';

/** Field resolvers of Organization, User, Team, WorkflowState, IssueLabel, ProjectStatus, Project. */

export const workspaceResolvers: TypeResolvers = {
  Organization: {
    userCount: (o: Organization, _a: Args, ctx: LinearContext) => ctx.services.state.usersOf(o.id).length,
    createdIssueCount: (o: Organization, _a: Args, ctx: LinearContext) => [...ctx.services.state.issues.values()].filter((i) => i.organizationId === o.id).length,
    teams: (o: Organization, a: Args, ctx: LinearContext) => page(ctx, ctx.services.state.teamsOf(o.id), a, ctx.services.specs.team),
    users: (o: Organization, a: Args, ctx: LinearContext) => page(ctx, ctx.services.state.usersOf(o.id), a),
    // Workspace-level labels only, "not associated with any specific team" (published schema).
    labels: (o: Organization, a: Args, ctx: LinearContext) =>
      page(ctx, [...ctx.services.state.labels.values()].filter((l) => l.organizationId === o.id && l.teamId === null), a, ctx.services.specs.label),
    projectStatuses: (o: Organization, _a: Args, ctx: LinearContext) =>
      [...ctx.services.state.projectStatuses.values()].filter((s) => s.organizationId === o.id).sort((a, b) => a.position - b.position),
  },
  User: {
    guest: () => false,
    owner: (u: User) => u.admin,
    isMe: (u: User, _a: Args, ctx: LinearContext) => u.id === ctx.viewer.user.id,
    avatarUrl: () => null,
    url: (u: User, _a: Args, ctx: LinearContext) => ctx.services.urls.user(u),
    organization: (u: User, _a: Args, ctx: LinearContext) => ctx.services.state.organizations.get(u.organizationId),
    teams: (u: User, a: Args, ctx: LinearContext) => page(ctx, ctx.services.state.teamsOf(u.organizationId), a, ctx.services.specs.team),
    assignedIssues: (u: User, a: Args, ctx: LinearContext) =>
      page(ctx, [...ctx.services.state.issues.values()].filter((i) => i.assigneeId === u.id), a, ctx.services.specs.issue),
    createdIssues: (u: User, a: Args, ctx: LinearContext) =>
      page(ctx, [...ctx.services.state.issues.values()].filter((i) => i.creatorId === u.id), a, ctx.services.specs.issue),
  },
  Team: {
    displayName: (t: Team) => t.name,
    icon: () => null,
    private: () => false,
    timezone: () => 'UTC',
    issueCount: (t: Team, a: Args, ctx: LinearContext) =>
      [...ctx.services.state.issues.values()].filter((i) => i.teamId === t.id && (a.includeArchived === true || !i.archivedAt)).length,
    organization: (t: Team, _a: Args, ctx: LinearContext) => ctx.services.state.organizations.get(t.organizationId),
    defaultIssueState: (t: Team, _a: Args, ctx: LinearContext) => lookup(ctx.services.state.statesOf(t.id).find((s) => s.type === 'backlog' && !s.archivedAt)),
    triageIssueState: (t: Team, _a: Args, ctx: LinearContext) =>
      t.triageEnabled ? lookup(ctx.services.state.statesOf(t.id).find((s) => s.type === 'triage' && !s.archivedAt)) : null,
    states: (t: Team, a: Args, ctx: LinearContext) => page(ctx, ctx.services.state.statesOf(t.id), a, ctx.services.specs.state),
    // "Labels associated with the team": the team's own; workspace labels are Organization.labels.
    labels: (t: Team, a: Args, ctx: LinearContext) =>
      page(ctx, [...ctx.services.state.labels.values()].filter((l) => l.teamId === t.id), a, ctx.services.specs.label),
    projects: (t: Team, a: Args, ctx: LinearContext) =>
      page(ctx, [...ctx.services.state.projects.values()].filter((p) => p.teamIds.includes(t.id)), a, ctx.services.specs.project),
    issues: (t: Team, a: Args, ctx: LinearContext) =>
      page(ctx, [...ctx.services.state.issues.values()].filter((i) => i.teamId === t.id), a, ctx.services.specs.issue),
    members: (t: Team, a: Args, ctx: LinearContext) => page(ctx, ctx.services.state.usersOf(t.organizationId), a),
    webhooks: (t: Team, a: Args, ctx: LinearContext) => {
      requireAdmin(ctx);
      return page(ctx, [...ctx.services.state.webhooks.values()].filter((w) => w.teamId === t.id), a);
    },
  },
  WorkflowState: {
    team: (s: WorkflowState, _a: Args, ctx: LinearContext) => ctx.services.state.teams.get(s.teamId),
    issues: (s: WorkflowState, a: Args, ctx: LinearContext) =>
      page(ctx, [...ctx.services.state.issues.values()].filter((i) => i.stateId === s.id), a, ctx.services.specs.issue),
  },
  IssueLabel: {
    parent: (l: IssueLabel, _a: Args, ctx: LinearContext) => (l.parentId ? lookup(ctx.services.state.labels.get(l.parentId)) : null),
    team: (l: IssueLabel, _a: Args, ctx: LinearContext) => (l.teamId ? lookup(ctx.services.state.teams.get(l.teamId)) : null),
    children: (l: IssueLabel, a: Args, ctx: LinearContext) =>
      page(ctx, [...ctx.services.state.labels.values()].filter((c) => c.parentId === l.id), a, ctx.services.specs.label),
    issues: (l: IssueLabel, a: Args, ctx: LinearContext) =>
      page(ctx, [...ctx.services.state.issues.values()].filter((i) => i.labelIds.includes(l.id)), a, ctx.services.specs.issue),
  },
  ProjectStatus: {
    description: () => null,
    indefinite: (s: ProjectStatus) => s.type === 'backlog' || s.type === 'paused',
  },
  Project: {
    icon: () => null,
    url: (p: Project, _a: Args, ctx: LinearContext) => ctx.services.urls.project(p),
    priority: () => 0,
    priorityLabel: () => 'No priority',
    status: (p: Project, _a: Args, ctx: LinearContext) => ctx.services.state.projectStatuses.get(p.statusId),
    lead: (p: Project, _a: Args, ctx: LinearContext) => (p.leadId ? lookup(ctx.services.state.users.get(p.leadId)) : null),
    teams: (p: Project, a: Args, ctx: LinearContext) =>
      page(ctx, p.teamIds.map((id) => ctx.services.state.teams.get(id)).filter((t): t is Team => t !== undefined), a, ctx.services.specs.team),
    issues: (p: Project, a: Args, ctx: LinearContext) =>
      page(ctx, [...ctx.services.state.issues.values()].filter((i) => i.projectId === p.id), a, ctx.services.specs.issue),
  },
};

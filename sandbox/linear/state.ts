import type { ApiKey, Attachment, Comment, Dataset, Issue, IssueLabel, Organization, Project, ProjectStatus, Team, User, Webhook, WorkflowState } from './model.js';

/** The record types live in model.ts; most modules import them from here with the store. */
export * from './model.js';

/**
 * The Linear stand-in's in-memory store. Every change goes through the functions in domain/,
 * never straight to these maps from a route, so GraphQL, the page and the webhooks stay
 * consistent.
 */
const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((r) => [r.id, r]));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class LinearState {
  organizations = new Map<string, Organization>();
  users = new Map<string, User>();
  teams = new Map<string, Team>();
  states = new Map<string, WorkflowState>();
  labels = new Map<string, IssueLabel>();
  projectStatuses = new Map<string, ProjectStatus>();
  projects = new Map<string, Project>();
  issues = new Map<string, Issue>();
  comments = new Map<string, Comment>();
  attachments = new Map<string, Attachment>();
  webhooks = new Map<string, Webhook>();
  apiKeys = new Map<string, ApiKey>();
  /** Linear's `lastSyncId` on mutation payloads: grows by one per change. */
  lastSyncId = 0;
  private seqCounter = 0;

  constructor(private readonly seed: () => Dataset) {
    this.reset();
  }

  /** Back to a fresh copy of the seed. */
  reset(): void {
    const d = this.seed();
    this.organizations = byId(d.organizations);
    this.users = byId(d.users);
    this.teams = byId(d.teams);
    this.states = byId(d.states);
    this.labels = byId(d.labels);
    this.projectStatuses = byId(d.projectStatuses);
    this.projects = byId(d.projects);
    this.issues = byId(d.issues);
    this.comments = byId(d.comments);
    this.attachments = byId(d.attachments);
    this.webhooks = byId(d.webhooks);
    this.apiKeys = new Map(d.apiKeys.map((k) => [k.value, k]));
    this.lastSyncId = 1000;
    const tables = Object.values(d) as Array<Dataset[keyof Dataset]>;
    this.seqCounter = Math.max(0, ...tables.flat().map((r) => ('seq' in r ? r.seq : 0)));
  }

  nextSeq(): number {
    return ++this.seqCounter;
  }

  nextSyncId(): number {
    return ++this.lastSyncId;
  }

  organizationByName(name: string): Organization | undefined {
    const lower = name.toLowerCase();
    return [...this.organizations.values()].find((o) => o.name.toLowerCase() === lower || o.urlKey === lower);
  }

  usersOf(organizationId: string): User[] {
    return [...this.users.values()].filter((u) => u.organizationId === organizationId && !u.app);
  }

  userByEmail(organizationId: string, email: string): User | undefined {
    const lower = email.toLowerCase();
    return this.usersOf(organizationId).find((u) => u.email.toLowerCase() === lower);
  }

  teamsOf(organizationId: string): Team[] {
    return [...this.teams.values()].filter((t) => t.organizationId === organizationId);
  }

  /** A team by UUID or key ("ENG"), as `team(id:)` and `WebhookCreateInput.teamId` accept (API-NOTES §2.1). */
  teamByRef(organizationId: string, ref: string): Team | undefined {
    const team = UUID.test(ref) ? this.teams.get(ref.toLowerCase()) : this.teamsOf(organizationId).find((t) => t.key === ref.toUpperCase());
    return team?.organizationId === organizationId ? team : undefined;
  }

  statesOf(teamId: string): WorkflowState[] {
    return [...this.states.values()].filter((s) => s.teamId === teamId).sort((a, b) => a.position - b.position);
  }

  /**
   * An issue by UUID or identifier ("ENG-12"), as `issue(id:)` accepts (API-NOTES §2.1). An
   * identifier the issue held before a team move still finds it (schema: previousIdentifiers
   * are "used to resolve URLs that referenced an older identifier").
   */
  issueByRef(organizationId: string, ref: string): Issue | undefined {
    let issue: Issue | undefined;
    if (UUID.test(ref)) issue = this.issues.get(ref.toLowerCase());
    else {
      const match = /^([A-Za-z0-9]+)-(\d+)$/.exec(ref);
      const team = match ? this.teamByRef(organizationId, match[1]!) : undefined;
      issue = team ? [...this.issues.values()].find((i) => i.teamId === team.id && i.number === Number(match![2])) : undefined;
      const upper = ref.toUpperCase();
      issue ??= [...this.issues.values()].find((i) => i.organizationId === organizationId && i.previousIdentifiers.includes(upper));
    }
    return issue?.organizationId === organizationId ? issue : undefined;
  }

  identifier(issue: Issue): string {
    return `${this.teams.get(issue.teamId)?.key ?? '?'}-${issue.number}`;
  }

  commentsOf(issueId: string): Comment[] {
    return [...this.comments.values()].filter((c) => c.issueId === issueId);
  }

  attachmentsOf(issueId: string): Attachment[] {
    return [...this.attachments.values()].filter((a) => a.issueId === issueId);
  }
}

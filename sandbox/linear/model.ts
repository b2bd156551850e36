/**
 * Records of the Linear stand-in's store. Plain objects; times are epoch ms on the sandbox clock
 * (serialised to ISO 8601 at the edges); `seq` orders records created in the same millisecond.
 */

/** WorkflowState.type values (API-NOTES §2.2; a String in the schema, not an enum). */
export const STATE_TYPES = ['triage', 'backlog', 'unstarted', 'started', 'completed', 'canceled', 'duplicate'] as const;
export type StateType = (typeof STATE_TYPES)[number];

interface Record0 {
  id: string;
  createdAt: number;
  updatedAt: number;
  seq: number;
}

export interface Organization extends Record0 {
  name: string;
  urlKey: string;
}

export interface User extends Record0 {
  organizationId: string;
  name: string;
  displayName: string;
  email: string;
  admin: boolean;
  /** An OAuth application's own user (actor=app installs, API-NOTES §1.8). */
  app: boolean;
  /** For app users: the OAuth client they stand for. */
  appClientId: string | null;
  active: boolean;
}

export interface Team extends Record0 {
  organizationId: string;
  key: string;
  name: string;
  description: string | null;
  color: string;
  triageEnabled: boolean;
  /** The last issue number handed out (identifiers are KEY-N). */
  issueCounter: number;
  /** Set by teamDelete (the team is archived); hidden from lists unless includeArchived. */
  archivedAt: number | null;
}

export interface WorkflowState extends Record0 {
  teamId: string;
  name: string;
  type: StateType;
  color: string;
  position: number;
  description: string | null;
  /** Set by workflowStateArchive; hidden from lists unless includeArchived. */
  archivedAt: number | null;
}

export interface IssueLabel extends Record0 {
  organizationId: string;
  /** null = a workspace label. */
  teamId: string | null;
  parentId: string | null;
  name: string;
  color: string;
  isGroup: boolean;
  description: string | null;
  /** Set by issueLabelDelete; hidden from lists unless includeArchived. */
  archivedAt: number | null;
}

export type ProjectStatusType = 'backlog' | 'planned' | 'started' | 'paused' | 'completed' | 'canceled';

export interface ProjectStatus extends Record0 {
  organizationId: string;
  name: string;
  type: ProjectStatusType;
  color: string;
  position: number;
}

export interface Project extends Record0 {
  organizationId: string;
  name: string;
  slugId: string;
  description: string;
  color: string;
  statusId: string;
  teamIds: string[];
  leadId: string | null;
  /** Set by projectDelete, which trashes the project (`trashed` true, restorable at Linear). */
  archivedAt: number | null;
  trashed: boolean;
}

export interface Issue extends Record0 {
  organizationId: string;
  teamId: string;
  number: number;
  title: string;
  description: string | null;
  /** 0 none, 1 urgent, 2 high, 3 medium, 4 low (API-NOTES §2.2). */
  priority: number;
  stateId: string;
  labelIds: string[];
  projectId: string | null;
  assigneeId: string | null;
  creatorId: string | null;
  parentId: string | null;
  sortOrder: number;
  archivedAt: number | null;
  trashed: boolean;
  startedAt: number | null;
  completedAt: number | null;
  canceledAt: number | null;
  startedTriageAt: number | null;
  triagedAt: number | null;
  /** Identifiers the issue held before moving to another team (Issue.previousIdentifiers), oldest first. */
  previousIdentifiers: string[];
}

export interface Comment extends Record0 {
  organizationId: string;
  issueId: string;
  userId: string | null;
  parentId: string | null;
  body: string;
  editedAt: number | null;
  /** Set by commentDelete: the comment is gone for readers, but its id stays taken. */
  archivedAt: number | null;
  /**
   * CommentCreateInput.createAsUser / displayIconUrl, kept only for actor=app tokens: the name
   * and avatar shown instead of the app's (read back as `botActor`).
   */
  createAsUser: string | null;
  displayIconUrl: string | null;
}

/** An issue attachment (schema `Attachment`): the URL is unique per issue (attachmentCreate upserts by it). */
export interface Attachment extends Record0 {
  organizationId: string;
  issueId: string;
  url: string;
  title: string;
  subtitle: string | null;
  iconUrl: string | null;
  metadata: Record<string, unknown>;
  groupBySource: boolean;
  creatorId: string | null;
  archivedAt: number | null;
}

export interface Webhook extends Record0 {
  organizationId: string;
  url: string;
  label: string | null;
  secret: string;
  enabled: boolean;
  resourceTypes: string[];
  /** A team webhook; null with allPublicTeams = every public team. */
  teamId: string | null;
  allPublicTeams: boolean;
  creatorId: string | null;
}

/** A personal API key: sent as `Authorization: <key>` without "Bearer" (API-NOTES §1.7). */
export interface ApiKey {
  value: string;
  userId: string;
  label: string;
}

/** Everything reset() restores. */
export interface Dataset {
  organizations: Organization[];
  users: User[];
  teams: Team[];
  states: WorkflowState[];
  labels: IssueLabel[];
  projectStatuses: ProjectStatus[];
  projects: Project[];
  issues: Issue[];
  comments: Comment[];
  attachments: Attachment[];
  webhooks: Webhook[];
  apiKeys: ApiKey[];
}

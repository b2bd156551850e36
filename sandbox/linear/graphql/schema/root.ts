import { list } from './args.js';

/** Query and Mutation roots, mutation inputs and payloads: strict subset of Linear's schema. */

export const rootSdl = /* GraphQL */ `
type Query {
  viewer: User!
  organization: Organization!
  rateLimitStatus: RateLimitPayload!
  teams(${list('TeamFilter')}): TeamConnection!
  team(id: String!): Team!
  users(after: String, before: String, first: Int, includeArchived: Boolean, includeDisabled: Boolean, last: Int, orderBy: PaginationOrderBy): UserConnection!
  workflowStates(${list('WorkflowStateFilter')}): WorkflowStateConnection!
  workflowState(id: String!): WorkflowState!
  projects(${list('ProjectFilter')}): ProjectConnection!
  project(id: String!): Project!
  issueLabels(${list('IssueLabelFilter')}): IssueLabelConnection!
  issueLabel(id: String!): IssueLabel!
  issues(${list('IssueFilter')}): IssueConnection!
  issue(id: String!): Issue!
  comments(${list('CommentFilter')}): CommentConnection!
  comment(id: String): Comment!
  attachment(id: String!): Attachment!
  webhooks(${list()}): WebhookConnection!
  webhook(id: String!): Webhook!
}

type Mutation {
  issueCreate(input: IssueCreateInput!): IssuePayload!
  issueUpdate(id: String!, input: IssueUpdateInput!): IssuePayload!
  issueDelete(id: String!, permanentlyDelete: Boolean): IssueArchivePayload!
  commentCreate(input: CommentCreateInput!): CommentPayload!
  commentUpdate(id: String!, input: CommentUpdateInput!): CommentPayload!
  commentDelete(id: String!): DeletePayload!
  attachmentCreate(input: AttachmentCreateInput!): AttachmentPayload!
  attachmentLinkURL(createAsUser: String, displayIconUrl: String, id: String, issueId: String!, title: String, url: String!): AttachmentPayload!
  webhookCreate(input: WebhookCreateInput!): WebhookPayload!
  webhookUpdate(id: String!, input: WebhookUpdateInput!): WebhookPayload!
  webhookDelete(id: String!): DeletePayload!
  webhookRotateSecret(id: String!): WebhookRotateSecretPayload!
  issueLabelDelete(id: String!): DeletePayload!
  workflowStateArchive(id: String!): WorkflowStateArchivePayload!
  projectDelete(id: String!): ProjectArchivePayload!
  teamDelete(id: String!): DeletePayload!
}

input IssueCreateInput {
  id: String
  teamId: String!
  title: String
  description: String
  priority: Int
  stateId: String
  labelIds: [String!]
  projectId: String
  assigneeId: String
  parentId: String
}

input IssueUpdateInput {
  title: String
  description: String
  priority: Int
  stateId: String
  labelIds: [String!]
  addedLabelIds: [String!]
  removedLabelIds: [String!]
  projectId: String
  assigneeId: String
  parentId: String
  teamId: String
}

input CommentCreateInput {
  id: String
  issueId: String
  body: String
  parentId: String
  doNotSubscribeToIssue: Boolean
  createAsUser: String
  displayIconUrl: String
  createdAt: DateTime
}

input CommentUpdateInput {
  body: String
}

input AttachmentCreateInput {
  id: String
  issueId: String!
  url: String!
  title: String!
  subtitle: String
  iconUrl: String
  metadata: JSONObject
  groupBySource: Boolean
  createAsUser: String
  displayIconUrl: String
}

input WebhookCreateInput {
  id: String
  url: String!
  resourceTypes: [String!]!
  teamId: String
  allPublicTeams: Boolean
  label: String
  secret: String
  enabled: Boolean
}

input WebhookUpdateInput {
  url: String
  resourceTypes: [String!]
  label: String
  secret: String
  enabled: Boolean
}

interface ArchivePayload {
  lastSyncId: Float!
  success: Boolean!
}

type IssuePayload { lastSyncId: Float! success: Boolean! issue: Issue }
type IssueArchivePayload implements ArchivePayload { lastSyncId: Float! success: Boolean! entity: Issue }
type WorkflowStateArchivePayload implements ArchivePayload { lastSyncId: Float! success: Boolean! entity: WorkflowState }
type ProjectArchivePayload implements ArchivePayload { lastSyncId: Float! success: Boolean! entity: Project }
type AttachmentPayload { lastSyncId: Float! success: Boolean! attachment: Attachment! }
type CommentPayload { lastSyncId: Float! success: Boolean! comment: Comment! }
type WebhookPayload { lastSyncId: Float! success: Boolean! webhook: Webhook! }
type DeletePayload implements ArchivePayload { lastSyncId: Float! success: Boolean! entityId: String! }
type WebhookRotateSecretPayload { lastSyncId: Float! success: Boolean! secret: String! }
`;

import { list } from './args.js';

/** Issue, Comment, Attachment, Webhook and rate-limit types: strict subset of Linear's schema (see entities.ts). */

export const issuesSdl = /* GraphQL */ `
type Issue implements Node {
  id: ID!
  identifier: String!
  number: Float!
  title: String!
  description: String
  priority: Float!
  priorityLabel: String!
  prioritySortOrder: Float!
  sortOrder: Float!
  estimate: Float
  url: String!
  branchName: String!
  trashed: Boolean
  createdAt: DateTime!
  updatedAt: DateTime!
  archivedAt: DateTime
  startedAt: DateTime
  completedAt: DateTime
  canceledAt: DateTime
  startedTriageAt: DateTime
  triagedAt: DateTime
  team: Team!
  state: WorkflowState!
  project: Project
  assignee: User
  creator: User
  parent: Issue
  labelIds: [String!]!
  previousIdentifiers: [String!]!
  labels(${list('IssueLabelFilter')}): IssueLabelConnection!
  comments(${list('CommentFilter')}): CommentConnection!
  attachments(${list('AttachmentFilter')}): AttachmentConnection!
  children(${list('IssueFilter')}): IssueConnection!
}

type Comment implements Node {
  id: ID!
  body: String!
  url: String!
  createdAt: DateTime!
  updatedAt: DateTime!
  editedAt: DateTime
  archivedAt: DateTime
  issue: Issue
  issueId: String
  user: User
  parent: Comment
  parentId: String
  botActor: ActorBot
  children(${list('CommentFilter')}): CommentConnection!
}

type ActorBot {
  id: ID
  type: String!
  subType: String
  name: String
  userDisplayName: String
  avatarUrl: String
}

type Attachment implements Node {
  id: ID!
  url: String!
  title: String!
  subtitle: String
  metadata: JSONObject!
  groupBySource: Boolean!
  sourceType: String
  createdAt: DateTime!
  updatedAt: DateTime!
  archivedAt: DateTime
  issue: Issue!
  creator: User
}

type Webhook implements Node {
  id: ID!
  url: String
  label: String
  enabled: Boolean!
  secret: String
  resourceTypes: [String!]!
  allPublicTeams: Boolean!
  team: Team
  teamIds: [String!]
  creator: User
  createdAt: DateTime!
  updatedAt: DateTime!
  archivedAt: DateTime
}

type RateLimitPayload {
  identifier: String
  kind: String!
  limits: [RateLimitResultPayload!]!
}

type RateLimitResultPayload {
  type: String!
  allowedAmount: Float!
  remainingAmount: Float!
  requestedAmount: Float!
  reset: Float!
  period: Float!
}
`;

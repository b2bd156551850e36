import { list } from './args.js';

/**
 * Object types of the Linear stand-in: a STRICT SUBSET of Linear's published schema
 * (shared/reference/linear/schema.graphql): same names, same argument and return types with
 * the same nullability and list wrappers, fewer fields. test/conformance/linear.test.ts checks
 * this against the published file. Add a field here only as Linear spells it there.
 */

export const entitiesSdl = /* GraphQL */ `
scalar DateTime
scalar DateTimeOrDuration
scalar JSONObject

interface Node { id: ID! }

enum PaginationOrderBy { createdAt updatedAt }
enum ProjectStatusType { backlog canceled completed paused planned started }

type Organization implements Node {
  id: ID!
  name: String!
  urlKey: String!
  createdAt: DateTime!
  updatedAt: DateTime!
  archivedAt: DateTime
  logoUrl: String
  userCount: Int!
  createdIssueCount: Int!
  teams(${list('TeamFilter')}): TeamConnection!
  users(after: String, before: String, first: Int, includeArchived: Boolean, includeDisabled: Boolean, last: Int, orderBy: PaginationOrderBy): UserConnection!
  labels(${list('IssueLabelFilter')}): IssueLabelConnection!
  projectStatuses: [ProjectStatus!]!
}

type User implements Node {
  id: ID!
  name: String!
  displayName: String!
  email: String!
  admin: Boolean!
  app: Boolean!
  active: Boolean!
  guest: Boolean!
  owner: Boolean!
  isMe: Boolean!
  avatarUrl: String
  url: String!
  createdAt: DateTime!
  updatedAt: DateTime!
  archivedAt: DateTime
  organization: Organization!
  teams(${list('TeamFilter')}): TeamConnection!
  assignedIssues(${list('IssueFilter')}): IssueConnection!
  createdIssues(${list('IssueFilter')}): IssueConnection!
}

type Team implements Node {
  id: ID!
  key: String!
  name: String!
  displayName: String!
  description: String
  color: String
  icon: String
  private: Boolean!
  timezone: String!
  triageEnabled: Boolean!
  createdAt: DateTime!
  updatedAt: DateTime!
  archivedAt: DateTime
  issueCount(includeArchived: Boolean = false): Int!
  organization: Organization!
  defaultIssueState: WorkflowState
  triageIssueState: WorkflowState
  states(${list('WorkflowStateFilter')}): WorkflowStateConnection!
  labels(${list('IssueLabelFilter')}): IssueLabelConnection!
  projects(after: String, before: String, filter: ProjectFilter, first: Int, includeArchived: Boolean, includeSubTeams: Boolean = false, last: Int, orderBy: PaginationOrderBy): ProjectConnection!
  issues(after: String, before: String, filter: IssueFilter, first: Int, includeArchived: Boolean, includeSubTeams: Boolean = false, last: Int, orderBy: PaginationOrderBy): IssueConnection!
  members(after: String, before: String, first: Int, includeArchived: Boolean, includeDisabled: Boolean, last: Int, orderBy: PaginationOrderBy): UserConnection!
  webhooks(${list()}): WebhookConnection!
}

type WorkflowState implements Node {
  id: ID!
  name: String!
  type: String!
  color: String!
  position: Float!
  description: String
  createdAt: DateTime!
  updatedAt: DateTime!
  archivedAt: DateTime
  team: Team!
  issues(${list('IssueFilter')}): IssueConnection!
}

type IssueLabel implements Node {
  id: ID!
  name: String!
  color: String!
  description: String
  isGroup: Boolean!
  createdAt: DateTime!
  updatedAt: DateTime!
  archivedAt: DateTime
  parent: IssueLabel
  team: Team
  children(${list('IssueLabelFilter')}): IssueLabelConnection!
  issues(${list('IssueFilter')}): IssueConnection!
}

type ProjectStatus implements Node {
  id: ID!
  name: String!
  type: ProjectStatusType!
  color: String!
  position: Float!
  description: String
  indefinite: Boolean!
  createdAt: DateTime!
  updatedAt: DateTime!
  archivedAt: DateTime
}

type Project implements Node {
  id: ID!
  name: String!
  slugId: String!
  description: String!
  color: String!
  icon: String
  url: String!
  priority: Int!
  priorityLabel: String!
  createdAt: DateTime!
  updatedAt: DateTime!
  archivedAt: DateTime
  trashed: Boolean
  startedAt: DateTime
  completedAt: DateTime
  canceledAt: DateTime
  status: ProjectStatus!
  lead: User
  teams(${list('TeamFilter')}): TeamConnection!
  issues(${list('IssueFilter')}): IssueConnection!
}
`;

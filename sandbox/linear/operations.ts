/**
 * Every GraphQL operation the Linear stand-in's tests send, in one place, so the conformance
 * suite (test/conformance/linear.test.ts) can validate each against Linear's published schema.
 * Tests MUST take their documents from here. Shapes follow API-NOTES §1.8, §2.2–2.3.
 */
export const OPS = {
  Viewer: /* GraphQL */ `query Viewer { viewer { id name email admin app isMe organization { id name urlKey } } }`,
  Organization: /* GraphQL */ `query Organization { organization { id name urlKey userCount teams { nodes { id key name } } } }`,
  /** A field Linear has but the stand-in does not: validation fails in the stand-in only. */
  ViewerTimezone: /* GraphQL */ `query ViewerTimezone { viewer { id timezone } }`,
  Teams: /* GraphQL */ `query Teams($first: Int, $after: String) {
  teams(first: $first, after: $after) { nodes { id key name } pageInfo { hasNextPage endCursor } }
}`,
  Team: /* GraphQL */ `query Team($id: String!) {
  team(id: $id) {
    id key name triageEnabled
    states { nodes { id name type position } }
    labels { nodes { id name } }
    projects { nodes { id name } }
    triageIssueState { id type }
  }
}`,
  FirstStartedState: /* GraphQL */ `query FirstStartedState($id: String!) {
  team(id: $id) { states(filter: { type: { eq: "started" } }) { nodes { id name position } } }
}`,
  States: /* GraphQL */ `query States($teamId: ID!) {
  workflowStates(filter: { team: { id: { eq: $teamId } } }) {
    nodes { id name type position color team { id } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  Projects: /* GraphQL */ `query Projects($after: String) {
  projects(first: 50, after: $after) {
    nodes { id name slugId url status { id name type } teams { nodes { id } } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  Labels: /* GraphQL */ `query Labels($after: String) {
  issueLabels(first: 100, after: $after) {
    nodes { id name color isGroup parent { id } team { id } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  // What the Rules form and its dry-run read (issue 10): each team connection paged.
  TeamStatesPage: /* GraphQL */ `query TeamStatesPage($id: String!, $first: Int, $after: String) {
  team(id: $id) { states(first: $first, after: $after) { nodes { id name type position } pageInfo { hasNextPage endCursor } } }
}`,
  TeamProjectsPage: /* GraphQL */ `query TeamProjectsPage($id: String!, $first: Int, $after: String) {
  team(id: $id) { projects(first: $first, after: $after) { nodes { id name slugId status { type } } pageInfo { hasNextPage endCursor } } }
}`,
  TeamLabelsPage: /* GraphQL */ `query TeamLabelsPage($id: String!, $first: Int, $after: String) {
  team(id: $id) { labels(first: $first, after: $after) { nodes { id name color isGroup parent { id } team { id } } pageInfo { hasNextPage endCursor } } }
}`,
  WorkspaceLabelsPage: /* GraphQL */ `query WorkspaceLabelsPage($first: Int, $after: String) {
  organization { labels(first: $first, after: $after) { nodes { id name color isGroup parent { id } team { id } } pageInfo { hasNextPage endCursor } } }
}`,
  WorkspaceLabelsByFilter: /* GraphQL */ `query WorkspaceLabelsByFilter($first: Int, $after: String) {
  issueLabels(first: $first, after: $after, filter: { team: { null: true } }) { nodes { id name team { id } } pageInfo { hasNextPage endCursor } }
}`,
  TeamRecentIssues: /* GraphQL */ `query TeamRecentIssues($id: String!) {
  team(id: $id) {
    issues(first: 50, orderBy: updatedAt) {
      nodes { id identifier title priority updatedAt state { id type } project { id } labels { nodes { id } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`,
  IssuesByIds: /* GraphQL */ `query IssuesByIds($ids: [ID!]!) {
  issues(first: 50, filter: { id: { in: $ids } }) { nodes { id identifier priority updatedAt state { type } project { id } labels { nodes { id } } } }
}`,
  IssuesUpdatedSince: /* GraphQL */ `query IssuesUpdatedSince($teamId: ID!, $since: DateTimeOrDuration!, $after: String) {
  issues(first: 50, after: $after, orderBy: updatedAt, filter: { team: { id: { eq: $teamId } }, updatedAt: { gt: $since } }) {
    nodes { id identifier updatedAt } pageInfo { hasNextPage endCursor }
  }
}`,
  Issue: /* GraphQL */ `query Issue($id: String!) {
  issue(id: $id) {
    id identifier number title description priority priorityLabel url
    createdAt updatedAt archivedAt
    state { id name type } team { id key } project { id name }
    labels { nodes { id name } } assignee { id name }
  }
}`,
  IssuesPage: /* GraphQL */ `query IssuesPage($first: Int, $after: String, $last: Int, $before: String, $filter: IssueFilter, $orderBy: PaginationOrderBy, $includeArchived: Boolean) {
  issues(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy, includeArchived: $includeArchived) {
    nodes { id identifier title priority updatedAt state { type } team { key } labels { nodes { name } } project { name } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`,
  IssueEdges: /* GraphQL */ `query IssueEdges($first: Int, $after: String) {
  issues(first: $first, after: $after) { edges { cursor node { id identifier } } pageInfo { hasNextPage endCursor } }
}`,
  TeamIssues: /* GraphQL */ `query TeamIssues($id: String!, $after: String) {
  team(id: $id) { issues(after: $after) { nodes { id identifier } pageInfo { hasNextPage endCursor } } }
}`,
  Comments: /* GraphQL */ `query Comments($issueId: ID!) {
  comments(filter: { issue: { id: { eq: $issueId } } }) { nodes { id body url user { id name } issue { id identifier } } }
}`,
  Webhooks: /* GraphQL */ `query Webhooks {
  webhooks { nodes { id url label enabled resourceTypes allPublicTeams team { id key } creator { id } } }
}`,
  RateLimitStatus: /* GraphQL */ `query RateLimitStatus {
  rateLimitStatus { identifier kind limits { type allowedAmount remainingAmount requestedAmount reset period } }
}`,
  IssueCreate: /* GraphQL */ `mutation IssueCreate($input: IssueCreateInput!) {
  issueCreate(input: $input) {
    success lastSyncId
    issue { id identifier number title priority priorityLabel url state { id name type } labels { nodes { id name } } project { id } creator { id } }
  }
}`,
  Move: /* GraphQL */ `mutation Move($id: String!, $stateId: String!) {
  issueUpdate(id: $id, input: { stateId: $stateId }) { success issue { id identifier state { id name type } } }
}`,
  IssueUpdate: /* GraphQL */ `mutation IssueUpdate($id: String!, $input: IssueUpdateInput!) {
  issueUpdate(id: $id, input: $input) { success lastSyncId issue { id priority title labelIds state { id type } project { id } } }
}`,
  IssueDelete: /* GraphQL */ `mutation IssueDelete($id: String!) { issueDelete(id: $id) { success lastSyncId entity { id archivedAt trashed } } }`,
  Comment: /* GraphQL */ `mutation Comment($issueId: String!, $body: String!) {
  commentCreate(input: { issueId: $issueId, body: $body }) { success comment { id body url createdAt user { id } } }
}`,
  Reply: /* GraphQL */ `mutation Reply($issueId: String!, $body: String!, $parentId: String!) {
  commentCreate(input: { issueId: $issueId, body: $body, parentId: $parentId }) { success comment { id parent { id } } }
}`,
  // What the two-way sync writes and reads (issue 11).
  CommentCreate: /* GraphQL */ `mutation CommentCreate($input: CommentCreateInput!) {
  commentCreate(input: $input) {
    success lastSyncId
    comment { id body url createdAt updatedAt editedAt user { id name app } botActor { type name userDisplayName avatarUrl } issue { id identifier } }
  }
}`,
  CommentUpdate: /* GraphQL */ `mutation CommentUpdate($id: String!, $input: CommentUpdateInput!) {
  commentUpdate(id: $id, input: $input) { success lastSyncId comment { id body editedAt updatedAt } }
}`,
  CommentDelete: /* GraphQL */ `mutation CommentDelete($id: String!) { commentDelete(id: $id) { success lastSyncId entityId } }`,
  CommentById: /* GraphQL */ `query CommentById($id: String!) { comment(id: $id) { id body createdAt user { id } botActor { userDisplayName } issue { id } } }`,
  AttachmentCreate: /* GraphQL */ `mutation AttachmentCreate($input: AttachmentCreateInput!) {
  attachmentCreate(input: $input) { success lastSyncId attachment { id url title subtitle metadata createdAt updatedAt creator { id } issue { id identifier } } }
}`,
  AttachmentLinkURL: /* GraphQL */ `mutation AttachmentLinkURL($issueId: String!, $url: String!, $title: String) {
  attachmentLinkURL(issueId: $issueId, url: $url, title: $title) { success attachment { id url title issue { id } } }
}`,
  IssueAttachments: /* GraphQL */ `query IssueAttachments($id: String!, $url: String) {
  issue(id: $id) { id attachments(filter: { url: { eq: $url } }) { nodes { id url title subtitle metadata } pageInfo { hasNextPage endCursor } } }
}`,
  AttachmentById: /* GraphQL */ `query AttachmentById($id: String!) { attachment(id: $id) { id url title issue { id } } }`,
  IssueMove: /* GraphQL */ `mutation IssueMove($id: String!, $teamId: String!, $stateId: String) {
  issueUpdate(id: $id, input: { teamId: $teamId, stateId: $stateId }) {
    success lastSyncId
    issue { id identifier number previousIdentifiers team { id key } state { id name type } labels { nodes { id name } } }
  }
}`,
  IssueIdentity: /* GraphQL */ `query IssueIdentity($id: String!) { issue(id: $id) { id identifier previousIdentifiers team { key } } }`,
  Hook: /* GraphQL */ `mutation Hook($url: String!, $teamId: String!, $secret: String, $resourceTypes: [String!]!) {
  webhookCreate(input: { url: $url, teamId: $teamId, resourceTypes: $resourceTypes, label: "integration-hub", secret: $secret }) {
    success webhook { id enabled secret url resourceTypes team { id } }
  }
}`,
  HookAllTeams: /* GraphQL */ `mutation HookAllTeams($url: String!) {
  webhookCreate(input: { url: $url, allPublicTeams: true, resourceTypes: ["Issue", "Comment"] }) { success webhook { id allPublicTeams secret } }
}`,
  WebhookUpdate: /* GraphQL */ `mutation WebhookUpdate($id: String!, $input: WebhookUpdateInput!) {
  webhookUpdate(id: $id, input: $input) { success webhook { id enabled url resourceTypes } }
}`,
  Unhook: /* GraphQL */ `mutation Unhook($id: String!) { webhookDelete(id: $id) { success entityId } }`,
  RotateSecret: /* GraphQL */ `mutation RotateSecret($id: String!) { webhookRotateSecret(id: $id) { success secret } }`,
  // Upstream removals a rule's references may suffer (issue 10), and reading them back.
  LabelDelete: /* GraphQL */ `mutation LabelDelete($id: String!) { issueLabelDelete(id: $id) { success lastSyncId entityId } }`,
  StateArchive: /* GraphQL */ `mutation StateArchive($id: String!) {
  workflowStateArchive(id: $id) { success lastSyncId entity { id name archivedAt } }
}`,
  ProjectDelete: /* GraphQL */ `mutation ProjectDelete($id: String!) { projectDelete(id: $id) { success lastSyncId entity { id archivedAt trashed } } }`,
  TeamDelete: /* GraphQL */ `mutation TeamDelete($id: String!) { teamDelete(id: $id) { success lastSyncId entityId } }`,
  TeamById: /* GraphQL */ `query TeamById($id: String!) { team(id: $id) { id key archivedAt } }`,
  WorkflowStateById: /* GraphQL */ `query WorkflowStateById($id: String!) { workflowState(id: $id) { id name type archivedAt } }`,
  ProjectById: /* GraphQL */ `query ProjectById($id: String!) { project(id: $id) { id name archivedAt trashed } }`,
  IssueLabelById: /* GraphQL */ `query IssueLabelById($id: String!) { issueLabel(id: $id) { id name archivedAt } }`,
  ArchivedAware: /* GraphQL */ `query ArchivedAware($teamId: String!, $includeArchived: Boolean) {
  teams(first: 50, includeArchived: $includeArchived) { nodes { id archivedAt } }
  workflowStates(first: 250, includeArchived: $includeArchived) { nodes { id archivedAt } }
  issueLabels(first: 250, includeArchived: $includeArchived) { nodes { id archivedAt } }
  projects(first: 50, includeArchived: $includeArchived) { nodes { id archivedAt } }
  organization { labels(first: 50, includeArchived: $includeArchived) { nodes { id archivedAt } } }
  team(id: $teamId) {
    states(first: 50, includeArchived: $includeArchived) { nodes { id archivedAt } }
    labels(first: 50, includeArchived: $includeArchived) { nodes { id archivedAt } }
    projects(first: 50, includeArchived: $includeArchived) { nodes { id archivedAt } }
  }
}`,
} as const;

export type OperationName = keyof typeof OPS;

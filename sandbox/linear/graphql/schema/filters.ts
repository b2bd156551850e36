/**
 * Filter inputs (API-NOTES §2.2, FILTER page): each is a subset of the published input type's
 * fields; graphql/filters.ts evaluates them. Keep to fields the hub and the tests use.
 */
export const filtersSdl = /* GraphQL */ `
input IDComparator { eq: ID neq: ID in: [ID!] nin: [ID!] }
input IssueIDComparator { eq: ID neq: ID in: [ID!] nin: [ID!] }
input BooleanComparator { eq: Boolean neq: Boolean }
input StringComparator {
  eq: String neq: String in: [String!] nin: [String!]
  eqIgnoreCase: String contains: String containsIgnoreCase: String startsWith: String endsWith: String
}
input NullableStringComparator {
  eq: String neq: String in: [String!] nin: [String!] null: Boolean
  eqIgnoreCase: String contains: String containsIgnoreCase: String startsWith: String endsWith: String
}
input NumberComparator { eq: Float neq: Float in: [Float!] nin: [Float!] gt: Float gte: Float lt: Float lte: Float }
input NullableNumberComparator {
  eq: Float neq: Float in: [Float!] nin: [Float!] gt: Float gte: Float lt: Float lte: Float null: Boolean
}
input DateComparator {
  eq: DateTimeOrDuration neq: DateTimeOrDuration gt: DateTimeOrDuration gte: DateTimeOrDuration
  lt: DateTimeOrDuration lte: DateTimeOrDuration
}
input NullableDateComparator {
  eq: DateTimeOrDuration neq: DateTimeOrDuration gt: DateTimeOrDuration gte: DateTimeOrDuration
  lt: DateTimeOrDuration lte: DateTimeOrDuration null: Boolean
}

input TeamFilter {
  id: IDComparator key: StringComparator name: StringComparator
  createdAt: DateComparator updatedAt: DateComparator
  and: [TeamFilter!] or: [TeamFilter!]
}
input NullableTeamFilter {
  id: IDComparator key: StringComparator name: StringComparator null: Boolean
  and: [NullableTeamFilter!] or: [NullableTeamFilter!]
}
input WorkflowStateFilter {
  id: IDComparator name: StringComparator type: StringComparator position: NumberComparator team: TeamFilter
  createdAt: DateComparator updatedAt: DateComparator
  and: [WorkflowStateFilter!] or: [WorkflowStateFilter!]
}
input IssueLabelFilter {
  id: IDComparator name: StringComparator isGroup: BooleanComparator team: NullableTeamFilter parent: IssueLabelFilter
  createdAt: DateComparator updatedAt: DateComparator
  and: [IssueLabelFilter!] or: [IssueLabelFilter!]
}
input IssueLabelCollectionFilter {
  id: IDComparator name: StringComparator some: IssueLabelFilter every: IssueLabelFilter null: Boolean length: NumberComparator
  and: [IssueLabelCollectionFilter!] or: [IssueLabelCollectionFilter!]
}
input ProjectFilter {
  id: IDComparator name: StringComparator slugId: StringComparator
  createdAt: DateComparator updatedAt: DateComparator
  and: [ProjectFilter!] or: [ProjectFilter!]
}
input NullableProjectFilter {
  id: IDComparator name: StringComparator slugId: StringComparator null: Boolean
  and: [NullableProjectFilter!] or: [NullableProjectFilter!]
}
input NullableUserFilter {
  id: IDComparator email: StringComparator name: StringComparator isMe: BooleanComparator null: Boolean
  and: [NullableUserFilter!] or: [NullableUserFilter!]
}
input IssueFilter {
  id: IssueIDComparator number: NumberComparator title: StringComparator description: NullableStringComparator
  priority: NullableNumberComparator
  team: TeamFilter state: WorkflowStateFilter project: NullableProjectFilter labels: IssueLabelCollectionFilter
  assignee: NullableUserFilter creator: NullableUserFilter
  createdAt: DateComparator updatedAt: DateComparator completedAt: NullableDateComparator canceledAt: NullableDateComparator
  and: [IssueFilter!] or: [IssueFilter!]
}
input NullableIssueFilter {
  id: IssueIDComparator number: NumberComparator team: TeamFilter null: Boolean
  and: [NullableIssueFilter!] or: [NullableIssueFilter!]
}
input AttachmentFilter {
  id: IDComparator url: StringComparator title: StringComparator subtitle: NullableStringComparator creator: NullableUserFilter
  createdAt: DateComparator updatedAt: DateComparator
  and: [AttachmentFilter!] or: [AttachmentFilter!]
}
input CommentFilter {
  id: IDComparator body: StringComparator issue: NullableIssueFilter
  createdAt: DateComparator updatedAt: DateComparator
  and: [CommentFilter!] or: [CommentFilter!]
}
`;

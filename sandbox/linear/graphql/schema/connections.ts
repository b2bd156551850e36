/** Relay connections (API-NOTES §2.4): `edges { node cursor }`, `nodes`, `pageInfo`. */
const CONNECTED = ['Team', 'User', 'WorkflowState', 'IssueLabel', 'Project', 'Issue', 'Comment', 'Attachment', 'Webhook'];

export const connectionsSdl = /* GraphQL */ `
type PageInfo {
  startCursor: String
  endCursor: String
  hasPreviousPage: Boolean!
  hasNextPage: Boolean!
}
${CONNECTED.map(
  (t) => `
type ${t}Connection { edges: [${t}Edge!]! nodes: [${t}!]! pageInfo: PageInfo! }
type ${t}Edge { node: ${t}! cursor: String! }`,
).join('\n')}
`;

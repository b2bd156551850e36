import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/databases.js';
import { createRule, ENG_STATE, ENG_TEAM } from '../rules/api-fixture.js';
import { actOnIncidentPage, CHECKOUT, createTeamWebhook, linearGraphql, pagerdutyRest, startConnectedHub, until, type ConnectedHub } from '../webhooks/fixture.js';

/**
 * The documented loop end to end over the stand-ins (issue 11), acting as people do through the
 * vendors' own APIs and pages: an Urgent issue pages, Acknowledge moves the issue, a note becomes
 * a comment and a comment a note, Done resolves the incident; a Low issue pages nothing. Every
 * effect happens once, and the hub's own changes come back only as echoes.
 */

interface PdIncident {
  id: string;
  incident_number: number;
  title: string;
  status: string;
  urgency: string;
  incident_key: string;
  service: { id: string };
}

describe.each(testDialects())('two-way sync on %s', (dialect) => {
  let env: ConnectedHub;
  const pd = (method: string, path: string, body?: unknown) => pagerdutyRest(env.sandbox.pagerdutyUrl, method, path, body);
  const gql = <T = any>(query: string, variables: Record<string, unknown> = {}) => linearGraphql<T>(env.sandbox.linearUrl, query, variables);

  async function createIssue(title: string, priority: number, state = 'Todo'): Promise<{ id: string; identifier: string }> {
    const created = await gql<{ issueCreate: { issue: { id: string; identifier: string } } }>(
      'mutation($input: IssueCreateInput!) { issueCreate(input: $input) { issue { id identifier } } }',
      { input: { teamId: ENG_TEAM, title, priority, stateId: ENG_STATE(state) } },
    );
    expect(created.body.errors, JSON.stringify(created.body.errors)).toBeUndefined();
    return created.body.data!.issueCreate.issue;
  }
  const incidentsTitled = async (title: string) => {
    const listed = await pd('GET', '/incidents?limit=100&statuses[]=triggered&statuses[]=acknowledged&statuses[]=resolved');
    return (listed.body.incidents as PdIncident[]).filter((incident) => incident.title.includes(title));
  };
  const issueState = async (id: string) => (await gql<{ issue: { state: { name: string } } }>('query($id: String!) { issue(id: $id) { state { name } } }', { id })).body.data?.issue.state.name;
  const comments = async (id: string) =>
    (await gql<{ issue: { comments: { nodes: Array<{ id: string; body: string }> } } }>('query($id: String!) { issue(id: $id) { comments { nodes { id body } } } }', { id })).body.data?.issue.comments.nodes ?? [];
  const notes = async (incidentId: string) => ((await pd('GET', `/incidents/${incidentId}/notes`)).body.notes ?? []) as Array<{ id: string; content: string }>;

  beforeAll(async () => {
    env = await startConnectedHub(dialect);
    await createTeamWebhook(env.org.admin, ENG_TEAM);
    await createRule(env.org.admin, {
      name: 'Urgent engineering',
      filters: { teamId: ENG_TEAM, priorities: [1, 2], statusTypes: ['unstarted', 'started'] },
      routing: { serviceId: CHECKOUT.id, urgency: 'from_priority' },
    });
    // The rule's PagerDuty subscription exists before anything is expected of it.
    await until('the Checkout API subscription', async () => {
      const subscriptions = (await pd('GET', '/webhook_subscriptions')).body.webhook_subscriptions as Array<{ filter: { id: string } }>;
      return subscriptions.some((subscription) => subscription.filter.id === CHECKOUT.id);
    }, 10_000);
  }, 60_000);
  afterAll(async () => env?.close());

  it('an Urgent issue opens one incident; acknowledge, notes, comments and Done flow both ways, once each', async () => {
    const issue = await createIssue('Checkout is down', 1);
    const [incident] = await until('the incident', async () => {
      const found = await incidentsTitled(`[${issue.identifier}] Checkout is down`);
      return found.length > 0 ? found : undefined;
    }, 15_000);
    expect(incident).toMatchObject({ status: 'triggered', urgency: 'high', service: { id: CHECKOUT.id } });

    // A person acknowledges it on PagerDuty's page → the issue moves to the Acknowledged Status.
    await actOnIncidentPage(env.sandbox.pagerdutyUrl, incident!.id, 'acknowledge');
    await until('the issue In Progress', async () => (await issueState(issue.id)) === 'In Progress', 15_000);

    // A note → a comment with its author; a comment → a note.
    expect((await pd('POST', `/incidents/${incident!.id}/notes`, { note: { content: 'Rolling back the deploy.' } })).status).toBe(200);
    await until('the note as a comment', async () => (await comments(issue.id)).some((comment) => comment.body.includes('Rolling back the deploy.')), 15_000);
    const posted = await gql('mutation($input: CommentCreateInput!) { commentCreate(input: $input) { success } }', { input: { issueId: issue.id, body: 'Customers confirm it is back.' } });
    expect(posted.body.errors).toBeUndefined();
    await until('the comment as a note', async () => (await notes(incident!.id)).some((note) => note.content.includes('in Linear: Customers confirm it is back.')), 15_000);

    // Done → the incident resolves.
    const done = await gql('mutation($id: String!, $input: IssueUpdateInput!) { issueUpdate(id: $id, input: $input) { success } }', { id: issue.id, input: { stateId: ENG_STATE('Done') } });
    expect(done.body.errors).toBeUndefined();
    await until('the incident resolved', async () => (await incidentsTitled(issue.identifier))[0]?.status === 'resolved', 15_000);

    // Let every echo arrive, then count: one incident, one mirrored comment, one mirrored note.
    await until('the queue to settle', async () => {
      const waiting = await env.hub.database.db.selectFrom('jobs').select('id').where('status', 'in', ['queued', 'running']).execute();
      return waiting.length === 0;
    }, 15_000);
    expect(await incidentsTitled(issue.identifier)).toHaveLength(1);
    expect((await comments(issue.id)).filter((comment) => comment.body.includes('Rolling back the deploy.'))).toHaveLength(1);
    expect((await notes(incident!.id)).filter((note) => note.content.includes('Customers confirm it is back.'))).toHaveLength(1);
    expect(await issueState(issue.id)).toBe('Done');
    const ledger = await env.hub.database.db.selectFrom('sync_ledger').select(['entry', 'summary']).orderBy('at').execute();
    expect(ledger.some((line) => line.entry === 'echo')).toBe(true);
    const dead = await env.hub.database.db.selectFrom('jobs').select(['kind', 'last_error']).where('status', '=', 'dead').execute();
    expect(dead).toEqual([]);
  });

  it('a Low issue pages nothing', async () => {
    const issue = await createIssue('Typo on the pricing page', 4);
    await until('the delivery processed', async () => {
      const row = await env.hub.database.db.selectFrom('webhook_deliveries').select(['outcome', 'outcome_detail']).where('entity_id', '=', issue.id).executeTakeFirst();
      return row?.outcome === 'processed' ? row : undefined;
    }, 15_000);
    expect(await incidentsTitled(issue.identifier)).toEqual([]);
  });
});

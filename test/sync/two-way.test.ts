import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '../helpers/databases.js';
import { seedId } from '../../sandbox/linear/seed.js';
import { PROCESS_DELIVERY } from '../../src/webhooks/process-delivery.js';
import { createRule, ENG_STATE, ENG_TEAM, SUP_TEAM } from '../rules/api-fixture.js';
import { actOnIncidentPage, CHECKOUT, createTeamWebhook, linearGraphql, pagerdutyRest, startConnectedHub, until, type ConnectedHub } from '../webhooks/fixture.js';

/**
 * The documented loop end to end over the stand-ins (issue 11), acting as people do through the
 * vendors' own APIs and pages: an Urgent issue pages, Acknowledge moves the issue, a note becomes
 * a comment and a comment a note, Done resolves the incident; a Low issue pages nothing. Every
 * effect happens once, and the hub's own changes come back only as echoes.
 */

const METRICS_TOKEN = 'sync-metrics-scrape-token-0123456789abcdef';

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

  async function createIssue(title: string, priority: number, state = 'Todo', team: 'ENG' | 'SUP' = 'ENG'): Promise<{ id: string; identifier: string }> {
    const created = await gql<{ issueCreate: { issue: { id: string; identifier: string } } }>(
      'mutation($input: IssueCreateInput!) { issueCreate(input: $input) { issue { id identifier } } }',
      { input: { teamId: team === 'ENG' ? ENG_TEAM : SUP_TEAM, title, priority, stateId: seedId('state', 'acme', team, state) } },
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
    env = await startConnectedHub(dialect, { METRICS_TOKEN });
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
      const waiting = await env.hub.database.db.selectFrom('jobs').select('id').where('status', 'in', ['queued', 'running']).where('unique_key', 'is', null).execute();
      return waiting.length === 0;
    }, 15_000);
    expect(await incidentsTitled(issue.identifier)).toHaveLength(1);
    expect((await comments(issue.id)).filter((comment) => comment.body.includes('Rolling back the deploy.'))).toHaveLength(1);
    expect((await notes(incident!.id)).filter((note) => note.content.includes('Customers confirm it is back.'))).toHaveLength(1);
    expect(await issueState(issue.id)).toBe('Done');
    const attachments = await gql<{ issue: { attachments: { nodes: Array<{ url: string }> } } }>('query($id: String!) { issue(id: $id) { attachments { nodes { url } } } }', { id: issue.id });
    expect(attachments.body.data?.issue.attachments.nodes.filter((attachment) => attachment.url.includes(incident!.id))).toHaveLength(1);
    // Activity rows about the pair (the issue's and the incident's deliveries) link to its page.
    const link = await env.hub.database.db.selectFrom('sync_links').select('id').where('issue_id', '=', issue.id).executeTakeFirstOrThrow();
    const listed = await env.org.admin.get<{ deliveries: Array<{ entity: { id: string }; linkId: string | null }> }>('/api/activity/deliveries?limit=100');
    const aboutPair = listed.body.deliveries.filter((delivery) => delivery.entity.id === issue.id || delivery.entity.id === incident!.id);
    expect(aboutPair.length).toBeGreaterThan(2);
    expect(aboutPair.every((delivery) => delivery.linkId === link.id)).toBe(true);
    const ledger = await env.hub.database.db.selectFrom('sync_ledger').select(['entry', 'summary']).orderBy('at').execute();
    expect(ledger.some((line) => line.entry === 'echo')).toBe(true);
    const dead = await env.hub.database.db.selectFrom('jobs').select(['kind', 'last_error']).where('status', '=', 'dead').execute();
    expect(dead).toEqual([]);

    // What an operator scrapes: the actions each way, the echoes dropped, links by status, latency.
    const scraped = await (await fetch(`${env.hub.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const metric = (name: string, labels: string) => {
      const line = scraped.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && candidate.includes(labels));
      return line === undefined ? undefined : Number(line.split(' ').at(-1));
    };
    expect(metric('hub_sync_actions_total', 'direction="issue_to_incident",kind="incident",outcome="done"')).toBe(1);
    expect(metric('hub_sync_actions_total', 'direction="incident_to_issue",kind="issue_state",outcome="done"')).toBe(1);
    expect(metric('hub_sync_actions_total', 'direction="issue_to_incident",kind="note",outcome="done"')).toBe(1);
    expect(metric('hub_sync_actions_total', 'direction="incident_to_issue",kind="comment",outcome="done"')).toBe(1);
    expect(metric('hub_sync_actions_total', 'direction="issue_to_incident",kind="incident_status",outcome="done"')).toBe(1);
    expect(metric('hub_sync_echoes_dropped_total', 'direction=')).toBeGreaterThanOrEqual(1);
    expect(metric('hub_sync_links', 'status="closed"')).toBe(1);
    expect(metric('hub_sync_first_action_seconds_count', 'direction="issue_to_incident"')).toBeGreaterThanOrEqual(1);
  });

  it('a Low issue pages nothing', async () => {
    const issue = await createIssue('Typo on the pricing page', 4);
    await until('the delivery processed', async () => {
      const row = await env.hub.database.db.selectFrom('webhook_deliveries').select(['outcome', 'outcome_detail']).where('entity_id', '=', issue.id).executeTakeFirst();
      return row?.outcome === 'processed' ? row : undefined;
    }, 15_000);
    expect(await incidentsTitled(issue.identifier)).toEqual([]);
  });

  it('the incident the hub opens is not read back when its incident.triggered comes in: one call per page in PagerDuty\'s bucket', async () => {
    const db = env.hub.database.db;
    const issue = await createIssue('Search results are stale', 2);
    const [incident] = await until('the incident', async () => {
      const found = await incidentsTitled(`[${issue.identifier}]`);
      return found.length > 0 ? found : undefined;
    }, 15_000);
    const triggered = await until('its incident.triggered processed', async () => {
      const row = await db.selectFrom('webhook_deliveries').select(['id', 'outcome', 'outcome_detail']).where('event_type', '=', 'incident.triggered').where('entity_id', '=', incident!.id).executeTakeFirst();
      return row?.outcome === 'processed' ? row : undefined;
    }, 15_000);
    expect(triggered.outcome_detail).toMatch(/shows it triggered already|not linked/);
    const hubCalls = async () => {
      const response = await fetch(`${env.sandbox.pagerdutyUrl}/_sandbox/requests?${new URLSearchParams({ pathPrefix: '/incidents' })}`);
      const { requests } = (await response.json()) as { requests: Array<{ method: string; path: string; headers: Record<string, string> }> };
      return requests.filter((request) => request.path.startsWith(`/incidents/${incident!.id}`) || request.method === 'POST').filter((request) => (request.headers.authorization ?? '').startsWith('Bearer ')).map((request) => `${request.method} ${request.path}`);
    };
    expect((await hubCalls()).filter((call) => call.includes(incident!.id))).toEqual([]);
    // The same event run again in the incident's own lane (as when it was queued before the link
    // named the incident) is not handed over for a Re-sync either: nothing would change.
    const resyncsBefore = await db.selectFrom('jobs').select('id').where('kind', '=', 'sync.resync').execute();
    const jobId = await env.hub.hub.deps.queue.enqueueNow(PROCESS_DELIVERY, { deliveryId: triggered.id }, { organisationId: env.org.organisationId, lane: `pagerduty:incident:${incident!.id}` });
    await until('the late job', async () => (await db.selectFrom('jobs').select('status').where('id', '=', jobId).executeTakeFirst())?.status === 'succeeded', 15_000);
    const late = await db.selectFrom('webhook_deliveries').select('outcome_detail').where('id', '=', triggered.id).executeTakeFirstOrThrow();
    expect(late.outcome_detail).toContain('shows it triggered already');
    expect(await db.selectFrom('jobs').select('id').where('kind', '=', 'sync.resync').execute()).toHaveLength(resyncsBefore.length);
    expect((await hubCalls()).filter((call) => call.includes(incident!.id))).toEqual([]);
  });

  it('a Resolved Status the rule itself matches does not page again: the move the hub made is an echo', async () => {
    // Support resolves into "In Progress" (a Started state its rule matches).
    await createTeamWebhook(env.org.admin, SUP_TEAM);
    await createRule(env.org.admin, {
      name: 'Support escalations',
      filters: { teamId: SUP_TEAM, priorities: [1], statusTypes: ['unstarted', 'started'] },
      routing: { serviceId: CHECKOUT.id, urgency: 'high' },
      sync: { resolvedStateId: seedId('state', 'acme', 'SUP', 'In Progress'), incidentLinkAs: 'comment' },
    });
    const issue = await createIssue('Customer cannot log in', 1, 'Todo', 'SUP');
    const [incident] = await until('the incident', async () => {
      const found = await incidentsTitled(`[${issue.identifier}]`);
      return found.length > 0 ? found : undefined;
    }, 15_000);
    await actOnIncidentPage(env.sandbox.pagerdutyUrl, incident!.id, 'resolve');
    await until('the issue In Progress', async () => (await issueState(issue.id)) === 'In Progress', 15_000);
    await until('the queue to settle', async () => {
      const waiting = await env.hub.database.db.selectFrom('jobs').select('id').where('status', 'in', ['queued', 'running']).where('unique_key', 'is', null).execute();
      return waiting.length === 0;
    }, 15_000);
    expect(await incidentsTitled(`[${issue.identifier}]`)).toHaveLength(1);
    // Its rule posts the incident's link as a comment: once, and not mirrored back as a note.
    const linkComments = (await comments(issue.id)).filter((comment) => comment.body.includes(`Paged in PagerDuty: [PagerDuty incident #${incident!.incident_number}]`));
    expect(linkComments).toHaveLength(1);
    expect((await notes(incident!.id)).filter((note) => note.content.includes('Paged in PagerDuty'))).toEqual([]);
  });

  it('a rule that needs attention pages nothing: the issue is listed under Activity → Skipped with the reason', async () => {
    const db = env.hub.database.db;
    const rule = await db.selectFrom('rules').select(['id']).where('name', '=', 'Urgent engineering').executeTakeFirstOrThrow();
    // As the reference check marks it when the service is deleted upstream (test/rules/reference-check.test.ts).
    const missing = JSON.stringify([{ kind: 'service', id: CHECKOUT.id, name: CHECKOUT.name }]);
    await db.updateTable('rules').set({ missing_references: missing }).where('id', '=', rule.id).execute();
    try {
      const issue = await createIssue('Search is down', 1);
      await until('the delivery processed', async () => {
        const row = await db.selectFrom('webhook_deliveries').select(['outcome', 'outcome_detail']).where('entity_id', '=', issue.id).executeTakeFirst();
        return row?.outcome === 'processed' ? row : undefined;
      }, 15_000);
      expect(await incidentsTitled(issue.identifier)).toEqual([]);
      const skipped = await env.org.admin.get<{ skipped: Array<{ issue: { id: string }; reason: string; detail: string }> }>('/api/activity/skipped');
      const entry = skipped.body.skipped.find((skip) => skip.issue.id === issue.id);
      expect(entry).toMatchObject({ reason: 'needs_attention', detail: 'Rule "Urgent engineering" needs attention (missing: service Checkout API).' });
    } finally {
      await db.updateTable('rules').set({ missing_references: '[]' }).where('id', '=', rule.id).execute();
    }
  });

  it('an incident event queued before its incident was linked hands over to the pair instead of acting in another lane', async () => {
    const db = env.hub.database.db;
    const link = await db.selectFrom('sync_links').select(['id', 'incident_id']).where('incident_id', 'is not', null).orderBy('created_at').executeTakeFirstOrThrow();
    const delivery = await db.selectFrom('webhook_deliveries').select(['id']).where('entity_id', '=', link.incident_id!).orderBy('received_at').executeTakeFirstOrThrow();
    // As the intake queued it while the link did not name the incident yet: the incident's own lane.
    const jobId = await env.hub.hub.deps.queue.enqueueNow(PROCESS_DELIVERY, { deliveryId: delivery.id }, { organisationId: env.org.organisationId, lane: `pagerduty:incident:${link.incident_id!}` });
    const done = await until('the late job', async () => {
      const row = await db.selectFrom('jobs').select(['status']).where('id', '=', jobId).executeTakeFirst();
      return row?.status === 'succeeded' ? row : undefined;
    }, 15_000);
    expect(done.status).toBe('succeeded');
    const detail = await db.selectFrom('webhook_deliveries').select('outcome_detail').where('id', '=', delivery.id).executeTakeFirstOrThrow();
    expect(detail.outcome_detail).toContain('handed to the pair');
    await until('the Re-sync in the pair lane', async () => {
      const resync = await db.selectFrom('jobs').select(['status', 'lane']).where('kind', '=', 'sync.resync').executeTakeFirst();
      return resync?.status === 'succeeded' && resync.lane?.startsWith('linear:issue:') === true ? resync : undefined;
    }, 15_000);
  });
});

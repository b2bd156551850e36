import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxControl, sandboxSettings } from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';
import { ENG_STATE } from '../rules/api-fixture.js';
import { actOnIncidentPage, CHECKOUT, startConnectedHub, until, type ConnectedHub } from '../webhooks/fixture.js';
import { reconcileFixture } from './fixture.js';

/**
 * Reconciliation (issue 12, Tests): webhooks that never reach the hub — lost after the vendor's
 * last retry, which is also what a hub stopped for longer than the vendors retry sees — are
 * found by one sweep and healed exactly once, through the live flow: a state moved in Linear, a
 * status changed in PagerDuty, a comment and a note, a missed create. A second sweep changes
 * nothing, and the heals' own writes come back as echoes, not as new work. Sweeps run on
 * **Reconcile now** (RECONCILE_INTERVAL_SECONDS is a day here, so none runs by itself).
 */
const METRICS_TOKEN = 'reconcile-metrics-scrape-token-0123456789';
const WAIT = 15_000;
const OTHER_SERVICE = 'PSVC004';

describe.each(testDialects())('reconciliation sweep on %s', (dialect) => {
  let env: ConnectedHub;
  let ruleId: string;
  const db = () => env.hub.database.db;
  const { gql, pd, createIssue, linkOf, settle, sweep, setUp } = reconcileFixture(() => env);

  const moveIssue = (id: string, state: string) =>
    gql('mutation($id: String!, $input: IssueUpdateInput!) { issueUpdate(id: $id, input: $input) { success } }', { id, input: { stateId: ENG_STATE(state) } });
  const addComment = async (issueId: string, body: string) =>
    (await gql<{ commentCreate: { comment: { id: string } } }>('mutation($input: CommentCreateInput!) { commentCreate(input: $input) { comment { id } } }', { input: { issueId, body } })).commentCreate.comment.id;
  const issueState = async (id: string) => (await gql<{ issue: { state: { name: string } } }>('query($id: String!) { issue(id: $id) { state { name } } }', { id })).issue.state.name;
  const commentsOf = async (id: string) =>
    (await gql<{ issue: { comments: { nodes: Array<{ body: string }> } } }>('query($id: String!) { issue(id: $id) { comments(first: 100) { nodes { body } } } }', { id })).issue.comments.nodes;
  const incident = async (id: string) => (await pd<{ incident: { status: string } }>('GET', `/incidents/${id}`)).body.incident;
  const notesOf = async (id: string) => (await pd<{ notes: Array<{ content: string }> }>('GET', `/incidents/${id}/notes`)).body.notes;
  const incidentsFor = async (issueId: string) => {
    const link = await linkOf(issueId);
    const all = (await pd<{ incidents: Array<{ id: string; incident_key: string }> }>('GET', '/incidents?limit=100&date_range=all')).body.incidents;
    return all.filter((candidate) => candidate.incident_key === link?.incident_key);
  };
  /** Writes the hub made at each stand-in (every request that is not a read). */
  async function writesAtVendors(): Promise<number> {
    const pdWrites = (await sandboxControl<{ requests: Array<{ method: string }> }>(env.sandbox.pagerdutyUrl, 'GET', '/_sandbox/requests')).requests.filter((r) => r.method !== 'GET').length;
    const linearWrites = (await sandboxControl<{ requests: Array<{ body: { query?: string } | undefined }> }>(env.sandbox.linearUrl, 'GET', '/_sandbox/requests?method=POST&pathPrefix=/graphql')).requests.filter((r) =>
      (r.body?.query ?? '').trimStart().startsWith('mutation'),
    ).length;
    return pdWrites + linearWrites;
  }

  async function pagedIssue(title: string) {
    const issue = await createIssue(title);
    const link = await until('the link with its incident', async () => {
      const row = await linkOf(issue.id);
      return row?.incident_id != null ? row : undefined;
    }, WAIT);
    await settle();
    return { issue, incidentId: link.incident_id! };
  }
  const loseNextDeliveries = async (count: number) => {
    for (const url of [env.sandbox.pagerdutyUrl, env.sandbox.linearUrl]) await sandboxControl(url, 'POST', '/_sandbox/faults', { deliveries: [{ kind: 'lost', count }] });
  };
  const deliverAgain = async () => {
    for (const url of [env.sandbox.pagerdutyUrl, env.sandbox.linearUrl]) await sandboxControl(url, 'DELETE', '/_sandbox/faults');
  };
  const healJobs = () => db().selectFrom('jobs').select(['id', 'status']).where('kind', '=', 'reconcile.heal').execute();

  beforeAll(async () => {
    env = await startConnectedHub(dialect, { RECONCILE_INTERVAL_SECONDS: '86400', RECONCILE_GRACE_SECONDS: '0', METRICS_TOKEN });
    await setUp();
    ruleId = (await env.org.admin.get<{ rules: Array<{ id: string; name: string }> }>('/api/rules')).body.rules.find((rule) => rule.name === 'Urgent engineering')!.id;
  }, 60_000);
  afterAll(async () => env?.close());

  it('finds every missed webhook in one sweep, heals each exactly once, and a second sweep changes nothing', async () => {
    const done = await pagedIssue('Done in Linear, webhook lost');
    const acked = await pagedIssue('Acknowledged in PagerDuty, webhook lost');
    // A sweep before anything is lost finds both sides in agreement.
    const clean = await sweep();
    expect(clean.lastSweep?.pairsChecked).toBeGreaterThanOrEqual(2);
    expect(clean.lastSweep?.drifts).toEqual({});
    const rule = (await env.org.admin.get<{ rule: { sync: { acknowledgedState: { name: string } } } }>(`/api/rules/${ruleId}`)).body.rule;

    // Every webhook of what people do next is lost.
    await loseNextDeliveries(50);
    await moveIssue(done.issue.id, 'Done');
    await actOnIncidentPage(env.sandbox.pagerdutyUrl, acked.incidentId, 'acknowledge');
    await addComment(acked.issue.id, 'Rolled back the deploy — from Linear.');
    expect((await pd('POST', `/incidents/${acked.incidentId}/notes`, { note: { content: 'Paging the database team — from PagerDuty.' } })).status).toBeLessThan(300);
    const missed = await createIssue('Created while its webhook was lost');
    await env.sandbox.pagerduty.dispatcher.idle();
    await env.sandbox.linear.dispatcher.idle();
    await deliverAgain();
    await settle();
    // Nothing reached the hub: the two sides disagree.
    expect((await incident(done.incidentId)).status).toBe('triggered');
    expect(await issueState(acked.issue.id)).toBe('Todo');
    expect(await linkOf(missed.id)).toBeUndefined();

    const healed = await sweep();
    expect(healed.lastSweep?.drifts).toEqual({ issue_state: 1, incident_status: 1, comment: 1, note: 1, missed_create: 1 });
    // Both sides agree, each missed effect exactly once.
    expect((await incident(done.incidentId)).status).toBe('resolved');
    expect(await issueState(acked.issue.id)).toBe(rule.sync.acknowledgedState.name);
    expect((await notesOf(acked.incidentId)).filter((note) => note.content.includes('Rolled back the deploy'))).toHaveLength(1);
    expect((await commentsOf(acked.issue.id)).filter((comment) => comment.body.includes('Paging the database team'))).toHaveLength(1);
    expect(await incidentsFor(missed.id)).toHaveLength(1);
    expect((await linkOf(missed.id))?.incident_id).not.toBeNull();
    // Recorded in Activity and on each link's timeline as found by reconciliation.
    expect(healed.healed.map((line) => line.issue).sort()).toEqual([acked.issue.identifier, done.issue.identifier, missed.identifier].sort());
    for (const line of healed.healed) expect(line.summary).toMatch(/^Found by reconciliation/);
    const timeline = (await env.org.admin.get<{ timeline: Array<{ summary: string; foundByReconciliation: boolean }> }>(`/api/links/${healed.healed.find((line) => line.issue === done.issue.identifier)!.linkId}`)).body.timeline;
    expect(timeline.filter((entry) => entry.foundByReconciliation).map((entry) => entry.summary)).toEqual([
      expect.stringMatching(/^Found by reconciliation.*is Done in Linear/),
      expect.stringMatching(/moved to Done/),
      expect.stringMatching(/^Resolved incident/),
    ]);
    expect(timeline.filter((entry) => !entry.foundByReconciliation).length).toBeGreaterThan(0);

    // A second sweep: nothing to heal, nothing written upstream; the heals' echoes were only echoes.
    const writes = await writesAtVendors();
    const heals = (await healJobs()).length;
    const again = await sweep();
    expect(again.lastSweep?.drifts).toEqual({});
    expect(await healJobs()).toHaveLength(heals);
    expect(await writesAtVendors()).toBe(writes);
    expect((await healJobs()).every((job) => job.status === 'succeeded')).toBe(true);

    const scraped = await (await fetch(`${env.hub.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    for (const kind of ['issue_state', 'incident_status', 'comment', 'note', 'missed_create']) expect(scraped).toContain(`hub_reconcile_drifts_healed_total{kind="${kind}"} 1`);
    expect(scraped).toMatch(/hub_reconcile_sweeps_total \d+/);
  }, 120_000);

  it('follows a service move PagerDuty announced only to the new service, and resolves the incident of an issue deleted unseen', async () => {
    // Undocumented: `incident.service_updated` may go to the new service's subscriptions only (a sandbox setting).
    await sandboxSettings(env.sandbox.pagerdutyUrl, { serviceUpdatedDelivery: 'new' });
    try {
      const moved = await pagedIssue('Moved to another service');
      const deleted = await pagedIssue('Deleted in Linear, webhook lost');
      const moveAnswer = await pd('PUT', `/incidents/${moved.incidentId}`, { incident: { type: 'incident_reference', service: { id: OTHER_SERVICE, type: 'service_reference' } } });
      expect(moveAnswer.status).toBe(200);
      await loseNextDeliveries(5);
      await gql('mutation($id: String!) { issueDelete(id: $id) { success } }', { id: deleted.issue.id });
      await env.sandbox.pagerduty.dispatcher.idle();
      await env.sandbox.linear.dispatcher.idle();
      await deliverAgain();
      await settle();
      expect((await linkOf(moved.issue.id))?.service_id).toBe(CHECKOUT.id);
      expect((await incident(deleted.incidentId)).status).toBe('triggered');

      const healed = await sweep();
      expect(healed.lastSweep?.drifts).toEqual({ service_move: 1, issue_deleted: 1 });
      expect((await linkOf(moved.issue.id))?.service_id).toBe(OTHER_SERVICE);
      // The new service is watched from now on, so the pair's next events reach the hub.
      await until('a subscription on the new service', async () => {
        const subscriptions = (await pd('GET', '/webhook_subscriptions')).body.webhook_subscriptions as Array<{ filter: { id: string } }>;
        return subscriptions.some((subscription) => subscription.filter.id === OTHER_SERVICE);
      }, WAIT);
      expect((await incident(deleted.incidentId)).status).toBe('resolved');
      expect((await sweep()).lastSweep?.drifts).toEqual({});
    } finally {
      await sandboxSettings(env.sandbox.pagerdutyUrl, { serviceUpdatedDelivery: 'old_and_new' });
    }
  }, 120_000);
});

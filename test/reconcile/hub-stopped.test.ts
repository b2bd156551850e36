import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../src/main.js';
import { sandboxControl } from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';
import { actOnIncidentPage, startConnectedHub, until, type ConnectedHub } from '../webhooks/fixture.js';
import { reconcileFixture } from './fixture.js';

/**
 * The hub stopped while people work on both sides, for longer than the vendors retry (here the
 * stand-ins do not retry at all: a delivery that fails is dropped, and after three drops the
 * vendor disables the webhook). Started again on the same database, one **Refresh** re-enables
 * the webhooks and one sweep heals what happened meanwhile — each effect once — and a second
 * sweep finds nothing.
 */
describe.each(testDialects())('the hub stopped while both sides changed, on %s', (dialect) => {
  let env: ConnectedHub;
  let restarted: RunningHub | undefined;
  const { gql, pd, createIssue, linkOf, settle, sweep, setUp } = reconcileFixture(() => env);
  const commentsOf = async (id: string) =>
    (await gql<{ issue: { state: { name: string }; comments: { nodes: Array<{ body: string }> } } }>('query($id: String!) { issue(id: $id) { state { name } comments(first: 100) { nodes { body } } } }', { id })).issue;
  const notesOf = async (id: string) => (await pd<{ notes: Array<{ content: string }> }>('GET', `/incidents/${id}/notes`)).body.notes;

  beforeAll(async () => {
    env = await startConnectedHub(dialect, { RECONCILE_INTERVAL_SECONDS: '86400', RECONCILE_GRACE_SECONDS: '0' }, { sandboxRetryScheduleMs: [] });
    await setUp();
  }, 60_000);
  afterAll(async () => {
    await restarted?.close();
    await env?.close();
  });

  it('heals, after a restart, what happened while the hub was down — each effect once', async () => {
    const paired = await createIssue('Paged before the hub stopped');
    const link = await until('the link with its incident', async () => {
      const row = await linkOf(paired.id);
      return row?.incident_id != null ? row : undefined;
    }, 15_000);
    await settle();
    expect((await sweep()).lastSweep?.drifts).toEqual({});

    await env.hub.hub.close();
    // While the hub is down: the incident acknowledged, a note, a comment, two new issues.
    await actOnIncidentPage(env.sandbox.pagerdutyUrl, link.incident_id!, 'acknowledge');
    expect((await pd('POST', `/incidents/${link.incident_id}/notes`, { note: { content: 'Failover started while the hub was down.' } })).status).toBeLessThan(300);
    await gql('mutation($input: CommentCreateInput!) { commentCreate(input: $input) { comment { id } } }', { input: { issueId: paired.id, body: 'Customers report errors — while the hub was down.' } });
    const missed = [await createIssue('Created while the hub was down (1)'), await createIssue('Created while the hub was down (2)')];
    await env.sandbox.pagerduty.dispatcher.idle();
    await env.sandbox.linear.dispatcher.idle();
    // Three deliveries in a row dropped: Linear disabled the team webhook.
    const linearHooks = async () => (await sandboxControl<{ webhooks: Array<{ enabled: boolean }> }>(env.sandbox.linearUrl, 'GET', '/_sandbox/webhooks')).webhooks;
    expect((await linearHooks()).map((hook) => hook.enabled)).toEqual([false]);

    restarted = await startHub({ ...env.hub.config }, { database: env.hub.database, logger: env.hub.hub.deps.logger });
    // The vendors disabled the webhooks that kept failing; Refresh repairs them.
    expect((await env.org.admin.post('/api/webhooks/refresh', {})).status).toBe(200);
    expect((await linearHooks()).map((hook) => hook.enabled)).toEqual([true]);

    const healed = await sweep();
    expect(healed.lastSweep?.drifts).toEqual({ incident_status: 1, note: 1, comment: 1, missed_create: 2 });
    const issue = await commentsOf(paired.id);
    expect(issue.state.name).not.toBe('Todo');
    expect(issue.comments.nodes.filter((comment) => comment.body.includes('Failover started while the hub was down.'))).toHaveLength(1);
    expect((await notesOf(link.incident_id!)).filter((note) => note.content.includes('Customers report errors'))).toHaveLength(1);
    for (const created of missed) expect((await linkOf(created.id))?.incident_id).toBeTruthy();
    const keys = new Set(await Promise.all(missed.map(async (created) => (await linkOf(created.id))!.incident_key)));
    const incidents = (await pd<{ incidents: Array<{ incident_key: string }> }>('GET', '/incidents?limit=100&date_range=all')).body.incidents.filter((incident) => keys.has(incident.incident_key));
    expect(incidents).toHaveLength(2);

    expect((await sweep()).lastSweep?.drifts).toEqual({});
  }, 120_000);
});

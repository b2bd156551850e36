import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedId } from '../../sandbox/linear/seed.js';
import type { ConnectionsResponse } from '../../src/api/index.js';
import { connectProvider, injectApiFaults, sandboxControl, sandboxSettings } from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';
import { createRule, ENG_STATE, ENG_TEAM, SUP_TEAM } from '../rules/api-fixture.js';
import { actOnIncidentPage, CHECKOUT, createTeamWebhook, pagerdutyRest, startConnectedHub, triggerIncidentOnPage, until, type ConnectedHub } from '../webhooks/fixture.js';

/**
 * The cases of two-way sync beyond the happy loop (issue 11, Tests, third bullet; Deliver items
 * 2, 3, 5 and 7), over the stand-ins, acting as people do: merges, service and team moves,
 * deletion, reopening both ways, the connected users acting by hand, comment edits, the
 * undocumented vendor behaviours under each sandbox choice, a Disconnected connection and a
 * rate limit. Each test works on fresh issues; exact counts are taken once everything settled.
 */

interface PdIncident {
  id: string;
  incident_number: number;
  title: string;
  status: string;
  html_url: string;
  service: { id: string; summary?: string };
  resolve_reason: { type: string; incident: { id: string } } | null;
}
interface PdNote {
  id: string;
  content: string;
  user: { id: string; summary: string } | null;
}
interface LinearComment {
  id: string;
  body: string;
  user: { name: string } | null;
}

const SUP_STATE = (name: string) => seedId('state', 'acme', 'SUP', name);
const OTHER_SERVICE = { id: 'PSVC004' };
const PD_TERMINAL_WAIT = 15_000;

describe.each(testDialects())('two-way sync scenarios on %s', (dialect) => {
  let env: ConnectedHub;
  /** The Linear user the hub's connection acts as, and a token of their own (not the hub's). */
  let connectedLinearUser: string;
  let hubLinearToken: string;
  let ownLinearToken: string;

  const db = () => env.hub.database.db;
  const pd = <T = any>(method: string, path: string, body?: unknown) => pagerdutyRest<T>(env.sandbox.pagerdutyUrl, method, path, body);
  async function gql<T = any>(query: string, variables: Record<string, unknown> = {}, token = ownLinearToken): Promise<T> {
    const response = await fetch(`${env.sandbox.linearUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: T; errors?: unknown[] };
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data!;
  }

  async function createIssue(title: string, state = 'Todo'): Promise<{ id: string; identifier: string }> {
    const created = await gql<{ issueCreate: { issue: { id: string; identifier: string } } }>(
      'mutation($input: IssueCreateInput!) { issueCreate(input: $input) { issue { id identifier } } }',
      { input: { teamId: ENG_TEAM, title, priority: 1, stateId: ENG_STATE(state) } },
    );
    return created.issueCreate.issue;
  }
  const updateIssue = (id: string, input: Record<string, unknown>, token = ownLinearToken) =>
    gql('mutation($id: String!, $input: IssueUpdateInput!) { issueUpdate(id: $id, input: $input) { success } }', { id, input }, token);
  const addComment = async (issueId: string, body: string, token = ownLinearToken): Promise<string> =>
    (await gql<{ commentCreate: { comment: { id: string } } }>('mutation($input: CommentCreateInput!) { commentCreate(input: $input) { comment { id } } }', { input: { issueId, body } }, token)).commentCreate.comment.id;
  const issueOf = async (id: string) =>
    (await gql<{ issue: { identifier: string; state: { name: string }; team: { key: string } } }>('query($id: String!) { issue(id: $id) { identifier state { name } team { key } } }', { id })).issue;
  const commentsOf = async (id: string) =>
    (await gql<{ issue: { comments: { nodes: LinearComment[] } } }>('query($id: String!) { issue(id: $id) { comments(first: 50) { nodes { id body user { name } } } } }', { id })).issue.comments.nodes;
  const incident = async (id: string) => (await pd<{ incident: PdIncident }>('GET', `/incidents/${id}`)).body.incident;
  const notesOf = async (incidentId: string) => (await pd<{ notes: PdNote[] }>('GET', `/incidents/${incidentId}/notes`)).body.notes;
  const linkOf = (issueId: string) => db().selectFrom('sync_links').selectAll().where('issue_id', '=', issueId).executeTakeFirstOrThrow();
  const ledgerOf = async (issueId: string) => {
    const link = await linkOf(issueId);
    return db().selectFrom('sync_ledger').select(['direction', 'entry', 'summary']).where('link_id', '=', link.id).orderBy('at').orderBy('id').execute();
  };
  const pdCalls = (method: string, pathPrefix: string) =>
    sandboxControl<{ requests: Array<{ method: string; path: string; status: number; body: any }> }>(
      env.sandbox.pagerdutyUrl,
      'GET',
      `/_sandbox/requests?${new URLSearchParams({ method, pathPrefix })}`,
    ).then((answer) => answer.requests);

  /** Nothing left to happen: both stand-ins have nothing to deliver and the hub no job to run (twice in a row). */
  async function settle(): Promise<void> {
    let quiet = 0;
    await until('everything to settle', async () => {
      await env.sandbox.pagerduty.dispatcher.idle();
      await env.sandbox.linear.dispatcher.idle();
      // Scheduled jobs (queue/schedules.ts) always have a pending instance: not work in flight.
      const busy = await db().selectFrom('jobs').select('id').where('status', 'in', ['queued', 'running']).where('unique_key', 'is', null).execute();
      quiet = busy.length === 0 ? quiet + 1 : 0;
      if (quiet < 2) await new Promise((resolve) => setTimeout(resolve, 50));
      return quiet >= 2;
    }, 20_000);
  }

  /** A fresh Urgent ENG issue, its incident opened by the hub (and the link written). */
  async function pagedIssue(title: string, state = 'Todo') {
    const issue = await createIssue(title, state);
    const link = await until('the link with its incident', async () => {
      const row = await db().selectFrom('sync_links').selectAll().where('issue_id', '=', issue.id).executeTakeFirst();
      return row?.incident_id != null ? row : undefined;
    }, PD_TERMINAL_WAIT);
    await settle();
    return { issue, incidentId: link.incident_id!, number: link.incident_number! };
  }
  const stateIs = (issueId: string, name: string) => until(`${issueId} in ${name}`, async () => (await issueOf(issueId)).state.name === name, PD_TERMINAL_WAIT);
  const statusIs = (incidentId: string, status: string) => until(`${incidentId} ${status}`, async () => (await incident(incidentId)).status === status, PD_TERMINAL_WAIT);
  const deadJobs = () => db().selectFrom('jobs').select(['kind', 'last_error']).where('status', '=', 'dead').execute();

  beforeAll(async () => {
    // The keeper checks every second, so a revoked token is noticed without a sync job tripping on it.
    env = await startConnectedHub(dialect, { CONNECTION_CHECK_INTERVAL_SECONDS: '1' });
    const tokens = (await sandboxControl<{ tokens: Array<{ value: string; kind: string; revoked: boolean; owner: { user: string } }> }>(env.sandbox.linearUrl, 'GET', '/_sandbox/tokens')).tokens;
    const hubs = tokens.filter((token) => token.kind === 'access' && !token.revoked);
    expect(hubs).toHaveLength(1);
    hubLinearToken = hubs[0]!.value;
    connectedLinearUser = hubs[0]!.owner.user;
    ownLinearToken = (await sandboxControl<{ access_token: string }>(env.sandbox.linearUrl, 'POST', '/_sandbox/tokens', { workspace: 'Acme', user: connectedLinearUser, scopes: ['read', 'write'] })).access_token;
    await createTeamWebhook(env.org.admin, ENG_TEAM);
    await createTeamWebhook(env.org.admin, SUP_TEAM);
    await createRule(env.org.admin, {
      name: 'Urgent engineering',
      filters: { teamId: ENG_TEAM, priorities: [1, 2], statusTypes: ['unstarted', 'started'] },
      routing: { serviceId: CHECKOUT.id, urgency: 'from_priority' },
    });
    await until('the Checkout API subscription', async () => {
      const subscriptions = (await pd('GET', '/webhook_subscriptions')).body.webhook_subscriptions as Array<{ filter: { id: string } }>;
      return subscriptions.some((subscription) => subscription.filter.id === CHECKOUT.id);
    }, 10_000);
  }, 60_000);
  afterAll(async () => env?.close());

  it('the connected users are the seed admins (what the "by hand" cases act as)', () => {
    expect(connectedLinearUser).toBe('ada@acme.example');
    expect(hubLinearToken).toMatch(/^lin_oauth_/);
  });

  it('merge: the issue stays open, the link follows the surviving incident with a comment, and the survivor syncs', async () => {
    const { issue, incidentId: a, number: aNumber } = await pagedIssue('Merge source');
    const b = await triggerIncidentOnPage(env.sandbox.pagerdutyUrl, 'Merge target');
    const target = await incident(b);
    const merged = await pd('PUT', `/incidents/${b}/merge`, { source_incidents: [{ id: a, type: 'incident_reference' }] });
    expect(merged.status).toBe(200);
    expect((await incident(a)).resolve_reason).toMatchObject({ type: 'merge_resolve_reason', incident: { id: b } });

    await until('the link to follow B', async () => (await linkOf(issue.id)).incident_id === b, PD_TERMINAL_WAIT);
    await settle();
    const link = await linkOf(issue.id);
    expect(link).toMatchObject({ incident_id: b, incident_number: target.incident_number, incident_status: 'triggered', service_id: CHECKOUT.id, closed_at: null });
    expect((await issueOf(issue.id)).state.name).toBe('Todo'); // not closed by the merge's resolve
    const comments = await commentsOf(issue.id);
    expect(comments.map((comment) => comment.body)).toEqual([
      `PagerDuty incident #${aNumber} was merged into [#${target.incident_number}](${target.html_url}); this issue now follows #${target.incident_number}.`,
    ]);
    expect(await notesOf(b)).toEqual([]); // the merge comment is the hub's own: not mirrored
    expect(await notesOf(a)).toEqual([]);
    expect((await ledgerOf(issue.id)).filter((line) => line.entry === 'action').map((line) => line.summary)).toContain(
      `Incident #${aNumber} was merged into #${target.incident_number}: the link follows #${target.incident_number}; commented on ${issue.identifier}.`,
    );

    await actOnIncidentPage(env.sandbox.pagerdutyUrl, b, 'acknowledge');
    await stateIs(issue.id, 'In Progress');
    await settle();
    expect((await linkOf(issue.id)).incident_status).toBe('acknowledged');
    expect(await commentsOf(issue.id)).toHaveLength(1);
    expect(await deadJobs()).toEqual([]);
  });

  it('service move: the link keeps the incident, the new service gets a subscription, and its events sync', async () => {
    const { issue, incidentId } = await pagedIssue('Service move');
    const before = (await pd<{ webhook_subscriptions: Array<{ filter: { id: string } }> }>('GET', '/webhook_subscriptions')).body.webhook_subscriptions;
    expect(before.some((subscription) => subscription.filter.id === OTHER_SERVICE.id)).toBe(false);
    const moved = await pd('PUT', `/incidents/${incidentId}`, { incident: { type: 'incident_reference', service: { id: OTHER_SERVICE.id, type: 'service_reference' } } });
    expect(moved.status).toBe(200);

    // rules.follow_service made the new service watched: a subscription for it at the stand-in.
    await until('a subscription for the new service', async () => {
      const listed = (await pd<{ webhook_subscriptions: Array<{ filter: { id: string }; events: string[] }> }>('GET', '/webhook_subscriptions')).body.webhook_subscriptions;
      return listed.find((subscription) => subscription.filter.id === OTHER_SERVICE.id);
    }, PD_TERMINAL_WAIT);
    await settle();
    const link = await linkOf(issue.id);
    expect(link).toMatchObject({ incident_id: incidentId, service_id: OTHER_SERVICE.id, closed_at: null });
    const followed = await db().selectFrom('jobs').select(['status', 'payload']).where('kind', '=', 'rules.follow_service').execute();
    expect(followed.filter((job) => String(job.payload).includes(OTHER_SERVICE.id)).map((job) => job.status)).toContain('succeeded');

    // Later events come from the new service only (the stand-in sends them there): acknowledge still moves the issue.
    await actOnIncidentPage(env.sandbox.pagerdutyUrl, incidentId, 'acknowledge');
    await stateIs(issue.id, 'In Progress');
    await settle();
    const ackDelivery = env.sandbox.pagerduty.dispatcher.attempts().filter((attempt: any) => attempt.eventType === 'incident.acknowledged' && attempt.requestBody?.includes(incidentId));
    expect(ackDelivery.length).toBeGreaterThan(0);
    expect(new Set(ackDelivery.map((attempt: any) => attempt.outcome))).toEqual(new Set(['delivered']));
    expect((await ledgerOf(issue.id)).map((line) => line.summary)).toContain(`Moved ${issue.identifier} from Todo to In Progress (incident acknowledged).`);
    expect(await deadJobs()).toEqual([]);
  });

  it('team move: the link keeps the issue under its new identifier, and Done still resolves the incident', async () => {
    const { issue, incidentId } = await pagedIssue('Team move');
    await updateIssue(issue.id, { teamId: SUP_TEAM });
    const moved = await issueOf(issue.id);
    expect(moved.team.key).toBe('SUP');
    await until('the link to carry the new identifier', async () => (await linkOf(issue.id)).issue_identifier === moved.identifier, PD_TERMINAL_WAIT);
    await settle();
    expect(await linkOf(issue.id)).toMatchObject({ incident_id: incidentId, incident_status: 'triggered', issue_identifier: moved.identifier, team_id: SUP_TEAM, closed_at: null });
    expect((await incident(incidentId)).status).toBe('triggered');

    // Acknowledged: the rule's Acknowledged Status is an Engineering state, which a Support issue
    // cannot take — recorded as skipped, not a failing job.
    await actOnIncidentPage(env.sandbox.pagerdutyUrl, incidentId, 'acknowledge');
    await until('the skip in the ledger', async () => (await ledgerOf(issue.id)).find((line) => line.entry === 'skipped'), PD_TERMINAL_WAIT);
    await settle();
    expect((await ledgerOf(issue.id)).filter((line) => line.entry === 'skipped').map((line) => line.summary)).toEqual([
      `${moved.identifier} is now in Support: the rule's Acknowledged Status belongs to Engineering, so the issue was not moved.`,
    ]);
    expect((await issueOf(issue.id)).state.name).toBe('Todo');
    expect(await deadJobs()).toEqual([]);

    await updateIssue(issue.id, { stateId: SUP_STATE('Done') });
    await statusIs(incidentId, 'resolved');
    await settle();
    const resolves = (await pdCalls('PUT', `/incidents/${incidentId}`)).filter((call) => call.body?.incident?.status === 'resolved');
    expect(resolves.map((call) => [call.status, call.body.incident.resolution])).toEqual([[200, `Ada Admin moved ${moved.identifier} to Done in Linear.`]]);
    expect((await linkOf(issue.id)).closed_at).not.toBeNull();
    expect(await deadJobs()).toEqual([]);
  });

  it('deletion: the incident resolves with a note naming who deleted the issue', async () => {
    const { issue, incidentId, number } = await pagedIssue('Deleted issue');
    await gql('mutation($id: String!) { issueDelete(id: $id) { success } }', { id: issue.id });
    await statusIs(incidentId, 'resolved');
    await settle();
    const why = `Ada Admin deleted ${issue.identifier} in Linear.`;
    const resolves = (await pdCalls('PUT', `/incidents/${incidentId}`)).filter((call) => call.body?.incident?.status === 'resolved');
    expect(resolves.map((call) => [call.status, call.body.incident.resolution])).toEqual([[200, why]]);
    const link = await linkOf(issue.id);
    expect(link).toMatchObject({ incident_status: 'resolved' });
    expect(link.closed_at).not.toBeNull();
    expect((await ledgerOf(issue.id)).filter((line) => line.entry === 'action').map((line) => line.summary)).toContain(`Resolved incident #${number}: ${why}`);
    expect(await deadJobs()).toEqual([]);
  });

  it('reopen from Linear: Done resolves, back to Todo reopens the incident with a note (not mirrored back)', async () => {
    const { issue, incidentId, number } = await pagedIssue('Reopen from Linear');
    await updateIssue(issue.id, { stateId: ENG_STATE('Done') });
    await statusIs(incidentId, 'resolved');
    await settle();
    await updateIssue(issue.id, { stateId: ENG_STATE('Todo') });
    await statusIs(incidentId, 'triggered');
    await settle();
    const why = `Ada Admin reopened ${issue.identifier} (Todo) in Linear.`;
    expect((await notesOf(incidentId)).map((note) => note.content)).toEqual([why]);
    expect(await commentsOf(issue.id)).toEqual([]); // the reopen note is the hub's own: dropped as an echo
    expect((await issueOf(issue.id)).state.name).toBe('Todo');
    const ledger = await ledgerOf(issue.id);
    expect(ledger.filter((line) => line.entry === 'action').map((line) => line.summary)).toEqual([
      `Opened incident #${number} on Checkout API (urgency high).`,
      expect.stringContaining("incident's link"), // posted on the issue (its wording is another test's)
      `Resolved incident #${number}: Ada Admin moved ${issue.identifier} to Done in Linear.`,
      `Reopened incident #${number}: ${why}`,
    ]);
    expect(ledger.filter((line) => line.entry === 'echo')).toHaveLength(3); // resolved, reopened, the note
    expect(await linkOf(issue.id)).toMatchObject({ incident_status: 'triggered', closed_at: null });
  });

  it('reopen from PagerDuty: resolve moves the issue to the Resolved Status, reopen moves it back; a later Done by hand still resolves', async () => {
    const { issue, incidentId } = await pagedIssue('Reopen from PagerDuty', 'In Review');
    await actOnIncidentPage(env.sandbox.pagerdutyUrl, incidentId, 'resolve');
    await stateIs(issue.id, 'Done');
    await settle();
    expect(JSON.parse((await linkOf(issue.id)).state_before_hub!)).toMatchObject({ id: ENG_STATE('In Review'), name: 'In Review' });

    await actOnIncidentPage(env.sandbox.pagerdutyUrl, incidentId, 'reopen');
    await stateIs(issue.id, 'In Review'); // where it was before the hub moved it
    await settle();
    expect(await linkOf(issue.id)).toMatchObject({ incident_status: 'triggered', closed_at: null, state_before_hub: null });
    expect((await incident(incidentId)).status).toBe('triggered');

    // The person now moves it to Done: a real move, not an echo of the hub's earlier move to Done.
    await updateIssue(issue.id, { stateId: ENG_STATE('Done') });
    await statusIs(incidentId, 'resolved');
    await settle();
    expect(await deadJobs()).toEqual([]);
  });

  it('the connected users acting by hand are synced; the hub\'s own comment and note are not mirrored back', async () => {
    const { issue, incidentId } = await pagedIssue('By hand');
    // Ada — the user the hub's Linear connection acts as — comments with a token of her own.
    await addComment(issue.id, 'Looking into it myself.');
    await until('the comment as a note', async () => (await notesOf(incidentId)).length === 1, PD_TERMINAL_WAIT);
    // Ada — the hub's PagerDuty `From` user — adds a note by hand.
    expect((await pd('POST', `/incidents/${incidentId}/notes`, { note: { content: 'Paging the DB team.' } })).status).toBe(200);
    await until('the note as a comment', async () => (await commentsOf(issue.id)).length === 2, PD_TERMINAL_WAIT);
    await settle();

    const notes = await notesOf(incidentId);
    expect(notes.map((note) => [note.user?.summary, note.content])).toEqual([
      ['Ada Admin', 'Ada Admin in Linear: Looking into it myself.'],
      ['Ada Admin', 'Paging the DB team.'],
    ]);
    const comments = await commentsOf(issue.id);
    expect(comments).toHaveLength(2);
    expect(comments.filter((comment) => comment.body === 'Looking into it myself.')).toHaveLength(1);
    const mirrored = comments.filter((comment) => comment.body !== 'Looking into it myself.');
    expect(mirrored).toHaveLength(1);
    expect(mirrored[0]!.body).toMatch(/^\*\*Ada Admin\*\* in PagerDuty, \d{4}-\d\d-\d\d \d\d:\d\d UTC:\n\nPaging the DB team\.$/);
    expect(mirrored[0]!.user?.name).toBe('Ada Admin');
    const ledger = await ledgerOf(issue.id);
    expect(ledger.filter((line) => line.entry === 'echo').map((line) => line.summary)).toEqual([
      expect.stringContaining('the echo of the hub\'s own note'),
      expect.stringContaining('the echo of the hub\'s own comment'),
    ]);
  });

  it('comment edits and deletions are recorded in the ledger, not mirrored', async () => {
    const { issue, incidentId } = await pagedIssue('Edited comments');
    const commentId = await addComment(issue.id, 'First take.');
    await until('the note', async () => (await notesOf(incidentId)).length === 1, PD_TERMINAL_WAIT);
    await gql('mutation($id: String!, $input: CommentUpdateInput!) { commentUpdate(id: $id, input: $input) { success } }', { id: commentId, input: { body: 'Second take.' } });
    await gql('mutation($id: String!) { commentDelete(id: $id) { success } }', { id: commentId });
    await until('the deletion in the ledger', async () => (await ledgerOf(issue.id)).some((line) => line.summary.includes('was deleted')), PD_TERMINAL_WAIT);
    await settle();
    expect((await notesOf(incidentId)).map((note) => note.content)).toEqual(['Ada Admin in Linear: First take.']);
    // The two webhooks may arrive in either order (Linear sends them independently): sorted.
    const received = (await ledgerOf(issue.id)).filter((line) => line.summary.startsWith('A comment on'));
    expect(received.map((line) => [line.direction, line.entry, line.summary]).sort((a, b) => (a[2]! < b[2]! ? 1 : -1))).toEqual([
      ['issue_to_incident', 'received', `A comment on ${issue.identifier} was edited by Ada Admin: recorded, not mirrored (PagerDuty notes cannot be changed).`],
      ['issue_to_incident', 'received', `A comment on ${issue.identifier} was deleted by Ada Admin: recorded, not mirrored (PagerDuty notes cannot be changed).`],
    ]);
  });

  describe('undocumented vendor behaviours, each sandbox choice', () => {
    afterAll(async () => {
      await sandboxSettings(env.sandbox.pagerdutyUrl, { sameStatusUpdate: 'error', webhookClient: 'named' });
      await sandboxSettings(env.sandbox.linearUrl, { appActorShape: 'oauthClient' });
    });

    it.each(['error', 'ok'] as const)('sameStatusUpdate %s: a resolve the hub sends to an incident already resolved is no error', async (choice) => {
      await sandboxSettings(env.sandbox.pagerdutyUrl, { sameStatusUpdate: choice });
      const { issue, incidentId } = await pagedIssue(`Same status ${choice}`);
      // A person resolves it in PagerDuty; that webhook is late, so the hub still sees the incident
      // open when the issue's deletion asks it to resolve.
      await sandboxControl(env.sandbox.pagerdutyUrl, 'POST', '/_sandbox/faults', { deliveries: [{ kind: 'delay', count: 1, delayMs: 2500 }] });
      await actOnIncidentPage(env.sandbox.pagerdutyUrl, incidentId, 'resolve');
      await gql('mutation($id: String!) { issueDelete(id: $id) { success } }', { id: issue.id });
      await until('the hub\'s resolve', async () => (await pdCalls('PUT', `/incidents/${incidentId}`)).length > 0, PD_TERMINAL_WAIT);
      await settle();
      const puts = await pdCalls('PUT', `/incidents/${incidentId}`);
      expect(puts.map((call) => [call.status, call.body.incident.status])).toEqual([[choice === 'error' ? 400 : 200, 'resolved']]);
      const link = await linkOf(issue.id);
      expect(link).toMatchObject({ incident_status: 'resolved', last_error: null });
      expect(link.closed_at).not.toBeNull();
      const jobs = await db().selectFrom('jobs').select(['status', 'attempts']).where('lane', '=', `linear:issue:${issue.id}`).execute();
      expect(jobs.every((job) => job.status === 'succeeded' && job.attempts === 1)).toBe(true);
      expect(await deadJobs()).toEqual([]);
    });

    it.each(['null', 'named'] as const)('webhookClient %s: the loop works and the hub\'s own changes are dropped as echoes', async (choice) => {
      await sandboxSettings(env.sandbox.pagerdutyUrl, { webhookClient: choice });
      const { issue, incidentId, number } = await pagedIssue(`Client ${choice}`);
      await actOnIncidentPage(env.sandbox.pagerdutyUrl, incidentId, 'acknowledge');
      await stateIs(issue.id, 'In Progress');
      await settle(); // the echo of the hub's move arrives first (a move made before it would be read with the echo's actor)
      await updateIssue(issue.id, { stateId: ENG_STATE('Done') });
      await statusIs(incidentId, 'resolved');
      await settle();
      const clients = env.sandbox.pagerduty.dispatcher.attempts().filter((attempt: any) => attempt.requestBody?.includes(`"id":"${incidentId}"`)).map((attempt: any) => JSON.parse(attempt.requestBody).event.client);
      expect(new Set(clients.map((client: any) => client === null))).toEqual(new Set(choice === 'null' ? [true] : [false]));
      const ledger = await ledgerOf(issue.id);
      expect(ledger.filter((line) => line.entry === 'echo').map((line) => line.summary)).toEqual([
        `${issue.identifier} moved to In Progress: the echo of the hub's own change, dropped.`,
        `Incident #${number} is resolved: the echo of the hub's own change, dropped.`,
      ]);
      expect((await issueOf(issue.id)).state.name).toBe('Done');
    });

    it.each(['oauthClient', 'appUser', 'absent'] as const)('appActorShape %s: another app\'s comment and Done sync; the hub\'s echoes do not', async (shape) => {
      await sandboxSettings(env.sandbox.linearUrl, { appActorShape: shape });
      await sandboxControl(env.sandbox.linearUrl, 'POST', '/_sandbox/clients', { clientId: 'deploy-bot', name: 'Deploy Bot', redirectUris: ['http://127.0.0.1:9/callback'] });
      const app = (await sandboxControl<{ access_token: string }>(env.sandbox.linearUrl, 'POST', '/_sandbox/tokens', { workspace: 'Acme', actor: 'app', clientId: 'deploy-bot', scopes: ['read', 'write'] })).access_token;
      const { issue, incidentId } = await pagedIssue(`App actor ${shape}`);
      await addComment(issue.id, 'Deploy 42 rolled back.', app);
      await until('the app comment as a note', async () => (await notesOf(incidentId)).length === 1, PD_TERMINAL_WAIT);
      await actOnIncidentPage(env.sandbox.pagerdutyUrl, incidentId, 'acknowledge');
      await stateIs(issue.id, 'In Progress');
      await settle(); // the echo of the hub's move arrives first (a move made before it would be read with the echo's actor)
      await updateIssue(issue.id, { stateId: ENG_STATE('Done') }, app);
      await statusIs(incidentId, 'resolved');
      await settle();
      expect((await notesOf(incidentId)).map((note) => note.content)).toEqual(['Deploy Bot in Linear: Deploy 42 rolled back.']);
      expect(await commentsOf(issue.id)).toHaveLength(1);
      const who = { oauthClient: 'Deploy Bot', appUser: 'Deploy Bot', absent: 'Someone' }[shape];
      const resolves = (await pdCalls('PUT', `/incidents/${incidentId}`)).filter((call) => call.body?.incident?.status === 'resolved');
      expect(resolves.map((call) => call.body.incident.resolution)).toEqual([`${who} moved ${issue.identifier} to Done in Linear.`]);
      expect(await deadJobs()).toEqual([]);
    });
  });

  it('a 429 from PagerDuty delays a note, never drops it', async () => {
    const { issue, incidentId } = await pagedIssue('Rate limited');
    await injectApiFaults(env.sandbox.pagerdutyUrl, [{ kind: '429', count: 1, method: 'POST', pathPrefix: `/incidents/${incidentId}/notes`, retryAfterSeconds: 1 }]);
    await addComment(issue.id, 'Still on it.');
    await until('the note after the 429', async () => (await notesOf(incidentId)).length === 1, PD_TERMINAL_WAIT);
    await settle();
    expect((await notesOf(incidentId)).map((note) => note.content)).toEqual(['Ada Admin in Linear: Still on it.']);
    expect((await pdCalls('POST', `/incidents/${incidentId}/notes`)).map((call) => call.status)).toEqual([429, 200]);
  });

  it('while Linear is Disconnected an acknowledge waits, nothing lost; reconnecting moves the issue', async () => {
    const { issue, incidentId } = await pagedIssue('Disconnected');
    const linearCard = async () => (await env.org.admin.get<ConnectionsResponse>('/api/connections')).body.connections.find((connection) => connection.provider === 'linear')!;
    await sandboxControl(env.sandbox.linearUrl, 'POST', '/_sandbox/tokens/revoke', { token: hubLinearToken });
    await until('Linear Disconnected', async () => (await linearCard()).status === 'disconnected', 10_000);

    await actOnIncidentPage(env.sandbox.pagerdutyUrl, incidentId, 'acknowledge');
    const waiting = await until('the acknowledge to wait for Linear', async () =>
      db().selectFrom('jobs').select(['id', 'waiting_for', 'status']).where('lane', '=', `linear:issue:${issue.id}`).where('waiting_for', '=', 'connection:linear').executeTakeFirst(), PD_TERMINAL_WAIT);
    expect(waiting.status).toBe('queued');
    expect((await issueOf(issue.id)).state.name).toBe('Todo');

    const { attempt } = await connectProvider(env.org.admin, 'linear');
    expect(attempt?.outcome).toBe('succeeded');
    await stateIs(issue.id, 'In Progress');
    await settle();
    expect(await deadJobs()).toEqual([]);
  });

  it('while Linear is Disconnected a reopen waits; after reconnecting the issue still goes back', async () => {
    const { issue, incidentId } = await pagedIssue('Reopened while disconnected', 'In Review');
    await actOnIncidentPage(env.sandbox.pagerdutyUrl, incidentId, 'resolve');
    await stateIs(issue.id, 'Done');
    await settle();
    const hubToken = (await sandboxControl<{ tokens: Array<{ value: string; kind: string; revoked: boolean; clientId: string; issuedAt: number }> }>(env.sandbox.linearUrl, 'GET', '/_sandbox/tokens')).tokens
      .filter((token) => token.kind === 'access' && !token.revoked && token.clientId === 'integration-hub-sandbox' && token.value !== ownLinearToken)
      .sort((a, b) => b.issuedAt - a.issuedAt)[0]!;
    await sandboxControl(env.sandbox.linearUrl, 'POST', '/_sandbox/tokens/revoke', { token: hubToken.value });
    const linearCard = async () => (await env.org.admin.get<ConnectionsResponse>('/api/connections')).body.connections.find((connection) => connection.provider === 'linear')!;
    await until('Linear Disconnected', async () => (await linearCard()).status === 'disconnected', 10_000);

    await actOnIncidentPage(env.sandbox.pagerdutyUrl, incidentId, 'reopen');
    await until('the reopen to wait for Linear', async () =>
      db().selectFrom('jobs').select('id').where('lane', '=', `linear:issue:${issue.id}`).where('waiting_for', '=', 'connection:linear').executeTakeFirst(), PD_TERMINAL_WAIT);
    expect((await issueOf(issue.id)).state.name).toBe('Done');

    expect((await connectProvider(env.org.admin, 'linear')).attempt?.outcome).toBe('succeeded');
    await stateIs(issue.id, 'In Review');
    await settle();
    expect(await linkOf(issue.id)).toMatchObject({ incident_status: 'triggered', closed_at: null });
    expect(await deadJobs()).toEqual([]);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RuleView } from '../../src/api/index.js';
import { findRule, updateRule } from '../../src/rules/rules-repository.js';
import { client, createUser, login, type HubClient } from '../helpers/client.js';
import { connectProvider, sandboxControl } from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';
import { connectionOf, newOrganisation, type OrganisationAdmin } from '../connections/fixture.js';
import { createTeamWebhook, startConnectedHub, webhooksOf, type ConnectedHub } from '../webhooks/fixture.js';
import {
  CHECKOUT,
  createRule,
  deleteAllRules,
  ENG_STATE,
  ENG_TEAM,
  formOf,
  getRule,
  listRules,
  PAYMENTS,
  ruleInput,
  SUP_TEAM,
} from './api-fixture.js';

/**
 * The rules API (src/api/rules.ts) through real HTTP against the stand-ins: create, get, list,
 * update at a version, delete, reorder, enable/disable/resume, history with who, validation,
 * tenancy, roles, and what a Disconnected connection refuses. Every success answer is checked
 * against the contract by the client.
 */
describe.each(testDialects())('rules API on %s', (dialect) => {
  let env: ConnectedHub;
  let viewer: HubClient;
  let other: OrganisationAdmin;
  const admin = () => env.org.admin;

  beforeAll(async () => {
    env = await startConnectedHub(dialect);
    await createTeamWebhook(admin(), ENG_TEAM);
    await createUser(admin(), { email: 'viewer@acme.test', password: 'viewer password 1', role: 'viewer' });
    viewer = client(env.hub);
    await login(viewer, 'viewer@acme.test', 'viewer password 1');
    other = await newOrganisation(env.hub);
  });
  afterAll(async () => env?.close());

  beforeEach(async () => {
    for (const provider of ['pagerduty', 'linear'] as const) {
      if ((await connectionOf(admin(), provider)).status !== 'connected') {
        const { attempt } = await connectProvider(admin(), provider);
        expect(attempt?.outcome).toBe('succeeded');
      }
    }
    await deleteAllRules(admin());
  });

  it('the checklist reflects the connections and the team webhooks; without a team webhook rules are blocked', async () => {
    const ready = await listRules(admin());
    expect(ready.checklist).toEqual({ pagerdutyConnected: true, linearConnected: true, teamWebhooks: [{ id: ENG_TEAM, name: 'Engineering' }] });
    expect(ready.blockedBy).toBeNull();
    expect(ready.rules).toEqual([]);
    // Another organisation has connected nothing.
    const bare = await listRules(other.admin);
    expect(bare.checklist).toEqual({ pagerdutyConnected: false, linearConnected: false, teamWebhooks: [] });
    expect(bare.blockedBy?.code).toBe('not_connected');
    expect(bare.blockedBy?.message).toContain('PagerDuty is not connected');
    // No team webhook: blocked with its own reason.
    const hook = (await webhooksOf(admin())).linear.teams.find((row) => row.team.id === ENG_TEAM)?.webhook;
    expect((await admin().delete(`/api/webhooks/linear/${hook!.id}`)).status).toBe(204);
    try {
      const blocked = await listRules(admin());
      expect(blocked.checklist.teamWebhooks).toEqual([]);
      expect(blocked.blockedBy?.code).toBe('no_team_webhook');
    } finally {
      await createTeamWebhook(admin(), ENG_TEAM);
    }
  });

  it('create → 201 at the end of the order, names and default states resolved, created by the admin; GET shows its history', async () => {
    const first = await createRule(admin(), { name: 'Urgent checkout' });
    const second = await createRule(admin(), { name: 'Payments', routing: { serviceId: PAYMENTS.id, urgency: 'high' }, incidentsPerHour: 5 });
    expect(first).toMatchObject({
      name: 'Urgent checkout',
      position: 1,
      enabled: true,
      status: 'active',
      paused: null,
      missingReferences: [],
      filters: { team: { id: ENG_TEAM, name: 'Engineering' }, priorities: [1, 2], statusTypes: ['unstarted', 'started'], projects: [], labels: [] },
      routing: { service: CHECKOUT, urgency: 'from_priority', pagerdutyPriority: null },
      sync: {
        acknowledgedState: { id: ENG_STATE('In Progress'), name: 'In Progress' },
        resolvedState: { id: ENG_STATE('Done'), name: 'Done' },
        commentsToNotes: true,
        postIncidentLink: true,
      },
      incidentsPerHour: 20,
      version: 1,
      createdBy: { id: env.org.userId, name: 'Ada Admin' },
      updatedBy: { id: env.org.userId, name: 'Ada Admin' },
    });
    expect(second).toMatchObject({ position: 2, routing: { service: PAYMENTS, urgency: 'high' }, incidentsPerHour: 5 });
    expect((await listRules(viewer)).rules.map((rule) => [rule.name, rule.position])).toEqual([
      ['Urgent checkout', 1],
      ['Payments', 2],
    ]);
    const { rule, history } = await getRule(viewer, first.id);
    expect(rule).toEqual(first);
    expect(history).toEqual([{ at: first.createdAt, by: { id: env.org.userId, name: 'Ada Admin' }, action: 'created', changes: [] }]);
  });

  it('validation: the schema (400 invalid_body), references the workspace or account lacks (400 invalid_rule by field), nothing stored', async () => {
    const noPriority = await admin().post('/api/rules', ruleInput({ filters: { teamId: ENG_TEAM, priorities: [], statusTypes: ['started'] } }));
    expect(noPriority.status).toBe(400);
    expect(noPriority.body.error.code).toBe('invalid_body');
    expect(noPriority.body.error.details).toEqual([expect.objectContaining({ path: 'filters.priorities' })]);
    const unknownField = await admin().post('/api/rules', { ...ruleInput(), colour: 'red' });
    expect(unknownField.status).toBe(400);
    expect((await admin().post('/api/rules', ruleInput({ incidentsPerHour: 0 }))).status).toBe(400);

    const badRefs = await admin().post(
      '/api/rules',
      ruleInput({
        filters: { teamId: ENG_TEAM, priorities: [1], statusTypes: ['started'], labelIds: ['not-a-label'] },
        routing: { serviceId: 'PNOSUCH', urgency: 'high' },
      }),
    );
    expect(badRefs.status, badRefs.text).toBe(400);
    expect(badRefs.body.error.code).toBe('invalid_rule');
    expect(badRefs.body.error.details.map((problem: { path: string }) => problem.path).sort()).toEqual(['filters.labelIds.0', 'routing.serviceId']);
    // A team of the workspace without a hub webhook.
    const noWebhook = await admin().post('/api/rules', ruleInput({ filters: { teamId: SUP_TEAM, priorities: [1], statusTypes: ['started'] } }));
    expect(noWebhook.status).toBe(400);
    expect(noWebhook.body.error.details).toEqual([expect.objectContaining({ path: 'filters.teamId' })]);
    expect((await listRules(admin())).rules).toEqual([]);
  });

  it('names are unique per organisation ignoring case: create and rename → 409 rule_name_taken on "name"; another organisation may use it', async () => {
    const taken = await createRule(admin(), { name: 'Checkout fire' });
    const again = await admin().post('/api/rules', ruleInput({ name: 'CHECKOUT FIRE' }));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('rule_name_taken');
    expect(again.body.error.details).toEqual([{ path: 'name', message: expect.any(String) }]);
    const mine = await createRule(admin(), { name: 'Something else' });
    const rename = await admin().patch(`/api/rules/${mine.id}`, formOf(mine, { name: 'checkout Fire' }));
    expect(rename.status).toBe(409);
    expect(rename.body.error.code).toBe('rule_name_taken');
    // Renaming a rule to its own name in another case is fine.
    const recased = await admin().patch(`/api/rules/${taken.id}`, formOf(taken, { name: 'CHECKOUT FIRE' }));
    expect(recased.status, recased.text).toBe(200);
    expect((await listRules(admin())).rules.map((rule) => rule.name)).toEqual(['CHECKOUT FIRE', 'Something else']);
    // Names are per organisation (the other one cannot create rules at all while not connected).
    expect((await other.admin.post('/api/rules', ruleInput({ name: 'Checkout fire' }))).body.error.code).toBe('not_connected');
  });

  it('update: the whole form at its version; history says who changed what, in words', async () => {
    const rule = await createRule(admin(), { name: 'Edit me' });
    const saved = await admin().patch<{ rule: RuleView }>(
      `/api/rules/${rule.id}`,
      formOf(rule, {
        filters: { teamId: ENG_TEAM, priorities: [1], statusTypes: ['unstarted', 'started'] },
        routing: { serviceId: PAYMENTS.id, urgency: 'from_priority' },
        incidentsPerHour: 50,
      }),
    );
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.rule).toMatchObject({ version: 2, routing: { service: PAYMENTS }, filters: { priorities: [1] }, incidentsPerHour: 50, updatedBy: { name: 'Ada Admin' } });
    const { history } = await getRule(admin(), rule.id);
    expect(history.map((entry) => entry.action)).toEqual(['updated', 'created']);
    expect(history[0]!.by).toEqual({ id: env.org.userId, name: 'Ada Admin' });
    expect(history[0]!.changes).toEqual(['Priority: Urgent, High → Urgent', 'Service: Checkout API → Payments Gateway', 'Incidents per hour: 20 → 50']);
    // An old version is refused; nothing changes.
    const stale = await admin().patch(`/api/rules/${rule.id}`, formOf(rule, { incidentsPerHour: 7 }));
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('rule_changed');
    expect((await getRule(admin(), rule.id)).rule.incidentsPerHour).toBe(50);
  });

  it('concurrent edits: two updates at one version — exactly one wins, the other answers 409 rule_changed', async () => {
    const rule = await createRule(admin(), { name: 'Contested' });
    const answers = await Promise.all([
      admin().patch(`/api/rules/${rule.id}`, formOf(rule, { incidentsPerHour: 11 })),
      admin().patch(`/api/rules/${rule.id}`, formOf(rule, { incidentsPerHour: 22 })),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    const winner = answers.find((answer) => answer.status === 200)!;
    expect(answers.find((answer) => answer.status === 409)!.body.error.code).toBe('rule_changed');
    const { rule: stored, history } = await getRule(admin(), rule.id);
    expect(stored.version).toBe(2);
    expect(stored.incidentsPerHour).toBe(winner.body.rule.incidentsPerHour);
    expect(history.filter((entry) => entry.action === 'updated')).toHaveLength(1);
  });

  it('reorder: the full list in a new order; a stale, partial, repeated or foreign list → 409 rules_changed; moves are in the history', async () => {
    const a = await createRule(admin(), { name: 'A' });
    const b = await createRule(admin(), { name: 'B' });
    const c = await createRule(admin(), { name: 'C' });
    const moved = await admin().post<{ rules: RuleView[] }>('/api/rules/reorder', { order: [c.id, a.id, b.id] });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body.rules.map((rule) => [rule.name, rule.position])).toEqual([
      ['C', 1],
      ['A', 2],
      ['B', 3],
    ]);
    expect((await listRules(admin())).rules.map((rule) => rule.name)).toEqual(['C', 'A', 'B']);
    expect((await getRule(admin(), c.id)).history[0]).toMatchObject({ action: 'moved', changes: ['Position: 3 → 1'], by: { name: 'Ada Admin' } });
    // The order is not part of the form: an edit opened before the move still saves.
    const edited = await admin().patch<{ rule: RuleView }>(`/api/rules/${c.id}`, formOf(c, { incidentsPerHour: 7 }));
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body.rule).toMatchObject({ position: 1, incidentsPerHour: 7 });
    for (const order of [[a.id, b.id], [a.id, b.id, c.id, c.id], [a.id, a.id, b.id], [a.id, b.id, 'rul_someone_elses']]) {
      const refused = await admin().post('/api/rules/reorder', { order });
      expect(refused.status, JSON.stringify(order)).toBe(409);
      expect(refused.body.error.code).toBe('rules_changed');
    }
    expect((await listRules(admin())).rules.map((rule) => rule.name)).toEqual(['C', 'A', 'B']);
    // After a delete, the places close up.
    expect((await admin().delete(`/api/rules/${c.id}`)).status).toBe(204);
    expect((await listRules(admin())).rules.map((rule) => [rule.name, rule.position])).toEqual([
      ['A', 1],
      ['B', 2],
    ]);
    expect((await getRule(admin(), b.id)).rule.position).toBe(2);
  });

  it('enable / disable (idempotent, in the history) and resume (only a paused rule)', async () => {
    const rule = await createRule(admin(), { name: 'Switchy' });
    const off = await admin().post<{ rule: RuleView }>(`/api/rules/${rule.id}/disable`);
    expect(off.status).toBe(200);
    expect(off.body.rule).toMatchObject({ enabled: false, version: 2 });
    expect((await admin().post<{ rule: RuleView }>(`/api/rules/${rule.id}/disable`)).body.rule.version).toBe(2);
    const on = await admin().post<{ rule: RuleView }>(`/api/rules/${rule.id}/enable`, {});
    expect(on.body.rule).toMatchObject({ enabled: true, version: 3 });
    const notPaused = await admin().post(`/api/rules/${rule.id}/resume`);
    expect(notPaused.status).toBe(409);
    expect(notPaused.body.error.code).toBe('rule_not_paused');

    // The safety valve pauses it (as the hub does: no user).
    const db = env.hub.database.db;
    const stored = await findRule(db, env.org.organisationId, rule.id);
    const pausedAt = Date.UTC(2026, 5, 1, 12);
    await updateRule(db, stored!, { pausedAt, pausedReason: '20 incidents in an hour' }, { at: pausedAt, userId: null });
    const paused = (await getRule(admin(), rule.id)).rule;
    expect(paused).toMatchObject({ status: 'paused', paused: { at: new Date(pausedAt).toISOString(), reason: '20 incidents in an hour' }, updatedBy: null });
    const resumed = await admin().post<{ rule: RuleView }>(`/api/rules/${rule.id}/resume`);
    expect(resumed.status, resumed.text).toBe(200);
    expect(resumed.body.rule).toMatchObject({ status: 'active', paused: null, enabled: true, updatedBy: { name: 'Ada Admin' } });
    const { history } = await getRule(admin(), rule.id);
    expect(history.map((entry) => entry.action)).toEqual(['resumed', 'enabled', 'disabled', 'created']);
    expect(history[0]!.changes[0]).toContain('20 incidents in an hour');
  });

  it('tenancy: another organisation’s rule id answers 404 rule_not_found on every endpoint, and nothing changes', async () => {
    const rule = await createRule(admin(), { name: 'Ours' });
    const foreign = other.admin;
    const attempts = [
      foreign.get(`/api/rules/${rule.id}`),
      foreign.patch(`/api/rules/${rule.id}`, formOf(rule, { name: 'Theirs' })),
      foreign.delete(`/api/rules/${rule.id}`),
      foreign.post(`/api/rules/${rule.id}/enable`),
      foreign.post(`/api/rules/${rule.id}/disable`),
      foreign.post(`/api/rules/${rule.id}/resume`),
    ];
    for (const answer of await Promise.all(attempts)) {
      expect(answer.status, answer.text).toBe(404);
      expect(answer.body.error.code).toBe('rule_not_found');
    }
    const reorder = await foreign.post('/api/rules/reorder', { order: [rule.id] });
    expect(reorder.status).toBe(409);
    expect((await listRules(foreign)).rules).toEqual([]);
    expect(await getRule(admin(), rule.id)).toMatchObject({ rule: { name: 'Ours', enabled: true, version: 1 } });
  });

  it('roles: a viewer reads but every change answers 403 forbidden, and nothing changes', async () => {
    const rule = await createRule(admin(), { name: 'Look, no hands' });
    expect((await listRules(viewer)).rules.map((r) => r.id)).toEqual([rule.id]);
    expect((await getRule(viewer, rule.id)).rule.id).toBe(rule.id);
    const attempts = [
      viewer.post('/api/rules', ruleInput()),
      viewer.patch(`/api/rules/${rule.id}`, formOf(rule, { name: 'Viewer was here' })),
      viewer.delete(`/api/rules/${rule.id}`),
      viewer.post('/api/rules/reorder', { order: [rule.id] }),
      viewer.post(`/api/rules/${rule.id}/enable`),
      viewer.post(`/api/rules/${rule.id}/disable`),
      viewer.post(`/api/rules/${rule.id}/resume`),
    ];
    for (const answer of await Promise.all(attempts)) {
      expect(answer.status, answer.text).toBe(403);
      expect(answer.body.error.code).toBe('forbidden');
    }
    expect((await getRule(admin(), rule.id)).rule).toEqual(rule);
    expect((await listRules(admin())).rules).toHaveLength(1);
  });

  it('while Linear is Disconnected: create, edit and enable → 409 connection_disconnected naming Linear; disable and delete work; rules stay', async () => {
    const keep = await createRule(admin(), { name: 'Stays' });
    const gone = await createRule(admin(), { name: 'Goes' });
    await sandboxControl(env.sandbox.linearUrl, 'POST', '/_sandbox/tokens/revoke', { all: true });
    const teams = await admin().get('/api/connections/linear/teams');
    expect(teams.body.error.code).toBe('connection_disconnected');

    const listed = await listRules(admin());
    expect(listed.checklist.linearConnected).toBe(false);
    expect(listed.blockedBy).toMatchObject({ code: 'connection_disconnected', message: expect.stringContaining('Linear is Disconnected') });
    expect(listed.rules.map((rule) => rule.name)).toEqual(['Stays', 'Goes']);
    const refusals = [
      await admin().post('/api/rules', ruleInput()),
      await admin().patch(`/api/rules/${keep.id}`, formOf(keep, { incidentsPerHour: 3 })),
    ];
    const off = await admin().post<{ rule: RuleView }>(`/api/rules/${keep.id}/disable`);
    expect(off.status, off.text).toBe(200);
    refusals.push(await admin().post(`/api/rules/${keep.id}/enable`));
    for (const refused of refusals) {
      expect(refused.status, refused.text).toBe(409);
      expect(refused.body.error.code).toBe('connection_disconnected');
      expect(refused.body.error.message).toContain('Linear');
    }
    expect((await admin().delete(`/api/rules/${gone.id}`)).status).toBe(204);
    expect((await listRules(admin())).rules.map((rule) => [rule.name, rule.enabled])).toEqual([['Stays', false]]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedId } from '../../sandbox/linear/seed.js';
import type { CreateRuleRequest, PagerDutyCatalog, TeamCatalog } from '../../src/api/index.js';
import { checkReferences, type RuleDraft } from '../../src/rules/references.js';
import { client, createUser, login, type HubClient } from '../helpers/client.js';
import { sandboxControl } from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';
import { newOrganisation, type OrganisationAdmin } from '../connections/fixture.js';
import { createTeamWebhook, linearGraphql, startConnectedHub, type ConnectedHub } from '../webhooks/fixture.js';
import { CHECKOUT, ENG_LABEL, ENG_STATE, ENG_TEAM, ruleInput, SUP_TEAM, WORKSPACE_LABEL } from './api-fixture.js';

/**
 * What a rule refers to, checked against the connected workspace and account (src/rules/
 * references.ts, every refusal and default), and the form's live catalogs (GET
 * /api/rules/catalog/…) paged past the providers' largest page — over real HTTP against the
 * stand-ins, on each dialect.
 */

const PRD_TEAM = seedId('team', 'acme', 'PRD');
const project = (name: string) => seedId('project', 'acme', name);
const SUP_STATE = (name: string) => seedId('state', 'acme', 'SUP', name);
const PRD_STATE = (name: string) => seedId('state', 'acme', 'PRD', name);

/** More workspace labels and services than one page of each provider holds (Linear 250, PagerDuty 100). */
const EXTRA_LABELS = 260;
const EXTRA_SERVICES = 110;

/**
 * Seeds the stand-ins' in-memory workspace and account (the control API creates neither
 * labels nor services): copies of a seeded record under new ids and names.
 */
function seedBulk(env: ConnectedHub): void {
  const linear = env.sandbox.linear.state;
  const bug = [...linear.labels.values()].find((label) => label.id === WORKSPACE_LABEL('Bug'))!;
  for (let i = 0; i < EXTRA_LABELS; i++) {
    const id = seedId('label', 'acme', `Bulk ${i}`);
    linear.labels.set(id, { ...bug, id, name: `Bulk label ${String(i).padStart(3, '0')}`, seq: linear.nextSeq() });
  }
  const pd = env.sandbox.pagerduty.state;
  const template = pd.services.get('PSVC004')!;
  for (let i = 0; i < EXTRA_SERVICES; i++) {
    const id = `PSVB${String(i).padStart(3, '0')}`;
    pd.services.set(id, { ...template, id, name: `Bulk service ${String(i).padStart(3, '0')}` });
  }
}

describe.each(testDialects())('rule references and catalogs on %s', (dialect) => {
  let env: ConnectedHub;
  let viewer: HubClient;
  let bare: OrganisationAdmin;
  const admin = () => env.org.admin;
  const test = (input: CreateRuleRequest) => admin().post('/api/rules/test', input);
  const problemsOf = async (input: CreateRuleRequest) => {
    const response = await test(input);
    expect(response.status, response.text).toBe(400);
    expect(response.body.error.code).toBe('invalid_rule');
    return (response.body.error.details as Array<{ path: string; message: string }>).map((problem) => problem.path);
  };

  beforeAll(async () => {
    env = await startConnectedHub(dialect);
    await createTeamWebhook(admin(), ENG_TEAM);
    await createUser(admin(), { email: 'viewer@acme.test', password: 'viewer password 1', role: 'viewer' });
    viewer = client(env.hub);
    await login(viewer, 'viewer@acme.test', 'viewer password 1');
    bare = await newOrganisation(env.hub);
    seedBulk(env);
  });
  afterAll(async () => env?.close());

  it('a team catalog lists states by type then position, the team’s projects, and every label page (team first, groups left out)', async () => {
    const response = await viewer.get<TeamCatalog>(`/api/rules/catalog/teams/${ENG_TEAM}`);
    expect(response.status, response.text).toBe(200);
    const catalog = response.body;
    expect(catalog.team).toEqual({ id: ENG_TEAM, name: 'Engineering' });
    expect(catalog.states.map((state) => [state.name, state.type])).toEqual([
      ['Triage', 'triage'],
      ['Backlog', 'backlog'],
      ['Todo', 'unstarted'],
      ['In Progress', 'started'],
      ['In Review', 'started'],
      ['Done', 'completed'],
      ['Canceled', 'canceled'],
      ['Duplicate', 'duplicate'],
    ]);
    expect(catalog.projects.map((p) => p.name).sort()).toEqual(['Checkout Revamp', 'Incident Readiness']);
    expect(catalog.labels.slice(0, 2)).toEqual([
      { id: ENG_LABEL('Backend'), name: 'Backend', scope: 'team' },
      { id: ENG_LABEL('Frontend'), name: 'Frontend', scope: 'team' },
    ]);
    const workspace = catalog.labels.filter((label) => label.scope === 'workspace').map((label) => label.name);
    // Bug, Feature, Improvement, Sev1, Sev2 and the bulk ones: more than Linear's 250 a page; no group (Severity).
    expect(workspace).toHaveLength(5 + EXTRA_LABELS);
    expect(workspace).toContain(`Bulk label ${EXTRA_LABELS - 1}`);
    expect(workspace).not.toContain('Severity');
  });

  it('an unknown team is 404 team_not_found; an organisation without the connection is 409 not_connected', async () => {
    const unknown = await admin().get(`/api/rules/catalog/teams/${seedId('team', 'acme', 'NOPE')}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('team_not_found');
    const notConnected = await bare.admin.get(`/api/rules/catalog/teams/${ENG_TEAM}`);
    expect(notConnected.status).toBe(409);
    expect(notConnected.body.error.code).toBe('not_connected');
    const noPager = await bare.admin.get('/api/rules/catalog/pagerduty');
    expect(noPager.status).toBe(409);
    expect(noPager.body.error.code).toBe('not_connected');
  });

  it('the PagerDuty catalog lists every service (more than one page) by name and the priorities; none when the account has none', async () => {
    const response = await viewer.get<PagerDutyCatalog>('/api/rules/catalog/pagerduty');
    expect(response.status, response.text).toBe(200);
    const names = response.body.services.map((service) => service.name);
    expect(names).toHaveLength(32 + EXTRA_SERVICES);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(response.body.services).toContainEqual(CHECKOUT);
    expect(response.body.priorities?.map((priority) => priority.name)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5']);
    for (const mode of ['empty', 'payment_required'] as const) {
      await sandboxControl(env.sandbox.pagerdutyUrl, 'POST', '/_sandbox/settings', { priorities: mode });
      try {
        const without = await viewer.get<PagerDutyCatalog>('/api/rules/catalog/pagerduty');
        expect(without.status).toBe(200);
        expect(without.body.priorities).toBeNull();
      } finally {
        await sandboxControl(env.sandbox.pagerdutyUrl, 'POST', '/_sandbox/settings', { priorities: 'enabled' });
      }
    }
  });

  it('refuses a team without a hub webhook and a team the workspace does not have, at filters.teamId', async () => {
    const noWebhook = await test(ruleInput({ filters: { teamId: SUP_TEAM, priorities: [1], statusTypes: ['started'] } }));
    expect(noWebhook.status).toBe(400);
    expect(noWebhook.body.error).toMatchObject({ code: 'invalid_rule', details: [{ path: 'filters.teamId' }] });
    expect(noWebhook.body.error.message).toContain('Team Support has no hub webhook');
    expect(await problemsOf(ruleInput({ filters: { teamId: seedId('team', 'acme', 'NOPE'), priorities: [1], statusTypes: ['started'] } }))).toEqual([
      'filters.teamId',
    ]);
  });

  it('refuses states, projects and labels not of the team, an unknown service and priority — every problem by its path', async () => {
    const paths = await problemsOf(
      ruleInput({
        filters: {
          teamId: ENG_TEAM,
          priorities: [1],
          statusTypes: ['started'],
          projectIds: [project('Checkout Revamp'), project('Help Center')],
          labelIds: [WORKSPACE_LABEL('Bug'), seedId('label', 'acme', 'SUP', 'Customer')],
        },
        routing: { serviceId: 'PNOPE99', urgency: 'high', pagerdutyPriorityId: 'PPRI999' },
        sync: { acknowledgedStateId: ENG_STATE('In Progress'), resolvedStateId: SUP_STATE('Done') },
      }),
    );
    expect(paths).toEqual(['sync.resolvedStateId', 'filters.projectIds.1', 'filters.labelIds.1', 'routing.serviceId', 'routing.pagerdutyPriorityId']);
  });

  it('refuses a PagerDuty priority when the account has none', async () => {
    await sandboxControl(env.sandbox.pagerdutyUrl, 'POST', '/_sandbox/settings', { priorities: 'empty' });
    try {
      const response = await test(ruleInput({ routing: { serviceId: CHECKOUT.id, urgency: 'high', pagerdutyPriorityId: 'PPRI001' } }));
      expect(response.status).toBe(400);
      expect(response.body.error.details).toEqual([{ path: 'routing.pagerdutyPriorityId', message: expect.stringContaining('has no priorities') }]);
      // Without a priority the same rule is fine.
      expect((await test(ruleInput())).status).toBe(200);
    } finally {
      await sandboxControl(env.sandbox.pagerdutyUrl, 'POST', '/_sandbox/settings', { priorities: 'enabled' });
    }
  });

  it('fills in the default states (first Started, first Completed by position) and names everything it refers to', async () => {
    const draft: RuleDraft = {
      filters: { teamId: ENG_TEAM, priorities: [1], statusTypes: ['started'], projectIds: [project('Checkout Revamp')], labelIds: [ENG_LABEL('Backend'), WORKSPACE_LABEL('Bug')] },
      routing: { serviceId: CHECKOUT.id, urgency: 'high', pagerdutyPriorityId: 'PPRI002' },
      sync: { commentsToNotes: true, notesToComments: false, resolveOnComplete: true, reopenOnReopen: true, postIncidentLink: true, incidentLinkAs: 'attachment' as const },
    };
    const checked = await checkReferences(env.hub.hub.deps, env.org.organisationId, draft);
    expect(checked).toEqual({
      ok: true,
      value: {
        filters: draft.filters,
        routing: draft.routing,
        sync: { ...draft.sync, acknowledgedStateId: ENG_STATE('In Progress'), resolvedStateId: ENG_STATE('Done') },
        names: {
          team: 'Engineering',
          teamKey: 'ENG',
          service: 'Checkout API',
          pagerdutyPriority: 'P2',
          acknowledgedState: 'In Progress',
          resolvedState: 'Done',
          projects: { [project('Checkout Revamp')]: 'Checkout Revamp' },
          labels: { [ENG_LABEL('Backend')]: 'Backend', [WORKSPACE_LABEL('Bug')]: 'Bug' },
        },
      },
    });
    // A chosen state wins over the default.
    const chosen = await checkReferences(env.hub.hub.deps, env.org.organisationId, { ...draft, sync: { ...draft.sync, acknowledgedStateId: ENG_STATE('In Review') } });
    expect(chosen.ok && chosen.value.names.acknowledgedState).toBe('In Review');
  });

  it('a team without a Started state has no default to give: the field must be chosen', async () => {
    await createTeamWebhook(admin(), PRD_TEAM);
    // Linear archives a state only once its issues are archived: delete (trash) PRD's started issues first.
    const started = await linearGraphql<{ issues: { nodes: Array<{ id: string }> } }>(
      env.sandbox.linearUrl,
      'query($team: ID!) { issues(first: 50, filter: { team: { id: { eq: $team } }, state: { type: { eq: "started" } } }) { nodes { id } } }',
      { team: PRD_TEAM },
    );
    for (const { id } of started.body.data!.issues.nodes) {
      const deleted = await linearGraphql(env.sandbox.linearUrl, 'mutation($id: String!) { issueDelete(id: $id) { success } }', { id });
      expect(deleted.body.errors, JSON.stringify(deleted.body)).toBeUndefined();
    }
    for (const name of ['In Progress', 'In Review']) {
      const archived = await linearGraphql(env.sandbox.linearUrl, 'mutation($id: String!) { workflowStateArchive(id: $id) { success } }', { id: PRD_STATE(name) });
      expect(archived.body.errors, JSON.stringify(archived.body)).toBeUndefined();
    }
    const input = ruleInput({ filters: { teamId: PRD_TEAM, priorities: [1], statusTypes: ['unstarted'] } });
    const response = await test(input);
    expect(response.status).toBe(400);
    expect(response.body.error.details).toEqual([{ path: 'sync.acknowledgedStateId', message: 'Team Product has no Started state to default to: choose one.' }]);
    // Choosing one (any state of the team) is fine.
    expect((await test({ ...input, sync: { acknowledgedStateId: PRD_STATE('Todo') } })).status).toBe(200);
  });
});

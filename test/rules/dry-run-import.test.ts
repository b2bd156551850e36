import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED_IDS, seedId } from '../../sandbox/linear/seed.js';
import type { DryRunResponse, ImportResponse, RulesDocument } from '../../src/api/index.js';
import { client, createUser, login, type HubClient } from '../helpers/client.js';
import { connectProvider } from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';
import { newOrganisation, type OrganisationAdmin } from '../connections/fixture.js';
import { createTeamWebhook, linearGraphql, startConnectedHub, type ConnectedHub } from '../webhooks/fixture.js';
import { FOLLOW_SERVICE } from '../../src/rules/follow-service-job.js';
import { createRule, deleteAllRules, ENG_STATE, ENG_TEAM, getRule, listRules, ruleInput, WORKSPACE_LABEL } from './api-fixture.js';

/**
 * Test rule (POST /api/rules/test, /api/rules/:id/test) over the team's 50 most recent issues,
 * and config as code (GET /api/rules/export, POST /api/rules/import): round trips, resolution by
 * name in another organisation, refusals by path, and all-or-nothing apply — over real HTTP
 * against the stand-ins, on each dialect.
 */

/** The five kinds of issue the dry-run test creates, ten of each, and what the draft says of each. */
const KINDS = [
  { kind: 'pages', priority: 2, state: 'Todo', label: 'Bug', expect: { wouldPage: true, urgency: 'high', excludedBy: null, earlier: false } },
  { kind: 'priority', priority: 3, state: 'Todo', label: 'Bug', expect: { wouldPage: false, urgency: null, excludedBy: 'priority', earlier: false } },
  { kind: 'status', priority: 2, state: 'Done', label: 'Bug', expect: { wouldPage: false, urgency: null, excludedBy: 'status_type', earlier: false } },
  { kind: 'label', priority: 2, state: 'In Progress', label: 'Feature', expect: { wouldPage: false, urgency: null, excludedBy: 'label', earlier: false } },
  { kind: 'earlier', priority: 1, state: 'Todo', label: 'Bug', expect: { wouldPage: false, urgency: null, excludedBy: null, earlier: true } },
] as const;

async function createIssue(env: ConnectedHub, title: string, kind: (typeof KINDS)[number]): Promise<void> {
  const created = await linearGraphql(env.sandbox.linearUrl, 'mutation($input: IssueCreateInput!) { issueCreate(input: $input) { success } }', {
    input: { teamId: ENG_TEAM, title, priority: kind.priority, stateId: ENG_STATE(kind.state), labelIds: [WORKSPACE_LABEL(kind.label)] },
  });
  expect(created.body.errors, JSON.stringify(created.body)).toBeUndefined();
}

describe.each(testDialects())('rules dry-run, export and import on %s', (dialect) => {
  let env: ConnectedHub;
  let viewer: HubClient;
  const admin = () => env.org.admin;
  const importFile = (c: HubClient, document: RulesDocument, apply: boolean) => c.post<ImportResponse & { error?: any }>('/api/rules/import', { document, apply });
  const exported = async () => {
    const response = await admin().get<RulesDocument>('/api/rules/export');
    expect(response.status, response.text).toBe(200);
    return response.body;
  };
  /** Rows that an import writes, to show that a refused one wrote none of them. */
  const written = async () => {
    const db = env.hub.database.db;
    const count = async (table: 'rules' | 'rule_history') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const versions = (await db.selectFrom('rules').select(['id', 'version']).orderBy('id').execute()).map((row) => `${row.id}@${row.version}`);
    // Jobs an import queues (its subscriptions). Webhook jobs of the 50 issues and scheduled
    // instances arrive by themselves meanwhile, so only the import's own kind is counted.
    const jobs = Number((await db.selectFrom('jobs').select((eb) => eb.fn.countAll().as('n')).where('kind', '=', FOLLOW_SERVICE.kind).executeTakeFirstOrThrow()).n);
    return { rules: await count('rules'), history: await count('rule_history'), jobs, versions };
  };

  beforeAll(async () => {
    env = await startConnectedHub(dialect);
    await createTeamWebhook(admin(), ENG_TEAM);
    await createUser(admin(), { email: 'viewer@acme.test', password: 'viewer password 1', role: 'viewer' });
    viewer = client(env.hub);
    await login(viewer, 'viewer@acme.test', 'viewer password 1');
    // 50 new issues: the team's 50 most recently updated, ten of each kind (ENG-13 onwards).
    for (let i = 0; i < 50; i++) await createIssue(env, `Dry-run ${KINDS[i % 5]!.kind} ${i}`, KINDS[i % 5]!);
  });
  afterAll(async () => env?.close());
  beforeEach(async () => deleteAllRules(admin()));

  it('Test rule lists the 50 most recent issues: would page with urgency, the filter that excludes, the earlier rule that takes it', async () => {
    const urgent = await createRule(admin(), { name: 'Urgent ENG', filters: { teamId: ENG_TEAM, priorities: [1], statusTypes: ['unstarted', 'started'] } });
    const draft = ruleInput({
      name: 'High bugs',
      filters: { teamId: ENG_TEAM, priorities: [1, 2], statusTypes: ['unstarted', 'started'], labelIds: [WORKSPACE_LABEL('Bug')] },
    });
    // A viewer may run it: it only reads.
    const response = await viewer.post<DryRunResponse>('/api/rules/test', draft);
    expect(response.status, response.text).toBe(200);
    const { team, issues, wouldPage } = response.body;
    expect(team).toEqual({ id: ENG_TEAM, name: 'Engineering' });
    expect(issues).toHaveLength(50);
    expect(issues.every((issue) => issue.title.startsWith('Dry-run '))).toBe(true);
    expect(issues[0]!.title).toBe('Dry-run earlier 49'); // newest first
    expect(wouldPage).toBe(10);
    for (const issue of issues) {
      const kind = KINDS.find((candidate) => issue.title.startsWith(`Dry-run ${candidate.kind} `))!;
      const { earlier, ...verdict } = kind.expect;
      expect({ title: issue.title, wouldPage: issue.wouldPage, urgency: issue.urgency, excludedBy: issue.excludedBy, alreadyPaging: issue.alreadyPaging }).toEqual({
        title: issue.title,
        ...verdict,
        alreadyPaging: false,
      });
      expect(issue.earlierRule).toEqual(earlier ? { id: urgent.id, name: 'Urgent ENG' } : null);
      expect(issue.state.name).toBe(kind.state);
    }
    // Nothing was saved.
    expect((await listRules(admin())).rules.map((rule) => rule.name)).toEqual(['Urgent ENG']);
    // Bad references are refused as a save refuses them.
    const bad = await viewer.post('/api/rules/test', { ...draft, routing: { serviceId: 'PNOPE99', urgency: 'high' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_rule', details: [{ path: 'routing.serviceId' }] });
  });

  it('Test rule on a saved rule evaluates it where it stands and as it is (disabled says so)', async () => {
    const urgent = await createRule(admin(), { name: 'Urgent ENG', filters: { teamId: ENG_TEAM, priorities: [1], statusTypes: ['unstarted', 'started'] }, routing: { serviceId: 'PSVC001', urgency: 'low' } });
    const run = await viewer.post<DryRunResponse>(`/api/rules/${urgent.id}/test`, {});
    expect(run.status, run.text).toBe(200);
    const paging = run.body.issues.filter((issue) => issue.wouldPage);
    expect(paging.map((issue) => issue.title.replace(/ \d+$/, ''))).toEqual(Array(10).fill('Dry-run earlier'));
    expect(paging.every((issue) => issue.urgency === 'low' && issue.earlierRule === null)).toBe(true);
    expect((await admin().post(`/api/rules/${urgent.id}/disable`, {})).status).toBe(200);
    const disabled = await viewer.post<DryRunResponse>(`/api/rules/${urgent.id}/test`, {});
    expect(disabled.body.wouldPage).toBe(0);
    expect(disabled.body.issues.filter((issue) => issue.excludedBy === 'disabled')).toHaveLength(10);
    // Another organisation's rule (or none) is 404.
    expect((await viewer.post('/api/rules/rul_nope/test', {})).status).toBe(404);
  });

  it('Test rule while editing a saved rule tests the edit in its place: its saved self is not "the earlier rule"', async () => {
    const first = await createRule(admin(), { name: 'Urgent ENG', filters: { teamId: ENG_TEAM, priorities: [1], statusTypes: ['unstarted', 'started'] } });
    const second = await createRule(admin(), { name: 'High ENG', filters: { teamId: ENG_TEAM, priorities: [2], statusTypes: ['unstarted', 'started'] } });
    // Editing the first rule to take High issues as well.
    const edit = ruleInput({ name: 'Urgent ENG', filters: { teamId: ENG_TEAM, priorities: [1, 2], statusTypes: ['unstarted', 'started'] } });
    const inPlace = await viewer.post<DryRunResponse>('/api/rules/test', { ...edit, ruleId: first.id });
    expect(inPlace.status, inPlace.text).toBe(200);
    expect(inPlace.body.issues.some((issue) => issue.earlierRule !== null)).toBe(false);
    // Urgent (earlier) and High (pages, urgency high) issues in Todo or In Progress: 10 + 10 + 10.
    expect(inPlace.body.wouldPage).toBe(30);
    // As a new rule it would stand after both, and each would take its own issues first.
    const asNew = await viewer.post<DryRunResponse>('/api/rules/test', edit);
    const takers = new Set(asNew.body.issues.flatMap((issue) => (issue.earlierRule === null ? [] : [issue.earlierRule.name])));
    expect([...takers].sort()).toEqual(['High ENG', 'Urgent ENG']);
    expect(second.position).toBe(2);
    expect((await viewer.post('/api/rules/test', { ...edit, ruleId: 'rul_nope' })).status).toBe(404);
  });

  it('export → import into the same organisation: everything unchanged, nothing written; a viewer exports but may not import', async () => {
    await createRule(admin(), { name: 'First', filters: { teamId: ENG_TEAM, priorities: [1], statusTypes: ['started'], labelIds: [WORKSPACE_LABEL('Bug')] } });
    await createRule(admin(), { name: 'Second', routing: { serviceId: 'PSVC002', urgency: 'high', pagerdutyPriorityId: 'PPRI001' } });
    const viewerExport = await viewer.get<RulesDocument>('/api/rules/export');
    expect(viewerExport.status).toBe(200);
    expect(viewerExport.headers.get('content-disposition')).toMatch(/^attachment; filename="rules-\d{4}-\d{2}-\d{2}\.json"$/);
    const document = viewerExport.body;
    expect(document.format).toBe('integration-hub/rules');
    expect(document.rules.map((rule) => rule.name)).toEqual(['First', 'Second']);
    expect(document.rules[0]!.filters.team).toEqual({ id: ENG_TEAM, key: 'ENG', name: 'Engineering' });
    expect(document.rules[0]!.filters.labels).toEqual([{ id: WORKSPACE_LABEL('Bug'), name: 'Bug' }]);
    expect(document.rules[1]!.routing).toEqual({ service: { id: 'PSVC002', name: 'Payments Gateway' }, urgency: 'high', pagerdutyPriority: { id: 'PPRI001', name: 'P1' } });
    expect(document.rules[1]!.sync.acknowledgedState).toEqual({ id: ENG_STATE('In Progress'), name: 'In Progress' });

    expect((await importFile(viewer, document, false)).status).toBe(403);
    const before = await written();
    const again = await importFile(admin(), document, true);
    expect(again.status, again.text).toBe(200);
    expect(again.body.plan.map((entry) => [entry.name, entry.action, entry.changes])).toEqual([
      ['First', 'unchanged', []],
      ['Second', 'unchanged', []],
    ]);
    expect(await written()).toEqual(before);
  });

  it('resolves by name when the ids are unknown (renamed or another workspace), and plans updates with their changes', async () => {
    const first = await createRule(admin(), { name: 'First' });
    const document = await exported();
    const rule = document.rules[0]!;
    // Every id unknown here: names (and the team's key) must resolve it, case ignored.
    const byName: RulesDocument = {
      ...document,
      rules: [
        {
          ...rule,
          name: 'FIRST',
          filters: { ...rule.filters, team: { id: 'gone', key: 'eng' }, labels: [{ id: 'gone', name: 'bug' }] },
          routing: { ...rule.routing, service: { id: 'PGONE', name: 'checkout api' } },
          sync: { ...rule.sync, acknowledgedState: { id: 'gone', name: 'in review' } },
          incidentsPerHour: 7,
        },
        { ...rule, name: 'Brand new', filters: { ...rule.filters, team: { name: 'ENGINEERING' } } },
      ],
    };
    const plan = await importFile(admin(), byName, false);
    expect(plan.status, plan.text).toBe(200);
    expect(plan.body).toEqual({
      applied: false,
      plan: [
        {
          name: 'FIRST',
          action: 'update',
          ruleId: first.id,
          changes: ['Name: First → FIRST', 'Labels: any → Bug', 'Acknowledged Status: In Progress → In Review', 'Incidents per hour: 20 → 7'],
        },
        { name: 'Brand new', action: 'create', ruleId: null, changes: [] },
      ],
    });
    expect((await listRules(admin())).rules.map((r) => [r.name, r.version])).toEqual([['First', 1]]); // a plan writes nothing
    const applied = await importFile(admin(), byName, true);
    expect(applied.body.applied).toBe(true);
    const rules = (await listRules(admin())).rules;
    expect(rules.map((r) => [r.name, r.position])).toEqual([
      ['FIRST', 1],
      ['Brand new', 2],
    ]);
    expect(rules[0]!.filters.labels).toEqual([{ id: WORKSPACE_LABEL('Bug'), name: 'Bug' }]);
    expect(rules[0]!.sync.acknowledgedState).toEqual({ id: ENG_STATE('In Review'), name: 'In Review' });
    const history = (await getRule(admin(), first.id)).history;
    expect(history[0]).toMatchObject({ action: 'imported', by: { id: env.org.userId }, changes: expect.arrayContaining(['Incidents per hour: 20 → 7']) });
  });

  it('a reference that does not resolve refuses the import with its path, and nothing is written', async () => {
    await createRule(admin(), { name: 'Kept' });
    const document = await exported();
    const rule = document.rules[0]!;
    const bad: RulesDocument = {
      ...document,
      rules: [
        { ...rule, name: 'New one' },
        { ...rule, name: 'Kept', incidentsPerHour: 3 },
        { ...rule, name: 'Broken', routing: { ...rule.routing, service: { id: 'PGONE', name: 'No such service' } }, filters: { ...rule.filters, labels: [{ name: 'Nope' }] } },
      ],
    };
    const before = await written();
    const response = await importFile(admin(), bad, true);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid_rule');
    expect(response.body.error.details.map((problem: { path: string }) => problem.path)).toEqual(['rules.2.filters.labels.0', 'rules.2.routing.service']);
    expect(await written()).toEqual(before);
  });

  it('apply is all or nothing: a clash midway (two rules named alike in the file) undoes the rules written before it', async () => {
    const kept = await createRule(admin(), { name: 'Kept' });
    const document = await exported();
    const rule = document.rules[0]!;
    const clash: RulesDocument = {
      ...document,
      rules: [
        { ...rule, name: 'Alpha' },
        { ...rule, name: 'Kept', incidentsPerHour: 3 },
        { ...rule, name: 'ALPHA' },
      ],
    };
    const before = await written();
    for (const apply of [false, true]) {
      const response = await importFile(admin(), clash, apply);
      expect(response.status).toBe(409);
      expect(response.body.error).toMatchObject({ code: 'rule_name_taken', details: [{ path: 'rules.2.name' }] });
    }
    expect(await written()).toEqual(before);
    expect((await getRule(admin(), kept.id)).rule.incidentsPerHour).toBe(20);
  });

  it('imports into another organisation connected to another workspace and account, resolving by key and name', async () => {
    await createRule(admin(), {
      name: 'Bugs page',
      filters: { teamId: ENG_TEAM, priorities: [1, 2], statusTypes: ['started'], labelIds: [WORKSPACE_LABEL('Bug')] },
      routing: { serviceId: 'PSVC001', urgency: 'from_priority', pagerdutyPriorityId: 'PPRI002' },
      sync: { resolvedStateId: ENG_STATE('Canceled') },
    });
    const document = await exported();
    const other: OrganisationAdmin = await newOrganisation(env.hub);
    expect((await connectProvider(other.admin, 'pagerduty', { account: 'globex', user: 'PUSR101' })).attempt?.outcome).toBe('succeeded');
    expect((await connectProvider(other.admin, 'linear', { account: SEED_IDS.globex.organization, user: SEED_IDS.globex.admin })).attempt?.outcome).toBe(
      'succeeded',
    );
    const globexEng = SEED_IDS.globex.teams.ENG;
    await createTeamWebhook(other.admin, globexEng);
    // Globex has no "Checkout API": refused by path (P2 resolves by name to Globex's own P2).
    const refused = await importFile(other.admin, document, true);
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.map((problem: { path: string }) => problem.path)).toEqual(['rules.0.routing.service']);
    // The operator points it at a Globex service by name.
    const rule = document.rules[0]!;
    const edited: RulesDocument = {
      ...document,
      rules: [{ ...rule, routing: { ...rule.routing, service: { name: 'Trading Platform' } } }],
    };
    const applied = await importFile(other.admin, edited, true);
    expect(applied.status, applied.text).toBe(200);
    expect(applied.body.plan).toEqual([{ name: 'Bugs page', action: 'create', ruleId: null, changes: [] }]);
    const [imported] = (await listRules(other.admin)).rules;
    expect(imported).toMatchObject({
      name: 'Bugs page',
      filters: { team: { id: globexEng, name: 'Engineering' }, labels: [{ id: seedId('label', 'globex', 'Bug'), name: 'Bug' }] },
      routing: { service: { id: 'PSVC101', name: 'Trading Platform' }, pagerdutyPriority: { id: 'PPRI102', name: 'P2' } },
      sync: { resolvedState: { id: seedId('state', 'globex', 'ENG', 'Canceled'), name: 'Canceled' } },
    });
    expect((await getRule(other.admin, imported!.id)).history.map((entry) => entry.action)).toEqual(['imported']);
    // The first organisation's rules are untouched.
    expect((await listRules(admin())).rules.map((r) => r.name)).toEqual(['Bugs page']);
  });
});

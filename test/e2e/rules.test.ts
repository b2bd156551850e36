import type { Browser, BrowserContext, Locator, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RulesResponse, WebhooksResponse } from '../../src/api/index.js';
import { createUser, DEFAULT_ADMIN, HubClient, setupFirstAdmin } from '../helpers/client.js';
import { connectProvider, sandboxControl, startHubWithSandbox, type HubWithSandbox } from '../helpers/connections.js';
import { CHECKOUT, ENG_TEAM, linearGraphql, pagerdutyRest, signingSecret, until } from '../webhooks/fixture.js';
import { assertWebAppBuilt, chromiumAvailable, isHttpError, launchChromium, screenshot, watchForProblems } from './browser.js';

/**
 * The Rules tab in Chromium, against the stand-ins configured as the hub's "real" vendors: with
 * both connections and Engineering's team webhook in place (through the API), an admin creates a
 * rule through the form, finding every control by its label; Test rule lists the team's recent
 * issues with what the rule would do with each; after Save the rule is listed, its service's
 * webhook subscription exists at the PagerDuty stand-in and the Webhooks tab names the rule on it.
 * A duplicate name is refused next to Name; a viewer gets no Create Rule, Edit or Delete. No page
 * or API answer the browser receives carries a provider token or a webhook secret.
 */

/** What provider tokens look like (Linear access tokens, PagerDuty access and refresh tokens). */
const TOKEN_PATTERN = /lin_oauth_|pdus\+_/;
const VIEWER = { email: 'vera@acme.test', name: 'Vera Viewer', password: 'a long enough password', role: 'viewer' as const };
const RULE_NAME = 'Urgent engineering → Checkout';
const CHECKLIST = ['PagerDuty connected', 'Linear connected', 'At least one Linear team webhook'];
const PRIORITY_LABELS: Record<number, string> = { 0: 'No Priority', 1: 'Urgent', 2: 'High', 3: 'Medium', 4: 'Low' };
const STATUS_TYPE_LABELS: Record<string, string> = { triage: 'Triage', backlog: 'Backlog', unstarted: 'Unstarted', started: 'Started', completed: 'Completed', canceled: 'Canceled' };
/** What the form chooses: Urgent and High; Triage, Backlog, Unstarted, Started. */
const CHOSEN_PRIORITIES = [1, 2];
const CHOSEN_STATUS_TYPES = ['triage', 'backlog', 'unstarted', 'started'];

/** Three issues of our own, so the dry-run's answer for them is known exactly. */
const OWN_ISSUES = [
  { title: 'E2E: checkout card form throws', priority: 1, state: 'Todo', expected: 'Would page (high)' },
  { title: 'E2E: tidy the footer links', priority: 4, state: 'Todo', expected: 'Priority Low not chosen' },
  { title: 'E2E: receipts were emailed twice', priority: 2, state: 'Done', expected: 'Status type Completed not chosen' },
] as const;

interface LinearState {
  id: string;
  name: string;
  type: string;
  position: number;
}

interface LinearIssue {
  identifier: string;
  title: string;
  priority: number;
  state: { name: string; type: string };
}

/** What Test rule should say of an issue: the first filter it fails in the form's order, or the urgency (From priority). */
function expectedOutcome(issue: LinearIssue): string {
  if (!CHOSEN_PRIORITIES.includes(issue.priority)) return `Priority ${PRIORITY_LABELS[issue.priority]} not chosen`;
  if (!CHOSEN_STATUS_TYPES.includes(issue.state.type)) return `Status type ${STATUS_TYPE_LABELS[issue.state.type] ?? issue.state.type} not chosen`;
  return `Would page (${issue.priority <= 2 ? 'high' : 'low'})`;
}

describe.skipIf(!chromiumAvailable())('Rules tab in Chromium', () => {
  let setup: HubWithSandbox;
  let api: HubClient;
  let organisationId: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  let states: LinearState[];
  /** Bodies of every answer the hub gave the browser, checked for tokens and secrets at the end. */
  const hubAnswers: Array<Promise<string>> = [];

  const linear = <T>(query: string, variables: Record<string, unknown> = {}) =>
    linearGraphql<T>(setup.sandbox.linearUrl, query, variables).then(({ status, body }) => {
      expect(status, JSON.stringify(body)).toBe(200);
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      return body.data as T;
    });

  beforeAll(async () => {
    assertWebAppBuilt();
    setup = await startHubWithSandbox('sqlite');
    // The admin, the viewer, both connections and Engineering's webhook through the API, with a
    // client that shares nothing with the browser: they belong to the organisation.
    api = new HubClient(setup.hub);
    organisationId = (await setupFirstAdmin(api)).organisation.id;
    await createUser(api, VIEWER);
    for (const provider of ['pagerduty', 'linear'] as const) {
      const { attempt } = await connectProvider(api, provider);
      expect(attempt?.outcome, `${provider}: ${JSON.stringify(attempt)}`).toBe('succeeded');
    }

    // Engineering's workflow states, and three issues of known priority and state (the newest).
    const team = await linear<{ team: { states: { nodes: LinearState[] } } }>(
      'query($id: String!) { team(id: $id) { states { nodes { id name type position } } } }',
      { id: ENG_TEAM },
    );
    states = team.team.states.nodes;
    for (const issue of OWN_ISSUES) {
      const stateId = states.find((state) => state.name === issue.state)?.id;
      expect(stateId, issue.state).toBeDefined();
      await linear('mutation($input: IssueCreateInput!) { issueCreate(input: $input) { success } }', {
        input: { teamId: ENG_TEAM, title: issue.title, priority: issue.priority, stateId },
      });
    }
    const webhook = await api.post('/api/webhooks/linear', { teamId: ENG_TEAM });
    expect(webhook.status, webhook.text).toBe(201);

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', locale: 'en-GB' });
    page = await context.newPage();
    // Expected: the session check while logged out answers 401; the duplicate name answers 409.
    problems = watchForProblems(page, (message) => isHttpError(message, 401, '/api/session') || isHttpError(message, 409, '/api/rules'));
    page.on('response', (response: Response) => {
      if (response.url().startsWith(setup.hub.url)) hubAnswers.push(response.text().catch(() => ''));
    });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await setup?.close();
  });

  const nav = (p: Page = page) => p.getByRole('navigation', { name: 'Main' });
  const rulesList = (p: Page = page) => p.getByRole('list', { name: 'Rules in evaluation order', exact: true });
  const ruleRow = (name: string, p: Page = page): Locator =>
    rulesList(p)
      .getByRole('listitem')
      .filter({ has: p.getByRole('heading', { level: 3, name }) });
  /** A <dd> of a rule's facts, by its <dt>. */
  const fact = (row: Locator, term: string) => row.locator('dl.rule-facts > div').filter({ has: row.page().locator('dt', { hasText: term }) }).locator('dd');
  const group = (name: string) => page.getByRole('group', { name, exact: true });
  /** The text of a select's chosen option. */
  const chosenOption = (select: Locator) => select.evaluate((element: HTMLSelectElement) => element.selectedOptions[0]?.textContent ?? '');

  async function expectNoToken(p: Page = page): Promise<void> {
    expect(await p.content()).not.toMatch(TOKEN_PATTERN);
  }

  async function logIn(p: Page, email: string, password: string): Promise<void> {
    await p.goto(`${setup.hub.url}/connections`);
    await p.waitForURL('**/login');
    await p.getByLabel('Email').fill(email);
    await p.getByLabel('Password').fill(password);
    await p.getByRole('button', { name: 'Log in' }).click();
    await p.waitForURL('**/connections');
    await p.getByRole('heading', { name: 'Connections', exact: true, level: 1 }).waitFor();
  }

  /** A main tab, through the navigation (client-side, as a person moves between tabs). */
  async function openTab(label: 'Rules' | 'Webhooks', p: Page = page): Promise<void> {
    await nav(p).getByRole('link', { name: label, exact: true }).click();
    await p.waitForURL(`**/${label.toLowerCase()}`);
    await p.getByRole('heading', { name: label, exact: true, level: 1 }).waitFor();
  }

  /** The new-rule form, open and with its catalogs loaded (the Service hint counts the account's services). */
  async function openNewRuleForm(): Promise<void> {
    await page.getByRole('button', { name: 'Create Rule', exact: true }).click();
    await page.waitForURL('**/rules/new');
    await page.getByRole('heading', { name: 'Create rule', exact: true, level: 1 }).waitFor();
    await page.getByText(/^Type to filter the account’s \d+ services\.$/).waitFor();
    await group('Projects').waitFor();
  }

  it('creates a rule through the form after Test rule, lists it, and subscribes its PagerDuty service', async () => {
    // 1. Rules: every item of the checklist done; the empty state offers Create Rule.
    await logIn(page, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password);
    await openTab('Rules');
    const checklist = page.getByRole('list', { name: 'Before you can create a rule', exact: true });
    await checklist.waitFor();
    const items = (await checklist.getByRole('listitem').allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
    expect(items).toEqual(CHECKLIST.map((label) => `${label} Done`));
    expect(await checklist.getByRole('link').count()).toBe(0); // nothing left to fix
    expect(await page.getByRole('heading', { name: 'No rules yet' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Create Rule', exact: true }).isEnabled()).toBe(true);
    expect(await page.getByText('Only admins can create and change rules.').count()).toBe(0);
    await expectNoToken();
    await screenshot(page, 'rules-empty');

    // 2. The form, every control found by its label.
    await openNewRuleForm();
    await page.getByLabel('Name', { exact: true }).fill(RULE_NAME);
    // Webhook: the teams with a hub webhook, by name (only Engineering has one).
    const webhook = page.getByLabel('Webhook', { exact: true });
    expect(await webhook.locator('option').allTextContents()).toEqual(['Engineering']);
    await webhook.selectOption({ label: 'Engineering' });
    expect(await webhook.inputValue()).toBe(ENG_TEAM);
    const priority = group('Priority');
    for (const label of ['Urgent', 'High']) await priority.getByLabel(label, { exact: true }).check();
    for (const label of ['Medium', 'Low', 'No Priority']) await priority.getByLabel(label, { exact: true }).uncheck();
    const statusTypes = group('Status types');
    for (const label of ['Triage', 'Backlog', 'Unstarted', 'Started']) await statusTypes.getByLabel(label, { exact: true }).check();
    for (const label of ['Completed', 'Canceled']) await statusTypes.getByLabel(label, { exact: true }).uncheck();
    expect(await page.getByText('Completed and Canceled are resolved states', { exact: false }).count()).toBe(0);
    // Service: typed, as a person filters hundreds of services.
    const service = page.getByLabel('Service', { exact: true });
    await service.pressSequentially(CHECKOUT.name);
    expect(await service.inputValue()).toBe(CHECKOUT.name);
    await group('Urgency').getByLabel('From priority', { exact: true }).check();
    // Acknowledged / Resolved Status default to the team's first Started and first Completed state.
    const firstOf = (type: string) => states.filter((state) => state.type === type).sort((a, b) => a.position - b.position)[0]!;
    expect(firstOf('started').name).toBe('In Progress');
    expect(firstOf('completed').name).toBe('Done');
    const acknowledged = page.getByLabel('Acknowledged Status', { exact: true });
    const resolved = page.getByLabel('Resolved Status', { exact: true });
    await expect.poll(() => acknowledged.inputValue()).toBe(firstOf('started').id);
    expect(await chosenOption(acknowledged)).toBe('In Progress');
    expect(await resolved.inputValue()).toBe(firstOf('completed').id);
    expect(await chosenOption(resolved)).toBe('Done');
    for (const label of [
      'Comments to notes',
      'Notes to comments',
      'Resolve the incident when the issue is completed or canceled',
      'Reopen the incident when the issue reopens',
      'Post the incident link on the issue',
      'Enabled',
    ]) {
      expect(await page.getByRole('switch', { name: label, exact: true }).isChecked(), label).toBe(true);
    }
    const perHour = page.getByLabel('Incidents per hour', { exact: true });
    expect(await perHour.inputValue()).toBe('20');
    await perHour.fill('10');

    // Test rule, before saving: the team's recent issues with what this draft would do with each.
    await page.getByRole('button', { name: 'Test rule', exact: true }).click();
    const results = page.getByRole('region', { name: 'Test rule results', exact: true });
    await results.waitFor();
    const listed = await linear<{ team: { issues: { nodes: LinearIssue[] } } }>(
      'query($id: String!) { team(id: $id) { issues(first: 50) { nodes { identifier title priority state { name type } } } } }',
      { id: ENG_TEAM },
    );
    const teamIssues = listed.team.issues.nodes;
    expect(teamIssues.length).toBeGreaterThan(OWN_ISSUES.length);
    expect(teamIssues.length).toBeLessThanOrEqual(50);
    const rows = results.getByRole('row').filter({ has: page.getByRole('rowheader') });
    const shown = new Map<string, string[]>();
    for (const row of await rows.all()) {
      const cells = (await row.locator('th, td').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
      shown.set(cells[0] ?? '', cells.slice(1));
    }
    expect([...shown.keys()].sort()).toEqual(teamIssues.map((issue) => issue.identifier).sort());
    for (const issue of teamIssues) {
      expect(shown.get(issue.identifier), issue.identifier).toEqual([issue.title, PRIORITY_LABELS[issue.priority], issue.state.name, expectedOutcome(issue)]);
    }
    // Our own three, spelled out.
    for (const own of OWN_ISSUES) {
      const row = [...shown.values()].find((cells) => cells[0] === own.title);
      expect(row, own.title).toEqual([own.title, PRIORITY_LABELS[own.priority], own.state, own.expected]);
    }
    // The newest first: the last issue created heads the table.
    expect((await rows.first().locator('td').first().textContent())?.trim()).toBe(OWN_ISSUES[2].title);
    const paging = teamIssues.filter((issue) => expectedOutcome(issue).startsWith('Would page')).length;
    expect(paging).toBeGreaterThan(1);
    expect(await results.getByRole('status').textContent()).toBe(
      `${paging} of ${teamIssues.length} recent issues of Engineering would page. Nothing was sent to PagerDuty.`,
    );
    // A dry-run creates nothing at PagerDuty.
    expect((await pagerdutyRest<{ webhook_subscriptions: unknown[] }>(setup.sandbox.pagerdutyUrl, 'GET', '/webhook_subscriptions')).body.webhook_subscriptions).toEqual([]);
    await expectNoToken();
    await screenshot(page, 'rules-form');

    // 3. Save: back on the list, with the rule Active.
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.waitForURL(/\/rules$/);
    await page.getByText(`Created ${RULE_NAME}.`).waitFor();
    const row = ruleRow(RULE_NAME);
    await row.waitFor();
    expect(await rulesList().getByRole('listitem').count()).toBe(1);
    expect(await row.locator('.status').textContent()).toBe('Status: Active');
    expect(await fact(row, 'Team').textContent()).toBe('Engineering');
    expect(await fact(row, 'Filters').textContent()).toBe('Urgent, High · Triage, Backlog, Unstarted, Started');
    expect(await fact(row, 'Service').textContent()).toBe(CHECKOUT.name);
    expect(await fact(row, 'Urgency').textContent()).toBe('From priority');
    expect(await row.getByRole('switch').isChecked()).toBe(true);
    for (const action of ['Edit', 'Duplicate', 'Delete', 'Test rule']) {
      expect(await row.getByRole('button', { name: `${action} ${RULE_NAME}`, exact: true }).isVisible(), action).toBe(true);
    }
    // What was saved is what the form said.
    const { body: saved } = await api.get<RulesResponse>('/api/rules');
    expect(saved.rules).toHaveLength(1);
    expect(saved.rules[0]).toMatchObject({
      name: RULE_NAME,
      enabled: true,
      status: 'active',
      filters: { team: { id: ENG_TEAM, name: 'Engineering' }, priorities: [1, 2], projects: [], labels: [] },
      routing: { service: CHECKOUT, urgency: 'from_priority', pagerdutyPriority: null },
      sync: { acknowledgedState: { name: 'In Progress' }, resolvedState: { name: 'Done' } },
      incidentsPerHour: 10,
      createdBy: { name: expect.any(String) },
    });
    // A set: stored in the order the boxes were ticked.
    expect([...(saved.rules[0]?.filters.statusTypes ?? [])].sort()).toEqual([...CHOSEN_STATUS_TYPES].sort());
    await expectNoToken();
    await screenshot(page, 'rules-list');

    // 4. The PagerDuty stand-in has the service's webhook subscription (a job creates it).
    const subscription = await until(
      'the Checkout API webhook subscription at the PagerDuty stand-in',
      async () => {
        const answer = await pagerdutyRest<{ webhook_subscriptions: Array<{ filter: { id?: string; type: string }; delivery_method: { url: string }; active: boolean }> }>(
          setup.sandbox.pagerdutyUrl,
          'GET',
          '/webhook_subscriptions',
        );
        expect(answer.status).toBe(200);
        return answer.body.webhook_subscriptions.find((sub) => sub.filter.id === CHECKOUT.id);
      },
      10_000,
    );
    expect(subscription.filter).toEqual({ id: CHECKOUT.id, type: 'service_reference' });
    expect(subscription.active).toBe(true);
    const endpointId = new RegExp(`^${setup.hub.url}/webhooks/pagerduty/([^/]+)$`).exec(subscription.delivery_method.url)?.[1];
    expect(endpointId, subscription.delivery_method.url).toBeDefined();
    const atPagerDuty = await pagerdutyRest<{ service: { id: string; name: string } }>(setup.sandbox.pagerdutyUrl, 'GET', `/services/${CHECKOUT.id}`);
    expect(atPagerDuty.body.service.name).toBe(CHECKOUT.name);
    const pagerdutySecret = (await signingSecret(setup.hub, organisationId, endpointId ?? '')) ?? '';
    expect(pagerdutySecret.length).toBeGreaterThan(8);

    // 5. Webhooks: the Checkout API subscription names the rule that uses it.
    await openTab('Webhooks');
    const subscriptions = page.getByRole('list', { name: 'PagerDuty webhook subscriptions', exact: true });
    await subscriptions.waitFor();
    const checkout = subscriptions.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 3, name: CHECKOUT.name, exact: true }) });
    await expect.poll(() => checkout.locator('.webhook-rules').textContent()).toBe(`Used by rule: ${RULE_NAME}`);
    const { body: webhooks } = await api.get<WebhooksResponse>('/api/webhooks');
    expect(webhooks.pagerduty.subscriptions.map((sub) => [sub.serviceId, sub.rules.map((rule) => rule.name)])).toEqual([[CHECKOUT.id, [RULE_NAME]]]);
    await expectNoToken();

    // 6. A second rule with the same name in other case: the server's refusal shows next to Name.
    // PagerDuty answers slowly this time: the service is typed before its list arrives, and is
    // still recognised once it does.
    await openTab('Rules');
    await rulesList().waitFor();
    let releaseServices: () => void = () => undefined;
    const servicesHeld = new Promise<void>((resolve) => (releaseServices = resolve));
    await page.route('**/api/rules/catalog/pagerduty', async (route) => {
      await servicesHeld;
      await route.continue();
    });
    await page.getByRole('button', { name: 'Create Rule', exact: true }).click();
    await page.getByRole('heading', { name: 'Create rule', exact: true, level: 1 }).waitFor();
    await page.getByText('Loading PagerDuty services…').waitFor();
    const name = page.getByLabel('Name', { exact: true });
    await name.fill(RULE_NAME.toUpperCase());
    expect(await page.getByLabel('Webhook', { exact: true }).inputValue()).toBe(ENG_TEAM); // the only team, preselected
    await page.getByLabel('Service', { exact: true }).pressSequentially(CHECKOUT.name);
    releaseServices();
    await page.getByText(/^Type to filter the account’s \d+ services\.$/).waitFor();
    await page.unroute('**/api/rules/catalog/pagerduty');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const nameField = page.locator('.field').filter({ has: name });
    const nameError = nameField.locator('.field-error');
    await nameError.waitFor();
    expect(await nameError.textContent()).toMatch(/^A rule named “.+” exists already \(names are compared ignoring case\): choose another name\.$/);
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect((await name.getAttribute('aria-describedby'))?.split(' ')).toContain(await nameError.getAttribute('id'));
    expect(await name.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await page.locator('.field-error').count()).toBe(1); // only Name
    expect(page.url()).toMatch(/\/rules\/new$/);
    expect((await api.get<RulesResponse>('/api/rules')).body.rules).toHaveLength(1);
    await expectNoToken();

    // 7. A viewer (own browser context) sees the rule, and no Create Rule, Edit or Delete.
    const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', locale: 'en-GB' });
    try {
      const viewer = await viewerContext.newPage();
      const viewerProblems = watchForProblems(viewer, (message) => isHttpError(message, 401, '/api/session'));
      await logIn(viewer, VIEWER.email, VIEWER.password);
      await openTab('Rules', viewer);
      await rulesList(viewer).waitFor();
      await viewer.getByText('Only admins can create and change rules.').waitFor();
      const seen = ruleRow(RULE_NAME, viewer);
      expect(await seen.locator('.status').textContent()).toBe('Status: Active');
      expect(await fact(seen, 'Service').textContent()).toBe(CHECKOUT.name);
      expect(await viewer.getByRole('button', { name: /Create Rule|Edit|Delete|Duplicate|Move|Import/ }).count()).toBe(0);
      expect(await seen.getByRole('switch').count()).toBe(0);
      expect(await seen.getByRole('button', { name: `Test rule ${RULE_NAME}`, exact: true }).isVisible()).toBe(true);
      await expectNoToken(viewer);
      expect(viewerProblems).toEqual([]);
    } finally {
      await viewerContext.close();
    }

    // 8. Nothing the hub sent the browser carried a token or a webhook secret; no errors.
    const linearSecrets = (await sandboxControl<{ webhooks: Array<{ secret: string }> }>(setup.sandbox.linearUrl, 'GET', '/_sandbox/webhooks')).webhooks.map((hook) => hook.secret);
    expect(linearSecrets).toHaveLength(1);
    for (const body of await Promise.all(hubAnswers)) {
      expect(body).not.toMatch(TOKEN_PATTERN);
      expect(body).not.toContain(pagerdutySecret);
      for (const secret of linearSecrets) expect(body).not.toContain(secret);
    }
    expect(hubAnswers.length).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  }, 90_000);
});

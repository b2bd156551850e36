import type { Browser, BrowserContext, Locator, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuleView } from '../../src/api/index.js';
import { DEFAULT_ADMIN, HubClient, setupFirstAdmin } from '../helpers/client.js';
import { connectProvider, sandboxControl, startHubWithSandbox, type HubWithSandbox } from '../helpers/connections.js';
import { allJobs, CHECKOUT, deliveryWhere, ENG_TEAM, pagerdutyRest, signingSecret, until } from '../webhooks/fixture.js';
import { assertWebAppBuilt, chromiumAvailable, isHttpError, launchChromium, screenshot, watchForProblems } from './browser.js';

/**
 * The two-way loop in Chromium (issue 11), with the stand-ins configured as the hub's "real"
 * vendors and people acting on the stand-ins' own pages: with the admin, both connections,
 * Engineering's team webhook and a rule (Urgent/High, Unstarted/Started → Checkout API, urgency
 * from priority) in place through the API, Max Member creates an Urgent issue in Engineering on
 * the Linear page and an incident appears on the PagerDuty page on the rule's service; Max
 * Manager acknowledges it there and the issue shows In Progress (the Acknowledged Status) on the
 * Linear page; his note becomes a comment naming him, Max Member's comment becomes a note; Done
 * resolves the incident. Each effect shows once. A Low issue pages nothing. The Links tab lists
 * the pair and its page shows the two-way timeline. No page logs an error, and no hub answer the
 * browser receives carries a provider token or a webhook secret.
 */

/** What provider tokens look like (Linear access tokens, PagerDuty access and refresh tokens). */
const TOKEN_PATTERN = /lin_oauth_|pdus\+_/;
const RULE_NAME = 'Urgent engineering → Checkout';
const TITLE = 'Checkout rejects every card';
const LOW_TITLE = 'Typo on the pricing page';
const NOTE = 'Rolled back deploy 4711; error rate falling.';
const COMMENT = 'Customers confirm payments go through again.';
/** People other than the connected users (Ada Admin on both sides), acting by hand. */
const LINEAR_PERSON = 'Max Member';
const PAGERDUTY_PERSON = { id: 'PUSR002', option: 'Max Manager (Manager)', name: 'Max Manager' };
/** How long a change may take to cross (webhook → job → upstream call → webhook back). */
const CROSSING_MS = 20_000;

describe.skipIf(!chromiumAvailable())('Two-way sync in Chromium, acting on the stand-ins’ pages', () => {
  let setup: HubWithSandbox;
  let api: HubClient;
  let organisationId: string;
  let browser: Browser;
  let context: BrowserContext;
  /** The hub, as the admin sees it. */
  let page: Page;
  /** The Linear stand-in's page, as Max Member; the PagerDuty stand-in's responder page, as Max Manager. */
  let linear: Page;
  let pagerduty: Page;
  let problems: string[];
  let linearProblems: string[];
  let pagerdutyProblems: string[];
  let identifier = '';
  let incidentNumber = 0;
  /** Bodies of every answer the hub gave the browser, checked for tokens and secrets at the end. */
  const hubAnswers: Array<Promise<string>> = [];

  beforeAll(async () => {
    assertWebAppBuilt();
    setup = await startHubWithSandbox('sqlite');
    // The admin, both connections, Engineering's webhook and the rule through the API, with a
    // client that shares nothing with the browser: they belong to the organisation.
    api = new HubClient(setup.hub);
    organisationId = (await setupFirstAdmin(api)).organisation.id;
    for (const provider of ['pagerduty', 'linear'] as const) {
      const { attempt } = await connectProvider(api, provider);
      expect(attempt?.outcome, `${provider}: ${JSON.stringify(attempt)}`).toBe('succeeded');
    }
    const webhook = await api.post('/api/webhooks/linear', { teamId: ENG_TEAM });
    expect(webhook.status, webhook.text).toBe(201);
    const rule = await api.post<{ rule: RuleView }>('/api/rules', {
      name: RULE_NAME,
      filters: { teamId: ENG_TEAM, priorities: [1, 2], statusTypes: ['unstarted', 'started'] },
      routing: { serviceId: CHECKOUT.id, urgency: 'from_priority' },
    });
    expect(rule.status, rule.text).toBe(201);
    expect(rule.body.rule.sync).toMatchObject({ acknowledgedState: { name: 'In Progress' }, resolvedState: { name: 'Done' } });
    // The rule's PagerDuty subscription (a job creates it) exists before anything is expected of it.
    await until(
      'the Checkout API webhook subscription at the PagerDuty stand-in',
      async () => {
        const answer = await pagerdutyRest<{ webhook_subscriptions: Array<{ filter: { id?: string } }> }>(setup.sandbox.pagerdutyUrl, 'GET', '/webhook_subscriptions');
        return answer.body.webhook_subscriptions.some((subscription) => subscription.filter.id === CHECKOUT.id);
      },
      10_000,
    );

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', locale: 'en-GB' });
    page = await context.newPage();
    // Expected: the session check while logged out answers 401.
    problems = watchForProblems(page, (message) => isHttpError(message, 401, '/api/session'));
    page.on('response', (response: Response) => {
      if (response.url().startsWith(setup.hub.url)) hubAnswers.push(response.text().catch(() => ''));
    });
    linear = await context.newPage();
    pagerduty = await context.newPage();
    // The stand-ins' pages: no error expected but the PagerDuty stand-in's missing favicon
    // (Chromium asks for one; connections.test.ts expects it likewise).
    linearProblems = watchForProblems(linear, () => false);
    pagerdutyProblems = watchForProblems(pagerduty, (message) => isHttpError(message, 404, '/favicon.ico'));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await setup?.close();
  });

  /** Reloads `p` (as a person presses F5 on a page that does not refresh itself) until `probe` holds. */
  async function reloadUntil(p: Page, what: string, probe: () => Promise<boolean>, timeoutMs = CROSSING_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await probe()) return;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
      await p.waitForTimeout(250);
      await p.reload();
    }
  }

  /** Until the hub has nothing queued or running: every echo has come back and been dealt with. */
  async function queueSettled(): Promise<void> {
    await until('the queue to settle', async () => (await allJobs(api)).every((job) => job.status !== 'queued' && job.status !== 'running'), CROSSING_MS);
  }

  // The Linear page.
  const pills = () => linear.locator('.card .pill').allTextContents();
  const comments = () => linear.locator('.comment');
  const issueLinks = () => linear.locator('section.card', { has: linear.getByRole('heading', { name: 'Links', exact: true }) }).locator('.attachment a');

  /** Creates an issue in Engineering on the Linear page and lands on it; its identifier. */
  async function createIssueOnLinearPage(title: string, priority: string): Promise<string> {
    await linear.getByRole('navigation').getByRole('link', { name: 'Engineering' }).click();
    await linear.getByRole('heading', { name: 'Engineering ENG' }).waitFor();
    const form = linear.locator('section.card', { has: linear.getByRole('heading', { name: 'New issue' }) });
    await form.getByLabel('Title').fill(title);
    await form.getByLabel('Description').fill('Every card payment answers “declined” since 14:02.');
    await form.getByLabel('Priority').selectOption({ label: priority });
    await form.getByLabel('State').selectOption({ label: 'Todo (unstarted)' });
    await form.getByRole('button', { name: 'Create issue' }).click();
    await linear.waitForURL(/\/acme\/issue\/ENG-\d+\//);
    await linear.getByRole('heading', { name: title }).waitFor();
    const created = /\/issue\/(ENG-\d+)\//.exec(linear.url())?.[1] ?? '';
    expect(created).toMatch(/^ENG-\d+$/);
    return created;
  }

  // The PagerDuty responder page.
  const incidentsOn = (serviceId: string) => pagerduty.locator(`#service-${serviceId} .incident`);
  const incidentOf = (issueIdentifier: string) => pagerduty.locator('.incident', { hasText: `[${issueIdentifier}]` });

  it('an Urgent issue pages; Acknowledge, a note, a comment and Done cross over, each once', async () => {
    // 1. Max Member, on the Linear page, creates an Urgent issue in Engineering (in Todo).
    await linear.goto(setup.sandbox.linearUrl);
    await linear.getByRole('heading', { name: 'Linear sandbox' }).waitFor();
    const acme = linear.locator('section.card', { has: linear.getByRole('heading', { name: 'Acme', exact: true }) });
    await acme.getByRole('link', { name: `Act as ${LINEAR_PERSON}` }).click();
    identifier = await createIssueOnLinearPage(TITLE, 'Urgent');
    expect(await pills()).toEqual(expect.arrayContaining(['Todo', 'Urgent']));

    // 2. Max Manager, on the PagerDuty page: the incident appears on Checkout API, high urgency.
    await pagerduty.goto(setup.sandbox.pagerdutyUrl);
    await pagerduty.getByLabel('Acting as').selectOption({ label: PAGERDUTY_PERSON.option });
    await pagerduty.getByRole('button', { name: 'Switch' }).click();
    await pagerduty.waitForURL(new RegExp(`as=${PAGERDUTY_PERSON.id}`));
    await reloadUntil(pagerduty, `the incident for ${identifier}`, async () => (await incidentOf(identifier).count()) > 0);
    const incident = incidentOf(identifier);
    expect(await incident.count()).toBe(1);
    expect(await incidentsOn(CHECKOUT.id).filter({ hasText: `[${identifier}]` }).count()).toBe(1); // on the rule's service
    const heading = (await incident.locator('strong').first().textContent()) ?? '';
    incidentNumber = Number(/^#(\d+) /.exec(heading)?.[1]);
    expect(heading).toBe(`#${incidentNumber} [${identifier}] ${TITLE}`);
    expect(await incident.locator('.status').textContent()).toBe('triggered');
    expect(await incident.locator('.muted').first().textContent()).toContain('urgency high');

    // 3. Acknowledge on PagerDuty → the issue shows In Progress on the Linear page.
    await incident.getByRole('button', { name: 'Acknowledge' }).click();
    await pagerduty.getByText(`#${incidentNumber} is now acknowledged.`).waitFor();
    await reloadUntil(linear, 'the issue In Progress', async () => (await pills()).includes('In Progress'));
    expect(await pills()).not.toContain('Todo');
    // The incident's link is on the issue.
    expect(await issueLinks().allTextContents()).toEqual([`PagerDuty incident #${incidentNumber}`]);

    // 4. A note on PagerDuty → a comment on the issue naming its author.
    await incident.getByLabel(`Note for #${incidentNumber}`).fill(NOTE);
    await incident.getByRole('button', { name: 'Add note' }).click();
    await pagerduty.getByText(`Note added to #${incidentNumber}.`).waitFor();
    await reloadUntil(linear, 'the note as a comment', async () => (await comments().filter({ hasText: NOTE }).count()) > 0);
    const mirrored = comments().filter({ hasText: NOTE });
    expect(await mirrored.count()).toBe(1);
    expect(await mirrored.textContent()).toContain(PAGERDUTY_PERSON.name);
    expect(await mirrored.textContent()).toContain('in PagerDuty');

    // 5. A comment on Linear → a note on the incident: "<author> in Linear: <text>".
    await linear.getByLabel('Comment').fill(COMMENT);
    await linear.getByRole('button', { name: 'Comment', exact: true }).click();
    await comments().filter({ hasText: COMMENT }).waitFor();
    const notes = () => incident.locator('.notes li');
    await reloadUntil(pagerduty, 'the comment as a note', async () => (await notes().filter({ hasText: COMMENT }).count()) > 0);
    expect((await notes().filter({ hasText: COMMENT }).allTextContents()).map((text) => text.replace(/^[^:]+: /, ''))).toEqual([`${LINEAR_PERSON} in Linear: ${COMMENT}`]);

    // 6. Max Member moves the issue to Done → the incident resolves.
    await linear.getByLabel('State').selectOption({ label: 'Done (completed)' });
    await linear.getByRole('button', { name: 'Save' }).click();
    await expect.poll(pills).toContain('Done');
    await reloadUntil(pagerduty, 'the incident resolved', async () => (await incident.locator('.status').textContent()) === 'resolved');

    // 7. Every echo back, then each effect shows once on each page: one incident, one comment
    // from the note, one note from the comment; the issue stays Done.
    await queueSettled();
    await pagerduty.reload();
    await linear.reload();
    expect(await incidentOf(identifier).count()).toBe(1);
    expect(await incident.locator('.status').textContent()).toBe('resolved');
    expect(await notes().filter({ hasText: COMMENT }).count()).toBe(1);
    expect(await notes().filter({ hasText: NOTE }).count()).toBe(1); // Max Manager's own, not mirrored back
    expect(await comments().filter({ hasText: NOTE }).count()).toBe(1);
    expect(await comments().filter({ hasText: COMMENT }).count()).toBe(1); // Max Member's own, not mirrored back
    expect(await pills()).toContain('Done');
    const attachment = issueLinks();
    expect(await attachment.allTextContents()).toEqual([`PagerDuty incident #${incidentNumber}`]);
    expect(await attachment.getAttribute('href')).toMatch(/\/incidents\/\w+$/);
    await screenshot(linear, 'sync-linear-issue');
    // Switch (same person) for the page without the last action's notice.
    await pagerduty.getByRole('button', { name: 'Switch' }).click();
    await pagerduty.waitForURL((url) => !url.search.includes('notice='));
    await incident.waitFor();
    await screenshot(pagerduty, 'sync-pagerduty-incident');
    expect([...linearProblems, ...pagerdutyProblems]).toEqual([]);
  }, 120_000);

  it('a Low issue pages nothing', async () => {
    const low = await createIssueOnLinearPage(LOW_TITLE, 'Low');
    await deliveryWhere(api, `the delivery of ${low}`, (delivery) => delivery.eventType === 'Issue.create' && (delivery.entity.label ?? '').startsWith(`${low} `) && delivery.outcome === 'processed', CROSSING_MS);
    await queueSettled();
    await pagerduty.reload();
    expect(await incidentOf(low).count()).toBe(0);
    expect(await pagerduty.locator('.incident').count()).toBe(1); // only the Urgent issue's
    await linear.reload();
    expect(await issueLinks().count()).toBe(0);
    expect(await comments().count()).toBe(0);
    expect([...linearProblems, ...pagerdutyProblems]).toEqual([]);
  }, 60_000);

  it('lists the link on Links, and its page shows the two-way timeline', async () => {
    await page.goto(`${setup.hub.url}/links`);
    await page.waitForURL('**/login');
    await page.getByLabel('Email').fill(DEFAULT_ADMIN.email);
    await page.getByLabel('Password').fill(DEFAULT_ADMIN.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/links');
    await page.getByRole('heading', { name: 'Links', exact: true, level: 1 }).waitFor();

    // One link (the Low issue has none): the issue, the incident, the rule, both states, Closed.
    const row = page.getByRole('row').filter({ hasText: identifier });
    await row.waitFor();
    expect(await page.getByRole('row').count()).toBe(2); // the header and this link
    const cells = (await row.locator('th, td').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
    expect(cells[0]).toBe(`${identifier} ${TITLE}`);
    expect(cells[1]).toBe(`#${incidentNumber}`);
    expect(cells.slice(2, 5)).toEqual([RULE_NAME, 'Done', 'Resolved']);
    expect(cells[6]).toBe(`Status: Closed Details of ${identifier}`);
    expect(await page.content()).not.toMatch(TOKEN_PATTERN);
    await screenshot(page, 'links-list');

    // The link page: both sides, and the timeline with what was received, done and dropped.
    await row.getByRole('link', { name: `Details of ${identifier}` }).click();
    await page.getByRole('heading', { name: `${identifier} ↔ #${incidentNumber}`, level: 1 }).waitFor();
    const timeline = page.getByRole('table', { name: 'Two-way timeline, oldest first' });
    await timeline.waitFor();
    const entries = (kind: string): Locator => timeline.getByRole('row').filter({ hasText: kind });
    expect(await entries('Event received').count()).toBeGreaterThan(0);
    expect(await entries('Action taken').count()).toBeGreaterThan(0);
    expect(await entries('Echo of the hub’s own change, dropped').count()).toBeGreaterThan(0);
    const summaries = await timeline.locator('tbody tr td:last-child').allTextContents();
    expect(summaries.some((summary) => summary.includes(`Opened incident #${incidentNumber} on ${CHECKOUT.name}`))).toBe(true);
    expect(summaries.some((summary) => summary.includes(`acknowledged by ${PAGERDUTY_PERSON.name}`))).toBe(true);
    expect(summaries.some((summary) => summary.includes(`moved ${identifier} to Done`))).toBe(true);
    expect(await page.getByRole('heading', { name: /^How it stands/ }).textContent()).toContain('Closed');
    expect(await page.content()).not.toMatch(TOKEN_PATTERN);
    await screenshot(page, 'link-page');

    // Nothing the hub sent the browser carried a token or a webhook secret; no errors.
    const linearSecrets = (await sandboxControl<{ webhooks: Array<{ secret: string }> }>(setup.sandbox.linearUrl, 'GET', '/_sandbox/webhooks')).webhooks.map((hook) => hook.secret);
    expect(linearSecrets).toHaveLength(1);
    const subscriptions = await pagerdutyRest<{ webhook_subscriptions: Array<{ delivery_method: { url: string } }> }>(setup.sandbox.pagerdutyUrl, 'GET', '/webhook_subscriptions');
    const endpointId = /\/webhooks\/pagerduty\/([^/]+)$/.exec(subscriptions.body.webhook_subscriptions[0]?.delivery_method.url ?? '')?.[1] ?? '';
    const pagerdutySecret = (await signingSecret(setup.hub, organisationId, endpointId)) ?? '';
    expect(pagerdutySecret.length).toBeGreaterThan(8);
    for (const body of await Promise.all(hubAnswers)) {
      expect(body).not.toMatch(TOKEN_PATTERN);
      expect(body).not.toContain(pagerdutySecret);
      for (const secret of linearSecrets) expect(body).not.toContain(secret);
    }
    expect(hubAnswers.length).toBeGreaterThan(3);
    expect(problems).toEqual([]);
  }, 60_000);
});

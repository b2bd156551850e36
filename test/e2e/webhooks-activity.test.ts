import type { Browser, BrowserContext, Locator, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhooksResponse } from '../../src/api/index.js';
import { createUser, DEFAULT_ADMIN, HubClient, setupFirstAdmin } from '../helpers/client.js';
import { connectProvider, sandboxControl, startHubWithSandbox, type HubWithSandbox } from '../helpers/connections.js';
import { assertWebAppBuilt, chromiumAvailable, isHttpError, launchChromium, screenshot, watchForProblems } from './browser.js';

/**
 * The Webhooks and Activity tabs in Chromium, against the stand-ins configured as the hub's
 * "real" vendors: an admin creates Engineering's Linear webhook, a person creates an issue on
 * the Linear stand-in's own page, the delivery and its job show up in Activity by themselves,
 * and the admin deletes the webhook again (at Linear too). A viewer gets no Create or Delete.
 * No page or API answer the browser receives carries a provider token or the webhook's secret.
 */

/** What provider tokens look like (Linear access tokens, PagerDuty access and refresh tokens). */
const TOKEN_PATTERN = /lin_oauth_|pdus\+_/;
const VIEWER = { email: 'vera@acme.test', name: 'Vera Viewer', password: 'a long enough password', role: 'viewer' as const };
const TITLE = 'Checkout is down';
const TEAMS = ['Engineering', 'Support', 'Product'];

interface SandboxWebhook {
  id: string;
  url: string;
  teamId: string | null;
  secret: string;
  enabled: boolean;
}

describe.skipIf(!chromiumAvailable())('Webhooks and Activity tabs in Chromium', () => {
  let setup: HubWithSandbox;
  let api: HubClient;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  /** Bodies of every answer the hub gave the browser, checked for tokens and secrets at the end. */
  const hubAnswers: Array<Promise<string>> = [];

  beforeAll(async () => {
    assertWebAppBuilt();
    setup = await startHubWithSandbox('sqlite');
    // The admin, the viewer and both connections through the API, with a client that shares
    // nothing with the browser: the connections belong to the organisation.
    api = new HubClient(setup.hub);
    await setupFirstAdmin(api);
    await createUser(api, VIEWER);
    for (const provider of ['pagerduty', 'linear'] as const) {
      const { attempt } = await connectProvider(api, provider);
      expect(attempt?.outcome, `${provider}: ${JSON.stringify(attempt)}`).toBe('succeeded');
    }

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', locale: 'en-GB' });
    page = await context.newPage();
    // Expected: the session check while logged out answers 401.
    problems = watchForProblems(page, (message) => isHttpError(message, 401, '/api/session'));
    page.on('response', (response: Response) => {
      if (response.url().startsWith(setup.hub.url)) hubAnswers.push(response.text().catch(() => ''));
    });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await setup?.close();
  });

  const nav = (p: Page = page) => p.getByRole('navigation', { name: 'Main' });
  const teamsList = (p: Page = page) => p.getByRole('list', { name: 'Linear teams', exact: true });
  const teamRow = (name: string, p: Page = page): Locator =>
    teamsList(p)
      .getByRole('listitem')
      .filter({ has: p.getByRole('heading', { level: 3, name: new RegExp(`^${name}\\b`) }) });
  const statusOf = (row: Locator) => row.locator('.webhook-row-head .status');
  const sandboxWebhooks = async () => (await sandboxControl<{ webhooks: SandboxWebhook[] }>(setup.sandbox.linearUrl, 'GET', '/_sandbox/webhooks')).webhooks;

  async function expectNoToken(p: Page = page): Promise<void> {
    expect(await p.content()).not.toMatch(TOKEN_PATTERN);
  }

  /**
   * Logs in on the login page, entering at /connections. (Not at /webhooks: the hub answers a
   * page load of /webhooks with a JSON 404, see the last test.)
   */
  /** At 1280 px the Activity table fits its card: nothing (e.g. Last error, Replay) is scrolled out of view. */
  async function expectTableFits(): Promise<void> {
    const sizes = await page.locator('.table-scroll').evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
    expect(sizes.scroll, JSON.stringify(sizes)).toBeLessThanOrEqual(sizes.client);
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
  async function openTab(label: 'Webhooks' | 'Activity', p: Page = page): Promise<void> {
    await nav(p).getByRole('link', { name: label, exact: true }).click();
    await p.waitForURL(`**/${label.toLowerCase()}`);
    await p.getByRole('heading', { name: label, exact: true, level: 1 }).waitFor();
  }

  it('creates a team webhook, shows a delivery from a change made in Linear with its job, and deletes the webhook', async () => {
    // 1. Log in through the browser; both providers are already connected.
    await logIn(page, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password);

    // 2. Webhooks: the three teams of the workspace, none with a webhook yet.
    await openTab('Webhooks');
    await teamsList().waitFor();
    expect(await teamsList().getByRole('listitem').count()).toBe(3);
    for (const name of TEAMS) {
      const row = teamRow(name);
      expect(await statusOf(row).textContent()).toBe('Status: No webhook');
      expect(await row.getByText('No webhook yet: rules cannot use this team until it has one.').isVisible()).toBe(true);
      expect(await row.getByRole('button', { name: `Create webhook for ${name}`, exact: true }).isEnabled()).toBe(true);
    }
    expect(await page.getByText('The hub creates one subscription per PagerDuty service when a rule targets it.').isVisible()).toBe(true);
    expect(await page.getByText('Only admins can create and delete webhooks.').count()).toBe(0);
    await expectNoToken();
    await screenshot(page, 'webhooks-empty');

    // Create Engineering's webhook: Active, with the hub's delivery URL for it.
    const engineering = teamRow('Engineering');
    await engineering.getByRole('button', { name: 'Create webhook for Engineering', exact: true }).click();
    await expect.poll(() => statusOf(engineering).textContent()).toBe('Status: Active');
    expect(await engineering.getByRole('status').filter({ hasText: 'Created the webhook for Engineering' }).isVisible()).toBe(true);
    const deliveryUrl = (await engineering.locator('code.copyable-text').textContent()) ?? '';
    const webhookId = new RegExp(`^${setup.hub.url}/webhooks/linear/([^/]+)$`).exec(deliveryUrl)?.[1];
    expect(webhookId, deliveryUrl).toBeDefined();
    const { body: listed } = await api.get<WebhooksResponse>('/api/webhooks');
    expect(listed.linear.teams.find((row) => row.team.name === 'Engineering')?.webhook?.id).toBe(webhookId);
    expect(await engineering.getByText('Last delivery: none yet', { exact: false }).isVisible()).toBe(true);
    expect(await engineering.getByText(`by ${DEFAULT_ADMIN.email}`, { exact: false }).isVisible()).toBe(true);
    expect(await engineering.getByRole('button', { name: 'Delete the webhook for Engineering', exact: true }).isVisible()).toBe(true);
    for (const name of ['Support', 'Product']) expect(await statusOf(teamRow(name)).textContent()).toBe('Status: No webhook');
    // Linear has it too, pointing at that URL, for the Engineering team.
    const atLinear = await sandboxWebhooks();
    expect(atLinear).toHaveLength(1);
    expect(atLinear[0]).toMatchObject({ url: deliveryUrl, enabled: true });
    const secret = atLinear[0]?.secret ?? '';
    expect(secret.length).toBeGreaterThan(8);
    expect(await page.content()).not.toContain(secret);
    await expectNoToken();
    await screenshot(page, 'webhooks-team-created');

    // 3. A person creates an issue in Engineering on the Linear stand-in's page (another tab).
    const linear = await context.newPage();
    const linearProblems = watchForProblems(linear, () => false);
    await linear.goto(setup.sandbox.linearUrl);
    await linear.getByRole('heading', { name: 'Linear sandbox' }).waitFor();
    const acme = linear.locator('section.card', { has: linear.getByRole('heading', { name: 'Acme', exact: true }) });
    await acme.getByRole('link', { name: 'Act as Ada Admin' }).click();
    await linear.getByRole('link', { name: 'Engineering' }).click();
    await linear.getByRole('heading', { name: 'Engineering ENG' }).waitFor();
    const form = linear.locator('section.card', { has: linear.getByRole('heading', { name: 'New issue' }) });
    await form.getByLabel('Title').fill(TITLE);
    await form.getByRole('button', { name: 'Create issue' }).click();
    await linear.waitForURL(/\/acme\/issue\/ENG-\d+\//);
    await linear.getByRole('heading', { name: TITLE }).waitFor();
    const identifier = /\/issue\/(ENG-\d+)\//.exec(linear.url())?.[1] ?? '';
    expect(identifier).toMatch(/^ENG-\d+$/);
    expect(linearProblems).toEqual([]);
    await linear.close();

    // 4. Back in the hub: Activity shows the delivery by itself (auto-refresh), processed.
    await page.bringToFront();
    await openTab('Activity');
    expect(await page.getByRole('tab', { name: 'Deliveries' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.getByLabel('Auto-refresh').isChecked()).toBe(true);
    const delivery = page.getByRole('row').filter({ hasText: TITLE });
    const cells = async () => (await delivery.locator('th, td').allTextContents()).map((text) => text.replace(/\s+/g, ' ').trim());
    // Nobody clicks Refresh: the list polls every 3 s.
    await expect.poll(() => delivery.count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(async () => (await cells())[5], { timeout: 10_000 }).toMatch(/^Outcome: Processed/);
    const [, provider, scope, event, entity, outcome] = await cells();
    expect([provider, scope, event]).toEqual(['Linear', 'Engineering', 'Issue.create']);
    expect(entity).toBe(`Issue ${identifier} ${TITLE}`);
    expect(outcome).toMatch(/^Outcome: Processed/);
    expect(await delivery.locator('.status').textContent()).toBe('Outcome: Processed');
    expect(await delivery.locator('.cell-detail').textContent()).toBe('Recorded for team Engineering of Acme. No rule takes this issue.');
    expect(await page.getByRole('row').count()).toBe(2); // the header and this one delivery
    await expectTableFits();
    await expectNoToken();
    await screenshot(page, 'activity-deliveries');

    // Jobs: the delivery's processing job succeeded at its first attempt.
    await page.getByRole('tab', { name: 'Jobs' }).click();
    await expect.poll(() => new URL(page.url()).search).toBe('?view=jobs');
    const job = page.getByRole('row').filter({ hasText: 'webhook.process_delivery' });
    await job.waitFor();
    expect(await job.count()).toBe(1);
    expect(await job.locator('.status').textContent()).toBe('Status: Succeeded');
    expect(await job.locator('td.cell-number').textContent()).toMatch(/^1\D+\d+$/); // attempt 1 of the kind's maximum
    expect(await job.getByRole('button', { name: /Replay/ }).count()).toBe(0);
    await expectTableFits();
    // The view lives in the address: a reload opens Jobs again.
    await page.reload();
    await job.waitFor();
    expect(await page.getByRole('tab', { name: 'Jobs' }).getAttribute('aria-selected')).toBe('true');
    await expectNoToken();
    await screenshot(page, 'activity-jobs');

    // 5. Webhooks again: Engineering's last delivery is known (after Refresh at the latest).
    await openTab('Webhooks');
    await teamsList().waitFor();
    await page.getByRole('button', { name: 'Refresh webhooks', exact: true }).click();
    await expect.poll(() => engineering.getByText(/^Last delivery:/).textContent()).not.toContain('none yet');
    expect(await engineering.getByText(/^Last delivery:/).textContent()).toMatch(/^Last delivery: \S/);

    // 6. A viewer (own browser context) sees the webhook but no Create or Delete.
    const viewerContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', locale: 'en-GB' });
    try {
      const viewer = await viewerContext.newPage();
      const viewerProblems = watchForProblems(viewer, (message) => isHttpError(message, 401, '/api/session'));
      await logIn(viewer, VIEWER.email, VIEWER.password);
      await openTab('Webhooks', viewer);
      await teamsList(viewer).waitFor();
      await viewer.getByText('Only admins can create and delete webhooks.').waitFor();
      expect(await statusOf(teamRow('Engineering', viewer)).textContent()).toBe('Status: Active');
      expect(await teamRow('Engineering', viewer).locator('code.copyable-text').textContent()).toBe(deliveryUrl);
      expect(await teamsList(viewer).getByRole('button', { name: /Create webhook|Delete/ }).count()).toBe(0);
      await expectNoToken(viewer);
      expect(viewerProblems).toEqual([]);
    } finally {
      await viewerContext.close();
    }

    // 7. Delete Engineering's webhook, confirming in its row: gone in the hub and at Linear.
    await engineering.getByRole('button', { name: 'Delete the webhook for Engineering', exact: true }).click();
    const confirm = engineering.getByRole('group', { name: /^Delete the webhook for Engineering\?/ });
    await confirm.waitFor();
    expect(await confirm.getByRole('button', { name: 'Cancel', exact: true }).evaluate((element) => element === document.activeElement)).toBe(true);
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => statusOf(engineering).textContent()).toBe('Status: No webhook');
    expect(await engineering.getByRole('status').filter({ hasText: 'Deleted the webhook for Engineering.' }).isVisible()).toBe(true);
    expect(await engineering.getByRole('button', { name: 'Create webhook for Engineering', exact: true }).isEnabled()).toBe(true);
    expect(await engineering.locator('code.copyable-text').count()).toBe(0);
    expect(await sandboxWebhooks()).toEqual([]);
    await expectNoToken();

    // Nothing the hub sent the browser carried a token or the webhook's secret; no errors.
    for (const body of await Promise.all(hubAnswers)) {
      expect(body).not.toMatch(TOKEN_PATTERN);
      expect(body).not.toContain(secret);
    }
    expect(hubAnswers.length).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  }, 60_000);

  // A job that gave up is replayed from the Activity tab by an admin, and then runs.
  it('replays a dead job from Activity → Jobs', async () => {
    const { database } = setup.hub.hub.deps;
    const job = await database.db.selectFrom('jobs').select(['id', 'kind']).where('kind', '=', 'webhook.process_delivery').executeTakeFirstOrThrow();
    // What a job looks like after its last attempt failed (no natural way to make one die here).
    await database.db
      .updateTable('jobs')
      .set({ status: 'dead', last_error: 'Linear answered HTTP 500.', attempts: 10, finished_at: Date.now() })
      .where('id', '=', job.id)
      .execute();
    await page.goto(`${setup.hub.url}/activity?view=jobs&status=dead`);
    const row = page.getByRole('row').filter({ hasText: job.kind });
    await row.getByText('Linear answered HTTP 500.').first().waitFor({ timeout: 5_000 });
    await screenshot(page, 'activity-dead-job');
    await row.getByRole('button', { name: `Replay the ${job.kind} job`, exact: true }).click({ timeout: 5_000 });
    await page.getByRole('status').filter({ hasText: `Replayed the ${job.kind} job` }).waitFor({ timeout: 5_000 });
    await expect
      .poll(async () => (await database.db.selectFrom('jobs').select('status').where('id', '=', job.id).executeTakeFirstOrThrow()).status, { timeout: 5_000 })
      .toBe('succeeded');
    expect(problems).toEqual([]);
  }, 30_000);

  // The intake lives under /webhooks/, the Webhooks tab at /webhooks: a page load must get the app.
  it('serves the app on a page load of /webhooks (reload, bookmark, shared link)', async () => {
    const answer = await page.goto(`${setup.hub.url}/webhooks`);
    expect(answer?.status()).toBe(200);
    await page.getByRole('heading', { name: 'Webhooks', exact: true, level: 1 }).waitFor({ timeout: 5_000 });
  }, 15_000);
});

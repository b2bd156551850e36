import type { Browser, BrowserContext, Locator, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ADMIN, HubClient, setupFirstAdmin } from '../helpers/client.js';
import { sandboxControl, startHubWithSandbox, type HubWithSandbox } from '../helpers/connections.js';
import { assertWebAppBuilt, chromiumAvailable, isHttpError, launchChromium, screenshot, watchForProblems } from './browser.js';

/**
 * The Connections tab in Chromium, against the stand-ins configured as the hub's "real"
 * vendors: connect PagerDuty, then Linear, through their consent pages; lose PagerDuty's
 * access and reconnect; disconnect Linear; deny Linear. No page or API answer the browser
 * receives ever carries a provider token.
 */

/** What provider tokens look like (Linear access tokens, PagerDuty access and refresh tokens). */
const TOKEN_PATTERN = /lin_oauth_|pdus\+_/;

const PD_PERMISSIONS = [
  'Read services',
  'Read incidents',
  'Write incidents (create them, change their status, add notes)',
  'Read webhook subscriptions',
  'Create and manage webhooks',
  'Read user information',
  'Read priorities',
];
const LINEAR_PERMISSIONS = [
  'Read your workspace: issues, teams, projects, labels, comments and users',
  'Write to your workspace: create and update issues, post comments',
  'Administer the workspace: create and manage webhooks',
];

describe.skipIf(!chromiumAvailable())('Connections tab in Chromium', () => {
  let setup: HubWithSandbox;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];
  /** Bodies of every answer the hub gave the browser, checked for tokens at the end. */
  const hubAnswers: Array<Promise<string>> = [];

  beforeAll(async () => {
    assertWebAppBuilt();
    setup = await startHubWithSandbox('sqlite');
    await setupFirstAdmin(new HubClient(setup.hub));

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', locale: 'en-GB' });
    page = await context.newPage();
    // Expected 4xx answers: the session check while logged out, the services list once
    // PagerDuty has revoked the hub's access (409 connection_disconnected), and the PagerDuty
    // stand-in's missing favicon (Chromium asks for one on its consent page).
    const pagerdutyOrigin = new URL(setup.sandbox.pagerdutyUrl).origin;
    problems = watchForProblems(
      page,
      (message) =>
        isHttpError(message, 401, '/api/session') ||
        isHttpError(message, 409, '/api/connections/pagerduty/services') ||
        (isHttpError(message, 404, '/favicon.ico') && new URL(message.location().url).origin === pagerdutyOrigin),
    );
    page.on('response', (response: Response) => {
      if (response.url().startsWith(setup.hub.url)) hubAnswers.push(response.text().catch(() => ''));
    });
  });

  afterAll(async () => {
    await browser?.close();
    await setup?.close();
  });

  const card = (name: 'PagerDuty' | 'Linear'): Locator => page.getByRole('region', { name, exact: true });
  const pagerduty = () => card('PagerDuty');
  const linear = () => card('Linear');
  const statusOf = (c: Locator, status: 'Connected' | 'Disconnected' | 'Not connected') => c.getByText(`Status: ${status}`, { exact: true });
  const path = () => new URL(page.url()).pathname;

  /** Neither the page's text nor its markup shows a token. */
  async function expectNoToken(): Promise<void> {
    expect(await page.content()).not.toMatch(TOKEN_PATTERN);
  }

  /** Back on the tab after a consent page, once the hub has said how the attempt went. */
  async function backOnConnections(): Promise<void> {
    await page.waitForURL((url) => url.origin === new URL(setup.hub.url).origin && url.pathname === '/connections');
    await page.getByRole('heading', { name: 'Connections', exact: true, level: 1 }).waitFor();
    await page.getByText('Checking how connecting went…').waitFor({ state: 'detached' });
    // The tab removes ?attempt=… so a reload does not show the outcome again.
    await expect.poll(() => new URL(page.url()).search).toBe('');
  }

  /** On a stand-in's consent page (reached from a Connect click), choose Authorize or Deny. */
  async function consent(provider: 'pagerduty' | 'linear', decision: 'Authorize' | 'Deny', screenshotName?: string): Promise<void> {
    const base = provider === 'pagerduty' ? setup.sandbox.pagerdutyUrl : setup.sandbox.linearUrl;
    await page.waitForURL((url) => url.href.startsWith(`${base}/oauth/authorize?`));
    const heading =
      provider === 'pagerduty' ? 'Authorize Integration Hub (sandbox)' : 'Integration Hub (sandbox) wants to access your Linear workspace';
    await page.getByRole('heading', { name: heading, exact: true }).waitFor();
    const permissions = (await page.locator('ul.scopes li').allTextContents()).map((text) => text.replace(/\s*\([^()]*\)$/, '').trim());
    expect(permissions).toEqual(expect.arrayContaining(provider === 'pagerduty' ? PD_PERMISSIONS : LINEAR_PERMISSIONS));
    // The stand-in preselects the first account (acme / Acme) and its admin.
    if (provider === 'pagerduty') {
      expect(await page.getByLabel('Account').inputValue()).toBe('acme');
      expect(await page.getByLabel('Log in as').locator('option:checked').textContent()).toBe('Ada Admin — admin@acme.example (Admin)');
    } else {
      expect(await page.getByLabel('Workspace').locator('option:checked').textContent()).toBe('Acme');
      expect(await page.getByLabel('Logged in as').locator('option:checked').textContent()).toBe('Ada Admin <ada@acme.example> · Admin');
    }
    await expectNoToken();
    if (screenshotName !== undefined) await screenshot(page, screenshotName);
    await page.getByRole('button', { name: decision, exact: true }).click();
  }

  it('connects PagerDuty then Linear, loses and regains PagerDuty, disconnects Linear and survives a denial', async () => {
    // 1. The admin exists (set up through the API); the browser logs in on the login page.
    await page.goto(`${setup.hub.url}/connections`);
    await page.waitForURL('**/login');
    await page.getByLabel('Email').fill(DEFAULT_ADMIN.email);
    await page.getByLabel('Password').fill(DEFAULT_ADMIN.password);
    await page.getByRole('button', { name: 'Log in' }).click();

    // 2. Back on Connections: nothing connected; Linear waits for PagerDuty.
    await page.waitForURL('**/connections');
    await page.getByRole('heading', { name: 'Connect PagerDuty and Linear to start syncing', exact: true }).waitFor();
    await statusOf(pagerduty(), 'Not connected').waitFor();
    await statusOf(linear(), 'Not connected').waitFor();
    const connectPagerDuty = pagerduty().getByRole('button', { name: 'Connect PagerDuty', exact: true });
    const connectLinear = linear().getByRole('button', { name: 'Connect Linear', exact: true });
    expect(await connectPagerDuty.isEnabled()).toBe(true);
    expect(await connectLinear.isDisabled()).toBe(true);
    const blocked = linear().getByText('Connect PagerDuty first: Linear is connected after PagerDuty, so rules can pick a service.', { exact: true });
    expect(await blocked.isVisible()).toBe(true);
    // The disabled button is described by the sentence saying why.
    const describedBy = (await connectLinear.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe(await blocked.textContent());
    await expectNoToken();
    await screenshot(page, 'connections-empty');

    // 3. Connect PagerDuty: consent page, Authorize, back with the account and its services.
    await connectPagerDuty.click();
    await consent('pagerduty', 'Authorize', 'connect-pagerduty-consent');
    await backOnConnections();
    await statusOf(pagerduty(), 'Connected').waitFor();
    const pdSuccess = pagerduty().getByRole('status').filter({ hasText: 'Connected to the PagerDuty account' });
    expect(await pdSuccess.textContent()).toBe('Connected to the PagerDuty account acme (US) as Ada Admin.');
    expect(await pagerduty().getByText('(subdomain acme, region US)', { exact: true }).isVisible()).toBe(true);
    expect(await pagerduty().getByText(/^Connected as Ada Admin \(admin@acme\.example\)/).isVisible()).toBe(true);
    expect(await pagerduty().getByText(`Connected by ${DEFAULT_ADMIN.email} on `).isVisible()).toBe(true);
    await pagerduty().getByText('32 services', { exact: true }).waitFor();
    const services = pagerduty().getByRole('region', { name: 'PagerDuty services', exact: true });
    expect(await services.getByRole('listitem').count()).toBe(32);
    for (const name of ['Checkout API', 'Payments Gateway', 'Customer Portal']) {
      expect(await services.getByText(name, { exact: true }).count()).toBe(1);
    }
    expect(await pagerduty().getByRole('button', { name: 'Disconnect', exact: true }).isVisible()).toBe(true);
    expect(await pagerduty().getByRole('button', { name: /Connect PagerDuty/ }).count()).toBe(0);
    // Linear can be connected now.
    await expect.poll(() => connectLinear.isEnabled()).toBe(true);
    expect(await blocked.count()).toBe(0);
    await expectNoToken();
    await screenshot(page, 'connections-pagerduty-connected');

    // 4. Connect Linear: consent page, Authorize, back with the workspace and its teams.
    await connectLinear.click();
    await consent('linear', 'Authorize');
    await backOnConnections();
    await statusOf(linear(), 'Connected').waitFor();
    const linearSuccess = linear().getByRole('status').filter({ hasText: 'Connected to the Linear workspace' });
    expect(await linearSuccess.textContent()).toBe('Connected to the Linear workspace Acme as Ada Admin.');
    expect(await linear().getByRole('term').first().textContent()).toBe('Workspace');
    expect(await linear().getByRole('definition').first().textContent()).toMatch(/^Acme \(linear\.app\/[a-z-]+\)$/);
    expect(await linear().getByText(/^Connected as Ada Admin \(ada@acme\.example\)/).isVisible()).toBe(true);
    await linear().getByText('3 teams', { exact: true }).waitFor();
    const teams = linear().getByRole('region', { name: 'Linear teams', exact: true });
    expect(await teams.getByRole('listitem').count()).toBe(3);
    for (const name of ['Engineering', 'Support', 'Product']) {
      expect(await teams.getByText(name, { exact: true }).isVisible()).toBe(true);
    }
    await statusOf(pagerduty(), 'Connected').waitFor();
    await pagerduty().getByText('32 services', { exact: true }).waitFor();
    expect(await page.getByRole('heading', { name: 'Connect PagerDuty and Linear to start syncing' }).count()).toBe(0);
    await expectNoToken();
    await screenshot(page, 'connections-both-connected');

    // 5. PagerDuty revokes the hub's access; Refresh finds out and the card says so.
    const revoked = await sandboxControl<{ revoked: number }>(setup.sandbox.pagerdutyUrl, 'POST', '/_sandbox/tokens/revoke', { all: true });
    expect(revoked.revoked).toBeGreaterThan(0);
    await pagerduty().getByRole('button', { name: 'Refresh services', exact: true }).click();
    await statusOf(pagerduty(), 'Disconnected').waitFor();
    const reason = pagerduty().getByText(/revoked/);
    expect(await reason.first().isVisible()).toBe(true);
    expect(await reason.first().textContent()).toContain('Reconnect PagerDuty');
    const reconnect = pagerduty().getByRole('button', { name: 'Reconnect PagerDuty', exact: true });
    expect(await reconnect.isEnabled()).toBe(true);
    expect(await pagerduty().getByRole('region', { name: 'PagerDuty services', exact: true }).count()).toBe(0);
    // Linear is untouched.
    await statusOf(linear(), 'Connected').waitFor();
    await expectNoToken();
    await screenshot(page, 'connections-pagerduty-disconnected');

    await reconnect.click();
    await consent('pagerduty', 'Authorize');
    await backOnConnections();
    await statusOf(pagerduty(), 'Connected').waitFor();
    expect(await pagerduty().getByRole('status').filter({ hasText: 'Connected to the PagerDuty account' }).textContent()).toBe(
      'Connected to the PagerDuty account acme (US) as Ada Admin.',
    );
    await pagerduty().getByText('32 services', { exact: true }).waitFor();
    expect(await pagerduty().getByText(/revoked/).count()).toBe(0);
    await expectNoToken();

    // 6. Disconnect Linear, confirming in the card.
    await linear().getByRole('button', { name: 'Disconnect', exact: true }).click();
    const confirm = linear().getByRole('group', { name: /^Disconnect Linear\?/ });
    await confirm.waitFor();
    expect(await confirm.getByRole('button', { name: 'Cancel', exact: true }).evaluate((element) => element === document.activeElement)).toBe(true);
    await confirm.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await statusOf(linear(), 'Not connected').waitFor();
    expect(await linear().getByRole('status').filter({ hasText: 'Linear disconnected.' }).isVisible()).toBe(true);
    expect(await connectLinear.isEnabled()).toBe(true);
    expect(await linear().getByRole('button', { name: 'Disconnect', exact: true }).count()).toBe(0);
    expect(await linear().getByRole('region', { name: 'Linear teams', exact: true }).count()).toBe(0);
    await statusOf(pagerduty(), 'Connected').waitFor();
    await expectNoToken();

    // 7. Connect Linear, but Deny on the consent page: an error, nothing connected.
    await connectLinear.click();
    await consent('linear', 'Deny');
    await backOnConnections();
    const denied = linear().getByRole('alert');
    await denied.waitFor();
    expect(await denied.textContent()).toBe(
      'Authorization was denied in Linear, so nothing was connected. Click Connect Linear and choose Authorize to connect.',
    );
    await statusOf(linear(), 'Not connected').waitFor();
    expect(await connectLinear.isEnabled()).toBe(true);
    await statusOf(pagerduty(), 'Connected').waitFor();
    await expectNoToken();

    // Nothing the hub sent the browser carried a token, and nothing went wrong in the page.
    for (const body of await Promise.all(hubAnswers)) expect(body).not.toMatch(TOKEN_PATTERN);
    expect(hubAnswers.length).toBeGreaterThan(10);
    expect(problems).toEqual([]);
    expect(path()).toBe('/connections');
  }, 120_000);
});

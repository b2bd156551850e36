import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { assertWebAppBuilt, chromiumAvailable, isHttpError, launchChromium, screenshot, watchForProblems } from './browser.js';

const ADMIN = { organisation: 'Acme Robotics', name: 'Ada Lovelace', email: 'ada@example.com', password: 'correct horse battery' };
const VIEWER = { name: 'Grace Hopper', email: 'grace@example.com', password: 'temporary password 1' };
const SECOND = { name: 'Alan Turing', email: 'alan@example.com', password: 'temporary password 2' };

/** Each tab: its path, a heading it shows before anything is connected, and the page title. */
const TABS = [
  { label: 'Connections', path: '/connections', heading: 'Connect PagerDuty and Linear to start syncing' },
  { label: 'Webhooks', path: '/webhooks', heading: 'Linear team webhooks' },
  { label: 'Rules', path: '/rules', heading: 'No rules yet' },
  { label: 'Activity', path: '/activity', heading: 'Activity' },
  { label: 'Settings', path: '/settings', heading: 'Users' },
] as const;

describe.skipIf(!chromiumAvailable())('web shell in Chromium', () => {
  let hub: TestHub;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    assertWebAppBuilt();
    hub = await startTestHub('sqlite');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', locale: 'en-GB' });
    page = await context.newPage();
    // Expected 4xx answers: the session check while logged out, and the deliberate wrong
    // password and duplicate email below.
    problems = watchForProblems(
      page,
      (message) =>
        isHttpError(message, 401, '/api/session') || isHttpError(message, 409, '/api/users'),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  const nav = () => page.getByRole('navigation', { name: 'Main' });
  const path = () => new URL(page.url()).pathname;

  async function expectTab(tab: (typeof TABS)[number]): Promise<void> {
    await page.waitForURL(`**${tab.path}`);
    await expect.poll(() => page.getByRole('heading', { name: tab.heading, exact: true }).isVisible()).toBe(true);
    expect(await nav().getByRole('link', { name: tab.label }).getAttribute('aria-current')).toBe('page');
    expect(await nav().locator('[aria-current="page"]').count()).toBe(1);
    expect(await page.title()).toBe(`${tab.label} · Integration Hub`);
  }

  it('creates the first admin, visits every tab, manages users, and logs in again as a viewer', async () => {
    // First visit: no users yet, so the hub asks for the first admin.
    await page.goto(hub.url);
    await page.waitForURL('**/setup');
    await expect.poll(() => page.getByRole('heading', { name: 'Create the first admin' }).isVisible()).toBe(true);
    await screenshot(page, 'setup');

    // The browser checks the form before asking the hub; errors are tied to their fields.
    await page.getByLabel('Password', { exact: true }).fill('too short');
    await page.getByRole('button', { name: 'Create admin and continue' }).click();
    const password = page.getByLabel('Password', { exact: true });
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await password.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy.split(' ').at(-1)}"]`).textContent()).toBe('Use at least 12 characters.');

    await page.getByLabel('Organisation name').fill(ADMIN.organisation);
    await page.getByLabel('Your name').fill(ADMIN.name);
    await page.getByLabel('Email').fill(ADMIN.email);
    await password.fill(ADMIN.password);
    await page.getByLabel('Confirm password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create admin and continue' }).click();

    // Lands on Connections, then every tab through the navigation.
    await expectTab(TABS[0]);
    expect(await page.getByRole('heading', { name: 'PagerDuty', exact: true }).isVisible()).toBe(true);
    expect(await page.getByText('Not connected').count()).toBe(2);
    for (const tab of TABS) {
      await nav().getByRole('link', { name: tab.label }).click();
      await expectTab(tab);
      // settings.png is taken below, once the table has more than one user.
      if (tab.path !== '/settings') await screenshot(page, tab.label.toLowerCase());
    }

    // Back and forward move between tabs like any website.
    await page.goBack();
    await expectTab(TABS[3]);
    await page.goBack();
    await expectTab(TABS[2]);
    await page.goForward();
    await expectTab(TABS[3]);
    await nav().getByRole('link', { name: 'Settings' }).click();
    await expectTab(TABS[4]);

    // Settings: add a viewer and another user, then make the second an admin.
    const addUser = page.getByRole('region', { name: 'Add user' });
    async function add(user: { name: string; email: string; password: string }, role: 'Admin' | 'Viewer'): Promise<void> {
      await addUser.getByLabel('Name').fill(user.name);
      await addUser.getByLabel('Email').fill(user.email);
      await addUser.getByLabel('Password', { exact: true }).fill(user.password);
      await addUser.getByLabel('Role').selectOption({ label: role });
      await addUser.getByRole('button', { name: 'Add user' }).click();
    }
    const users = page.getByRole('table', { name: 'Users of this organisation' });
    await add(VIEWER, 'Viewer');
    await users.getByRole('rowheader', { name: VIEWER.name }).waitFor();
    await add(SECOND, 'Viewer');
    await users.getByRole('rowheader', { name: SECOND.name }).waitFor();
    expect(await users.getByRole('row').count()).toBe(4);

    await page.getByLabel(`Role of ${SECOND.name}`).selectOption('admin');
    await page.getByText(`${SECOND.name} is now an admin.`).waitFor();
    expect(await page.getByLabel(`Role of ${SECOND.name}`).inputValue()).toBe('admin');

    await screenshot(page, 'settings');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'settings-mobile');
    await page.setViewportSize({ width: 1280, height: 800 });

    // The hub's own errors are shown next to the field they are about.
    await add(VIEWER, 'Viewer');
    const email = addUser.getByLabel('Email');
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    const emailError = (await email.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${emailError}"]`).textContent()).not.toBe('');

    // The user menu: keyboard reachable, Escape closes it, Log out ends the session.
    const menuButton = page.getByRole('button', { name: ADMIN.name });
    await menuButton.focus();
    await page.keyboard.press('Enter');
    expect(await menuButton.getAttribute('aria-expanded')).toBe('true');
    const account = page.getByRole('dialog', { name: 'Your account' });
    expect(await account.getByText(ADMIN.email).isVisible()).toBe(true);
    expect(await account.getByText(ADMIN.organisation).isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await menuButton.getAttribute('aria-expanded')).toBe('false');
    expect(await menuButton.evaluate((element) => element === document.activeElement)).toBe(true);
    await menuButton.click();
    await account.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    expect(await page.getByText('You have logged out.').isVisible()).toBe(true);

    // A fresh visit to a tab while logged out shows Log in.
    await page.goto(`${hub.url}/rules`);
    await page.waitForURL('**/login');
    await expect.poll(() => page.getByRole('heading', { name: 'Log in to Integration Hub' }).isVisible()).toBe(true);
    expect(await page.title()).toBe('Log in to Integration Hub · Integration Hub');
    await screenshot(page, 'login');

    await page.getByLabel('Email').fill(VIEWER.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).not.toBe('');
    await page.getByLabel('Password').fill(VIEWER.password);
    await page.getByRole('button', { name: 'Log in' }).click();

    // Back where the visit started; a viewer reads roles but cannot change them.
    await expectTab(TABS[2]);
    await nav().getByRole('link', { name: 'Settings' }).click();
    await expectTab(TABS[4]);
    await users.getByRole('rowheader', { name: ADMIN.name }).waitFor();
    expect(await page.getByText('Only admins can change users').isVisible()).toBe(true);
    expect(await page.getByRole('combobox').count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Add user' }).count()).toBe(0);
    expect(await page.getByRole('textbox').count()).toBe(0);

    expect(problems).toEqual([]);
    expect(path()).toBe('/settings');
  }, 120_000);
});

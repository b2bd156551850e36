import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, createUser, DEFAULT_ADMIN, setupFirstAdmin } from '../helpers/client.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { assertWebAppBuilt, chromiumAvailable, isHttpError, launchChromium, watchForProblems } from './browser.js';

const GRACE = { email: 'grace@acme.test', name: 'Grace Hopper', password: 'grace has a password', role: 'viewer' as const };
const GRACE_NEW = 'grace picked this phrase';

/**
 * The user lifecycle in Chromium, two people at once: an admin resets Grace's password and
 * reads the temporary password once; Grace logs in with it and must choose her own before
 * the app opens; the admin deactivates her and her open page drops to Log in.
 */
describe.skipIf(!chromiumAvailable())('user lifecycle in Chromium', () => {
  let hub: TestHub;
  let browser: Browser;
  let admin: Page;
  let grace: Page;
  const problems: string[][] = [];

  beforeAll(async () => {
    assertWebAppBuilt();
    hub = await startTestHub('sqlite');
    const api = client(hub);
    await setupFirstAdmin(api);
    await createUser(api, GRACE);
    browser = await launchChromium();
    const open = async () => {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' })).newPage();
      // Expected: the session check while logged out, and Grace's session ending (401s: Activity's list and its reconciliation line).
      problems.push(
        watchForProblems(
          page,
          (message) =>
            isHttpError(message, 401, '/api/session') ||
            isHttpError(message, 401, '/api/activity/deliveries') ||
            isHttpError(message, 401, '/api/activity/reconciliation'),
        ),
      );
      return page;
    };
    admin = await open();
    grace = await open();
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  async function logIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${hub.url}/login`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
  }

  async function act(action: string, confirmLabel = action): Promise<void> {
    const row = admin.getByRole('row').filter({ has: admin.getByRole('rowheader', { name: GRACE.name }) });
    await row.getByRole('button', { name: `Manage ${GRACE.name}` }).click();
    await row.getByRole('button', { name: `${action} ${GRACE.name}` }).click();
    await row.getByRole('group').getByRole('button', { name: confirmLabel, exact: true }).click();
  }

  it('resets, forces a new password, then deactivates', async () => {
    await logIn(admin, DEFAULT_ADMIN.email, DEFAULT_ADMIN.password);
    await admin.waitForURL('**/connections');
    await admin.getByRole('link', { name: 'Settings' }).click();

    await act('Reset password');
    const reveal = admin.getByRole('status', { name: `Temporary password for ${GRACE.name}` });
    const temporary = (await reveal.locator('code').textContent()) ?? '';
    expect(temporary).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    expect(await admin.evaluate(() => document.activeElement?.className)).toContain('temporary-password');

    await logIn(grace, GRACE.email, GRACE.password);
    expect(await grace.getByRole('alert').textContent()).not.toBe('');
    await grace.getByLabel('Password').fill(temporary);
    await grace.getByRole('button', { name: 'Log in' }).click();
    await grace.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await grace.getByLabel('Current password').fill(temporary);
    await grace.getByLabel('New password', { exact: true }).fill(GRACE_NEW);
    await grace.getByLabel('Confirm new password').fill(GRACE_NEW);
    await grace.getByRole('button', { name: 'Set password and continue' }).click();
    await grace.getByRole('navigation', { name: 'Main' }).waitFor();

    await reveal.getByRole('button', { name: 'Done' }).click();
    expect(await admin.getByText(temporary).count()).toBe(0);
    await act('Deactivate');
    const graceRow = admin.getByRole('row').filter({ has: admin.getByRole('rowheader', { name: GRACE.name }) });
    await expect.poll(() => graceRow.getByText('Deactivated').count()).toBe(1);

    // Grace's open page: her next request is refused and she is back at Log in.
    await grace.getByRole('link', { name: 'Activity' }).click();
    await grace.waitForURL('**/login');
    expect(await grace.getByText('Your session has ended. Log in again to continue.').isVisible()).toBe(true);

    expect(problems.flat()).toEqual([]);
  }, 60_000);
});

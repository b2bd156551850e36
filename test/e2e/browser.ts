import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { packageRoot } from '../../src/core/package-root.js';
import { requirePrerequisite } from '../helpers/prerequisites.js';

/** Debian's Chromium; playwright-core never downloads a browser of its own. */
export const CHROMIUM = '/usr/bin/chromium';

/** False (with a notice) on a laptop without Chromium; throws under CI=true. */
export function chromiumAvailable(): boolean {
  return requirePrerequisite(`Chromium (${CHROMIUM})`, existsSync(CHROMIUM));
}

export const SCREENSHOTS = path.join(packageRoot(), 'docs', 'images');

/** The browser tests need the built web app; `npm test` builds it first. */
export function assertWebAppBuilt(): void {
  const index = path.join(packageRoot(), 'dist', 'web', 'index.html');
  if (!existsSync(index)) {
    throw new Error(`${index} is missing: run \`npm run build:web\` before the browser tests (\`npm test\` builds it).`);
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/**
 * Records console errors, uncaught exceptions and CSP violations. `expected` lists console
 * errors that are part of the flow (Chromium logs every 4xx answer, e.g. the 401 of
 * GET /api/session while logged out).
 */
export function watchForProblems(page: Page, expected: (message: ConsoleMessage) => boolean): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error' || expected(message)) return;
    problems.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // Runs through the DevTools protocol, so the page's CSP does not block it.
  void page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline code'}`);
    });
  });
  return problems;
}

/** A console error Chromium prints for a 4xx answer to `pathname` with the given status. */
export function isHttpError(message: ConsoleMessage, status: number, pathname: string): boolean {
  const url = message.location().url;
  return message.text().includes(`status of ${status}`) && url !== '' && new URL(url).pathname === pathname;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  // From the top, so the sticky header is drawn where it belongs in a full-page capture.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: 'disabled', caret: 'hide' });
}

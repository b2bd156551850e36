import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../sandbox/index.js';
import { freePort } from '../helpers/hub.js';
import { chromiumAvailable, launchChromium, screenshot, SCREENSHOTS, watchForProblems } from './browser.js';

/**
 * The sandbox's pages for people, as a newcomer meets them in the demo: the minimal Linear and
 * PagerDuty, and both OAuth consent pages. Every change made by clicking must reach a webhook
 * receiver as a signed delivery, and no page may log an error or break its CSP.
 */

interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver on 127.0.0.1:0 that records every request and answers 200. */
async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const hmacHex = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function postJson<T>(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: T }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as T };
}

const CLIENT_ID = 'integration-hub-sandbox';
const CLIENT_SECRET = 'integration-hub-sandbox-secret';
const PD_SCOPES = 'services.read incidents.read incidents.write webhook_subscriptions.read webhook_subscriptions.write users.read priorities.read';
const PD_SCOPE_WORDS = [
  'Read services',
  'Read incidents',
  'Write incidents (create them, change their status, add notes)',
  'Read webhook subscriptions',
  'Create and manage webhooks',
  'Read user information',
  'Read priorities',
];
const LINEAR_SCOPES = 'read,write,admin';
const LINEAR_SCOPE_WORDS = [
  'Read your workspace: issues, teams, projects, labels, comments and users',
  'Write to your workspace: create and update issues, post comments',
  'Administer the workspace: create and manage webhooks',
];
const ACME_ENG = '9874f2c6-57b4-4582-95f1-f33e9244eeb5';
const PD_EVENTS = ['incident.triggered', 'incident.acknowledged', 'incident.annotated', 'incident.resolved', 'incident.reopened'];

describe.skipIf(!chromiumAvailable())('sandbox pages in Chromium', () => {
  let sandbox: RunningSandbox;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let browser: Browser;
  let context: BrowserContext;
  /** Where the (absent) hub would receive OAuth callbacks; the browser's requests to it are intercepted. */
  let hubUrl: string;
  /** Node talks to the stand-ins on 127.0.0.1; the browser uses their advertised localhost URLs. */
  let pdApi: string;
  let linearApi: string;
  let pdSecret: string;
  let linearSecret: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    receiver = await startReceiver();
    hubUrl = `http://127.0.0.1:${await freePort()}`;
    const [pagerdutyPort, linearPort] = [await freePort(), await freePort()];
    sandbox = await startSandbox({ host: '127.0.0.1', pagerdutyPort, linearPort, hubPublicUrl: new URL(hubUrl) });
    pdApi = `http://127.0.0.1:${pagerdutyPort}`;
    linearApi = `http://127.0.0.1:${linearPort}`;

    // PagerDuty: a subscription for Checkout API's incident events, with an admin's token.
    const pdToken = (await postJson<{ access_token: string }>(`${pdApi}/_sandbox/tokens`, { account: 'acme' })).json.access_token;
    const sub = await postJson<{ webhook_subscription: { id: string; delivery_method: { secret: string } } }>(
      `${pdApi}/webhook_subscriptions`,
      {
        webhook_subscription: {
          type: 'webhook_subscription',
          delivery_method: { type: 'http_delivery_method', url: `${receiver.url}/webhooks/pagerduty` },
          events: PD_EVENTS,
          filter: { type: 'service_reference', id: 'PSVC001' },
          description: 'sandbox-pages e2e',
        },
      },
      { authorization: `Bearer ${pdToken}`, accept: 'application/vnd.pagerduty+json;version=2' },
    );
    expect(sub.status, JSON.stringify(sub.json)).toBe(200); // PagerDuty's OAS: 200, not 201, for a new subscription
    pdSecret = sub.json.webhook_subscription.delivery_method.secret;
    expect(pdSecret).toEqual(expect.any(String));

    // Linear: a webhook for Acme Engineering's issues and comments, with the admin's token.
    const linearToken = (await postJson<{ access_token: string }>(`${linearApi}/_sandbox/tokens`, { workspace: 'Acme' })).json.access_token;
    const hook = await postJson<{ data: { webhookCreate: { success: boolean; webhook: { secret: string } } } }>(
      `${linearApi}/graphql`,
      {
        query: `mutation Hook($url: String!, $teamId: String!) {
          webhookCreate(input: { url: $url, teamId: $teamId, resourceTypes: ["Issue", "Comment"], label: "sandbox-pages e2e" }) { success webhook { id secret } }
        }`,
        variables: { url: `${receiver.url}/webhooks/linear`, teamId: ACME_ENG },
      },
      { authorization: `Bearer ${linearToken}` },
    );
    expect(hook.status).toBe(200);
    expect(hook.json.data.webhookCreate.success).toBe(true);
    linearSecret = hook.json.data.webhookCreate.webhook.secret;

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light', locale: 'en-GB' });
    // The hub is not running: answer its OAuth callback with a tiny page, like the hub would.
    await context.route(`${hubUrl}/oauth/**`, (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>Callback</title><p>Back at the hub.</p>' }),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    await receiver?.close();
  });

  /** A fresh tab whose console errors, page errors and CSP violations are collected. */
  async function openPage(): Promise<{ page: Page; problems: string[] }> {
    const page = await context.newPage();
    return { page, problems: watchForProblems(page, () => false) };
  }

  const deliveries = (path: string) => receiver.received.filter((r) => r.path === path);

  it('Linear: creates an issue through the form, starts it and comments, with signed webhooks for each', async () => {
    const { page, problems } = await openPage();
    const title = 'Checkout times out under load';

    // The home page asks for a workspace and who to act as.
    await page.goto(sandbox.linearUrl);
    await page.getByRole('heading', { name: 'Linear sandbox' }).waitFor();
    const acme = page.locator('section.card', { has: page.getByRole('heading', { name: 'Acme', exact: true }) });
    await acme.getByRole('link', { name: 'Act as Max Member' }).click();
    await page.getByRole('link', { name: 'Engineering' }).click();
    await page.waitForURL(/\/acme\/team\/ENG\?as=/);
    await page.getByRole('heading', { name: 'Engineering ENG' }).waitFor();
    expect(await page.locator('.who').textContent()).toContain('acting as Max Member');

    // New issue: title, description, priority High, a label and a project.
    const form = page.locator('section.card', { has: page.getByRole('heading', { name: 'New issue' }) });
    await form.getByLabel('Title').fill(title);
    await form.getByLabel('Description').fill('p99 above 3 s since the last deploy.');
    await form.getByLabel('Priority').selectOption({ label: 'High' });
    await form.getByLabel('Project').selectOption({ label: 'Incident Readiness' });
    await form.getByLabel('Bug', { exact: true }).check();
    await form.getByRole('button', { name: 'Create issue' }).click();

    // Lands on the new issue.
    await page.waitForURL(/\/acme\/issue\/ENG-13\//);
    await page.getByRole('heading', { name: title }).waitFor();
    const pills = () => page.locator('.card .pill').allTextContents();
    expect(await pills()).toEqual(expect.arrayContaining(['Triage', 'High', 'Bug', 'Incident Readiness']));

    // And in the team's list, newest first.
    await page.getByRole('navigation').getByRole('link', { name: 'Engineering' }).click();
    const row = page.getByRole('row').filter({ hasText: title });
    await row.waitFor();
    expect(await page.getByRole('row').nth(1).textContent()).toContain(title);
    const cells = (await row.getByRole('cell').allTextContents()).map((c) => c.replace(/\s+/g, ' ').trim());
    expect(cells).toEqual(['ENG-13', title, 'Triage triage', 'High', 'Bug', 'Incident Readiness']);

    // Start it.
    await row.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { name: title }).waitFor();
    await page.getByLabel('State').selectOption({ label: 'In Progress (started)' });
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(pills).toContain('In Progress');
    expect(await pills()).not.toContain('Triage');

    // Comment on it.
    const comment = 'Rolled back the connection-pool change; watching p99.';
    await page.getByLabel('Comment').fill(comment);
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    const posted = page.locator('.comment', { hasText: comment });
    await posted.waitFor();
    expect(await posted.locator('strong').textContent()).toBe('Max Member');

    await page.getByRole('navigation').getByRole('link', { name: 'Engineering' }).click();
    await expect.poll(() => row.getByRole('cell').nth(2).textContent()).toMatch(/In Progress\s+started/);
    await screenshot(page, 'sandbox-linear');

    // Three signed deliveries: Issue create, Issue update (state, with updatedFrom), Comment create.
    await expect.poll(() => deliveries('/webhooks/linear').length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    const hooks = deliveries('/webhooks/linear').map((r) => ({ ...r, payload: JSON.parse(r.body) as Record<string, any> }));
    for (const hook of hooks) {
      expect(hook.headers['linear-signature']).toBe(hmacHex(linearSecret, hook.body));
      expect(hook.headers['linear-delivery']).toMatch(/^[0-9a-f-]{36}$/);
      expect(hook.payload.actor).toMatchObject({ type: 'user', name: 'Max Member' });
    }
    const create = hooks.find((h) => h.headers['linear-event'] === 'Issue' && h.payload.action === 'create');
    expect(create?.payload.data).toMatchObject({ identifier: 'ENG-13', title, priority: 2, priorityLabel: 'High' });
    expect(create?.payload.data.labels).toEqual([expect.objectContaining({ name: 'Bug' })]);
    expect(create?.payload.data.project).toMatchObject({ name: 'Incident Readiness' });
    const update = hooks.find((h) => h.headers['linear-event'] === 'Issue' && h.payload.action === 'update');
    expect(update?.payload.data.state).toMatchObject({ name: 'In Progress', type: 'started' });
    expect(update?.payload.updatedFrom).toMatchObject({ stateId: create?.payload.data.stateId, updatedAt: expect.any(String) });
    const commented = hooks.find((h) => h.headers['linear-event'] === 'Comment');
    expect(commented?.payload).toMatchObject({ action: 'create', type: 'Comment', data: { body: comment, issueId: create?.payload.data.id } });

    // The stand-in's own record agrees: every attempt delivered with a 2xx.
    const { deliveries: attempts } = (await (await fetch(`${linearApi}/_sandbox/deliveries?waitIdleMs=2000`)).json()) as {
      deliveries: Array<{ status?: number; outcome: string }>;
    };
    expect(attempts.length).toBe(hooks.length);
    expect(attempts.every((a) => a.outcome === 'delivered' && a.status !== undefined && a.status >= 200 && a.status < 300)).toBe(true);

    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it('PagerDuty: triggers an incident, then Acknowledge, Add note, Resolve and Reopen, with signed webhooks for each', async () => {
    const { page, problems } = await openPage();
    const title = 'Checkout API 5xx spike';

    await page.goto(sandbox.pagerdutyUrl);
    await page.getByRole('heading', { name: 'Trigger an incident' }).waitFor();
    expect(await page.title()).toBe('Acme Corp incidents · PagerDuty (sandbox)');
    await page.getByLabel('Acting as').selectOption({ label: 'Max Manager (Manager)' });
    await page.getByRole('button', { name: 'Switch' }).click();
    await page.waitForURL(/as=PUSR002/);

    // The page offers a Trigger form; use it on the subscribed service.
    await page.getByLabel('Service').selectOption({ label: 'Checkout API' });
    await page.getByLabel('Title').fill(title);
    await page.getByRole('button', { name: 'Trigger' }).click();
    await page.getByText('Triggered #1.').waitFor();

    const service = page.locator('#service-PSVC001');
    expect(await service.getByRole('heading').textContent()).toContain('Checkout API');
    const incident = service.locator('.incident', { hasText: title });
    const status = () => incident.locator('.status').textContent();
    expect(await status()).toBe('triggered');

    await incident.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByText('#1 is now acknowledged.').waitFor();
    expect(await status()).toBe('acknowledged');
    expect(await incident.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);

    const note = 'Rolled back deploy 4711; error rate falling.';
    await incident.getByLabel('Note for #1').fill(note);
    await incident.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('Note added to #1.').waitFor();
    expect(await incident.locator('.notes li').allTextContents()).toEqual([`Max Manager: ${note}`]);

    await incident.getByRole('button', { name: 'Resolve' }).click();
    await page.getByText('#1 is now resolved.').waitFor();
    expect(await status()).toBe('resolved');

    await incident.getByRole('button', { name: 'Reopen' }).click();
    await page.getByText('#1 is now reopened (triggered).').waitFor();
    expect(await status()).toBe('triggered');
    expect(await incident.textContent()).toContain('reopened');
    await screenshot(page, 'sandbox-pagerduty');

    await expect.poll(() => deliveries('/webhooks/pagerduty').length, { timeout: 10_000 }).toBe(PD_EVENTS.length);
    const hooks = deliveries('/webhooks/pagerduty').map((r) => ({ ...r, event: (JSON.parse(r.body) as { event: Record<string, any> }).event }));
    expect(hooks.map((h) => h.event.event_type)).toEqual(PD_EVENTS);
    for (const hook of hooks) {
      expect(hook.headers['x-pagerduty-signature']).toBe(`v1=${hmacHex(pdSecret, hook.body)}`);
      expect(hook.event.agent).toMatchObject({ id: 'PUSR002' });
      expect(hook.event.client).toEqual({ name: 'PagerDuty' });
    }
    expect(hooks[2]!.event.data).toMatchObject({ type: 'incident_note', content: note });
    expect(hooks.filter((h) => h.event.data.type === 'incident').map((h) => h.event.data.title)).toEqual(Array(4).fill(title));

    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  /** Each stand-in's consent page: what it shows, then Authorize (code → token) and Deny. */
  const CONSENT = [
    {
      provider: 'pagerduty',
      api: () => pdApi,
      browserUrl: () => sandbox.pagerdutyUrl,
      scope: PD_SCOPES,
      heading: 'Authorize Integration Hub (sandbox)',
      words: [...PD_SCOPE_WORDS, 'Know who you are (your user, account and region)'],
      picker: { label: 'Account', option: 'Acme Corp (acme, US service region)' },
      user: { label: 'Log in as', option: 'Ada Admin — admin@acme.example (Admin)' },
      tokenForm: (code: string, redirectUri: string, verifier: string) => ({ client_secret: CLIENT_SECRET, code, redirect_uri: redirectUri, code_verifier: verifier }),
      accessToken: /^pdus\+_0/,
      deniedDescription: 'The resource owner or authorization server denied the request.',
    },
    {
      provider: 'linear',
      api: () => linearApi,
      browserUrl: () => sandbox.linearUrl,
      scope: LINEAR_SCOPES,
      heading: 'Integration Hub (sandbox) wants to access your Linear workspace',
      words: LINEAR_SCOPE_WORDS,
      picker: { label: 'Workspace', option: 'Acme' },
      user: { label: 'Logged in as', option: 'Ada Admin <ada@acme.example> · Admin' },
      tokenForm: (code: string, redirectUri: string, verifier: string) => ({ code, redirect_uri: redirectUri, code_verifier: verifier }),
      accessToken: /^lin_oauth_/,
      deniedDescription: undefined,
    },
  ] as const;

  for (const c of CONSENT) {
    it(`${c.provider} consent page: names the app, lists permissions in words, Authorize gives a code for a token, Deny gives access_denied`, async () => {
      const { page, problems } = await openPage();
      const redirectUri = `${hubUrl}/oauth/${c.provider}/callback`;
      const authorizeUrl = (state: string, challenge: string) =>
        `${c.browserUrl()}/oauth/authorize?${new URLSearchParams({
          client_id: CLIENT_ID,
          redirect_uri: redirectUri,
          response_type: 'code',
          scope: c.scope,
          state,
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }).toString()}`;
      const callback = async (): Promise<URLSearchParams> => {
        await page.waitForURL((url) => url.href.startsWith(`${redirectUri}?`));
        expect(await page.getByText('Back at the hub.').isVisible()).toBe(true);
        return new URL(page.url()).searchParams;
      };

      // Authorize.
      const { verifier, challenge } = pkce();
      const state = randomBytes(16).toString('base64url');
      await page.goto(authorizeUrl(state, challenge));
      await page.getByRole('heading', { name: c.heading }).waitFor();
      expect(await page.getByText('Integration Hub (sandbox)').first().isVisible()).toBe(true);
      const items = (await page.locator('ul.scopes li').allTextContents()).map((t) => t.replace(/\s*\([^()]*\)$/, '').trim());
      expect(items).toEqual(expect.arrayContaining([...c.words]));
      const workspace = page.getByLabel(c.picker.label);
      const user = page.getByLabel(c.user.label);
      expect(await workspace.locator('option').count()).toBeGreaterThanOrEqual(2);
      expect(await user.locator('option').count()).toBeGreaterThanOrEqual(4);
      expect(await page.getByRole('button', { name: 'Authorize' }).isVisible()).toBe(true);
      expect(await page.getByRole('button', { name: 'Deny' }).isVisible()).toBe(true);
      await workspace.selectOption({ label: c.picker.option });
      await user.selectOption({ label: c.user.option });
      await screenshot(page, `sandbox-consent-${c.provider}`);
      await page.getByRole('button', { name: 'Authorize' }).click();
      const granted = await callback();
      expect(granted.get('state')).toBe(state);
      const code = granted.get('code');
      expect(code).toEqual(expect.any(String));
      expect(granted.get('error')).toBeNull();

      // The hub's half, from Node: the code and the verifier for a token.
      const res = await fetch(`${c.api()}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', client_id: CLIENT_ID, ...c.tokenForm(code!, redirectUri, verifier) }),
      });
      const token = (await res.json()) as { access_token?: string; refresh_token?: string; token_type?: string; scope?: string };
      expect(res.status, JSON.stringify(token)).toBe(200);
      expect(token.access_token).toMatch(c.accessToken);
      expect(token.refresh_token).toEqual(expect.any(String));
      expect(token.token_type?.toLowerCase()).toBe('bearer');

      // Deny.
      const denial = pkce();
      const deniedState = randomBytes(16).toString('base64url');
      await page.goto(authorizeUrl(deniedState, denial.challenge));
      await page.getByRole('button', { name: 'Deny' }).click();
      const denied = await callback();
      expect(denied.get('error')).toBe('access_denied');
      expect(denied.get('state')).toBe(deniedState);
      expect(denied.get('code')).toBeNull();
      if (c.deniedDescription) expect(denied.get('error_description')).toBe(c.deniedDescription);

      expect(problems).toEqual([]);
      await page.close();
    }, 60_000);
  }
});

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OPS } from './operations.js';
import { SEED_IDS, seedId } from './seed.js';
import { eventually, startLinearSandbox, startReceiver, type Receiver, type RunningLinearSandbox } from './testing.js';

const NO_INLINE = /<script|\sstyle=|\son[a-z]+=/i;

describe('Linear stand-in: the page for people', () => {
  let sb: RunningLinearSandbox;
  let receiver: Receiver;
  beforeAll(async () => {
    sb = await startLinearSandbox();
  });
  afterAll(async () => sb?.close());
  beforeEach(async () => {
    await sb.reset();
    receiver = await startReceiver();
    await sb.graphql(OPS.HookAllTeams, { url: receiver.url }, await sb.token());
  });
  afterEach(async () => receiver.close());

  const get = async (path: string) => {
    const res = await fetch(`${sb.url}${path}`);
    return { res, html: await res.text() };
  };
  const post = (path: string, form: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const value of [v].flat()) body.append(k, value);
    return fetch(`${sb.url}${path}`, { method: 'POST', body, redirect: 'manual' });
  };

  it('lists workspaces and their users to act as, under a strict CSP with an external stylesheet', async () => {
    const { res, html } = await get('/');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(html).toContain('Acme');
    expect(html).toContain('Globex');
    expect(html).toContain(`/acme/team/ENG?as=${SEED_IDS.acme.member}`);
    expect(html).toContain('<link rel="stylesheet" href="/static/linear.css">');
    expect(html).not.toMatch(NO_INLINE);
    const css = await fetch(`${sb.url}/static/linear.css`);
    expect(css.headers.get('content-type')).toContain('text/css');
  });

  it('shows a team’s issues and a new-issue form with priority, labels, project and state', async () => {
    const { html } = await get(`/acme/team/SUP?as=${SEED_IDS.acme.member}`);
    expect(html).toContain('Customer cannot reset password');
    expect(html).toContain('acting as <strong>Max Member</strong>');
    for (const field of ['name="title"', 'name="description"', 'name="priority"', 'name="labelIds"', 'name="projectId"', 'name="stateId"']) expect(html).toContain(field);
    expect(html).not.toMatch(NO_INLINE);
  });

  it('creates an issue from the form as the chosen user, which reaches webhooks with that actor', async () => {
    const res = await post('/_sandbox/ui/issues', {
      as: SEED_IDS.acme.member,
      teamId: SEED_IDS.acme.teams.SUP,
      title: 'Checkout page is blank',
      description: 'Since 10:02',
      priority: '1',
      stateId: seedId('state', 'acme', 'SUP', 'Todo'),
      projectId: seedId('project', 'acme', 'Help Center'),
      labelIds: [seedId('label', 'acme', 'Bug'), seedId('label', 'acme', 'SUP', 'Customer')],
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/acme/issue/SUP-5/checkout-page-is-blank?as=${SEED_IDS.acme.member}`);
    const [got] = await eventually(() => receiver.received.length === 1 && receiver.received);
    const body = JSON.parse(got!.body) as { action: string; actor: { id: string }; data: Record<string, unknown> };
    expect(body).toMatchObject({ action: 'create', actor: { id: SEED_IDS.acme.member }, data: { identifier: 'SUP-5', priority: 1, state: { name: 'Todo' } } });
    expect(body.data.labelIds).toHaveLength(2);
  });

  it('changes state and priority, and comments, from the issue page', async () => {
    const issueId = seedId('issue', 'acme', 'ENG-3');
    const page = await get(`/acme/issue/ENG-3?as=${SEED_IDS.acme.admin}`);
    expect(page.html).toContain('Retry failed webhooks from the payment provider');
    expect(page.html).toContain(`action="/_sandbox/ui/issues/${issueId}"`);
    expect(page.html).not.toMatch(NO_INLINE);
    const moved = await post(`/_sandbox/ui/issues/${issueId}`, { as: SEED_IDS.acme.admin, stateId: seedId('state', 'acme', 'ENG', 'Done'), priority: '2' });
    expect(moved.status).toBe(303);
    const commented = await post(`/_sandbox/ui/issues/${issueId}/comments`, { as: SEED_IDS.acme.admin, body: 'Shipped' });
    expect(commented.status).toBe(303);
    await eventually(() => receiver.received.length === 2);
    const bodies = receiver.received.map((r) => JSON.parse(r.body) as { type: string; updatedFrom?: Record<string, unknown>; data: Record<string, unknown> });
    const [update, comment] = [bodies.find((b) => b.type === 'Issue'), bodies.find((b) => b.type === 'Comment')];
    expect(update).toMatchObject({ type: 'Issue', data: { state: { type: 'completed' } } });
    expect(update!.updatedFrom).toHaveProperty('stateId');
    expect(comment).toMatchObject({ type: 'Comment', data: { body: 'Shipped' } });
    const after = await get(`/acme/issue/ENG-3/retry?as=${SEED_IDS.acme.admin}`);
    expect(after.html).toContain('Shipped');
  });

  it('reports a refused change back on the page', async () => {
    const res = await post('/_sandbox/ui/issues', { as: SEED_IDS.acme.admin, teamId: SEED_IDS.acme.teams.ENG, title: '   ' });
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/acme\/team\/ENG\?/);
    const { html } = await get(location);
    expect(html).toContain('title must not be empty');
  });

  it('links issue URLs returned by the API to the page', async () => {
    const res = await sb.graphql<{ issue: { url: string } }>(OPS.Issue, { id: 'PRD-1' }, await sb.token());
    const page = await fetch(res.body.data!.issue.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Interview five checkout users');
  });
});

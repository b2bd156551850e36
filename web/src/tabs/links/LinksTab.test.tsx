// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import type { LinkView, SkippedIssueView, TimelineEntryView } from '../../../../src/api/index.js';
import { json, loggedIn, serve, type Routes } from '../../test-support/api-stub.js';
import { fill } from '../../test-support/forms.js';
import { buttons, container, render, settle, setUpAppInEachTest } from '../../test-support/render-app.js';

setUpAppInEachTest();

function link(id: string, overrides: Partial<LinkView> = {}): LinkView {
  return {
    id,
    rule: { id: 'rul_urgent', name: 'Urgent engineering' },
    issue: { id: `issue-${id}`, identifier: `ENG-${id}`, title: 'Checkout is down', url: `https://linear.test/acme/issue/ENG-${id}`, state: { name: 'In Progress', type: 'started' } },
    incident: { id: `P${id}`, number: Number(id) + 100, url: `https://acme.pagerduty.test/incidents/P${id}`, status: 'acknowledged' },
    service: { id: 'PSVC001', name: 'Checkout API' },
    status: 'in_sync',
    waitingFor: [],
    lastActivityAt: '2026-03-04T10:00:00Z',
    lastError: null,
    nextRetryAt: null,
    createdAt: '2026-03-04T09:00:00Z',
    ...overrides,
  };
}

const entry = (id: string, overrides: Partial<TimelineEntryView>): TimelineEntryView => ({
  id,
  at: '2026-03-04T10:00:00Z',
  direction: 'issue_to_incident',
  kind: 'received',
  summary: 'Something happened.',
  deliveryId: null,
  jobId: null,
  foundByReconciliation: false,
  ...overrides,
});

const RULES = () => json(200, { checklist: { pagerdutyConnected: true, linearConnected: true, teamWebhooks: [] }, blockedBy: null, rules: [{ id: 'rul_urgent', name: 'Urgent engineering' }] });

/** The reconciliation line above the Activity views: none yet. */
const NO_RECONCILIATION = () => json(200, { lastSweep: null, inProgress: null, nextSweepAt: null, intervalSeconds: 300, healed: [], nextCursor: null });

function serveAs(role: 'admin' | 'viewer', routes: Routes) {
  return serve({ ...loggedIn(role), 'GET /api/rules': RULES, 'GET /api/activity/reconciliation': NO_RECONCILIATION, ...routes });
}

const rows = () => [...container.querySelectorAll('tbody tr')];
const button = (text: string) => buttons(container, text)[0];

async function choose(label: string, value: string): Promise<void> {
  const select = [...container.querySelectorAll('select')].find((element) => element.labels?.[0]?.textContent === label);
  if (select === undefined) throw new Error(`no select ${label}`);
  await act(async () => {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await settle();
}

describe('Links tab', () => {
  it('sits after Rules in the main tabs and lists links: issue to Linear, incident to PagerDuty, rule, both states, activity, status', async () => {
    serveAs('viewer', {
      'GET /api/links': () =>
        json(200, {
          links: [link('2', { status: 'retrying', lastError: { message: 'PagerDuty answered 500', at: '2026-03-04T10:00:00Z' }, nextRetryAt: '2026-03-04T10:01:00Z' }), link('1', { incident: null, status: 'opening' })],
          nextCursor: null,
        }),
    });
    await render('/links');
    const tabs = [...container.querySelectorAll('nav[aria-label="Main"] a')].map((a) => a.textContent);
    expect(tabs.slice(tabs.indexOf('Rules'), tabs.indexOf('Rules') + 2)).toEqual(['Rules', 'Links']);
    expect(container.querySelector('h1')?.textContent).toBe('Links');
    expect([...container.querySelectorAll('thead th')].map((th) => th.textContent).slice(0, 7)).toEqual(['Issue', 'Incident', 'Rule', 'Linear state', 'PagerDuty status', 'Last activity', 'Status']);
    const [retrying, opening] = rows();
    const anchors = [...retrying!.querySelectorAll('a')];
    expect(anchors[0]?.getAttribute('href')).toBe('https://linear.test/acme/issue/ENG-2');
    expect(anchors[0]?.textContent).toBe('ENG-2');
    expect(anchors[1]?.getAttribute('href')).toBe('https://acme.pagerduty.test/incidents/P2');
    expect(anchors[1]?.textContent).toBe('#102');
    expect(anchors.at(-1)?.getAttribute('href')).toBe('/links/2');
    expect(retrying?.textContent).toContain('Urgent engineering');
    expect(retrying?.textContent).toContain('In Progress');
    expect(retrying?.textContent).toContain('Acknowledged');
    expect(retrying?.querySelector('.status')?.textContent).toBe('Status: Retrying');
    expect(opening?.querySelector('.status')?.textContent).toBe('Status: Opening');
  });

  it('keeps the search and filters in the address and asks the hub with them', async () => {
    const calls = serveAs('admin', { 'GET /api/links': () => json(200, { links: [], nextCursor: null }) });
    await render('/links?status=failed');
    expect(calls.filter((call) => call.key === 'GET /api/links').at(-1)?.query).toEqual({ status: 'failed' });
    await fill(container.querySelector<HTMLInputElement>('input[type="search"]')!, ' #7 ');
    await act(async () => button('Search')!.click());
    await settle();
    await choose('Rule', 'rul_urgent');
    expect(calls.filter((call) => call.key === 'GET /api/links').at(-1)?.query).toEqual({ q: '#7', status: 'failed', rule: 'rul_urgent' });
    expect(window.location.pathname + window.location.search).toBe('/links?q=%237&status=failed&rule=rul_urgent');
    expect(container.textContent).toContain('No links match these filters.');
  });

  it('pages with Load more', async () => {
    const calls = serveAs('viewer', {
      'GET /api/links': (call) => json(200, call.query.cursor === undefined ? { links: [link('2')], nextCursor: 'next-1' } : { links: [link('1')], nextCursor: null }),
    });
    await render('/links');
    await act(async () => button('Load more')!.click());
    await settle();
    expect(rows()).toHaveLength(2);
    expect(calls.some((call) => call.key === 'GET /api/links' && call.query.cursor === 'next-1')).toBe(true);
    expect(container.textContent).toContain('Showing 2 links: all of them.');
  });
});

describe('Link page', () => {
  const TIMELINE = [
    entry('a', { direction: 'issue_to_incident', kind: 'received', summary: 'ENG-1 created (Urgent, Todo).' }),
    entry('b', { direction: 'issue_to_incident', kind: 'action', summary: 'Opened incident #101 on Checkout API.' }),
    entry('c', { direction: 'incident_to_issue', kind: 'echo', summary: 'incident.triggered: the hub’s own incident.' }),
    entry('d', { direction: 'none', kind: 'received', summary: 'Re-sync now: reading both sides.' }),
  ];

  it('shows the rule, both URLs and states, the last error, the next retry and the two-way timeline; admins Re-sync now', async () => {
    let current = link('1', { status: 'retrying', lastError: { message: 'PagerDuty answered 500', at: '2026-03-04T10:00:00Z' }, nextRetryAt: '2026-03-04T10:01:00Z' });
    const calls = serveAs('admin', {
      'GET /api/links/1': () => json(200, { link: current, timeline: TIMELINE }),
      'POST /api/links/1/resync': () => {
        current = link('1');
        return json(200, { jobId: 'job_9' });
      },
    });
    await render('/links/1');
    expect(container.querySelector('h1')?.textContent).toBe('ENG-1 ↔ #101');
    const facts = container.querySelector('dl.facts')?.textContent ?? '';
    expect(facts).toContain('Urgent engineering');
    expect(facts).toContain('In Progress');
    expect(facts).toContain('Acknowledged on Checkout API');
    expect(facts).toContain('PagerDuty answered 500');
    expect(container.querySelector('dl.facts a[href="https://linear.test/acme/issue/ENG-1"]')).not.toBeNull();
    expect(container.querySelector('dl.facts a[href="https://acme.pagerduty.test/incidents/P1"]')).not.toBeNull();
    expect(container.querySelector('dl.facts time[datetime="2026-03-04T10:01:00Z"]')).not.toBeNull();
    expect(container.querySelector('h2 .status')?.textContent).toBe('Status: Retrying');

    const lines = rows().map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent));
    expect(lines).toEqual([
      ['Linear → PagerDutyLinear to PagerDuty', 'Kind: Event received', 'ENG-1 created (Urgent, Todo).'],
      ['Linear → PagerDutyLinear to PagerDuty', 'Kind: Action taken', 'Opened incident #101 on Checkout API.'],
      ['PagerDuty → LinearPagerDuty to Linear', 'Kind: Echo of the hub’s own change, dropped', 'incident.triggered: the hub’s own incident.'],
      ['—neither way', 'Kind: Event received', 'Re-sync now: reading both sides.'],
    ]);

    await act(async () => button('Re-sync now')!.click());
    await settle();
    expect(calls.some((call) => call.key === 'POST /api/links/1/resync')).toBe(true);
    expect(container.querySelector('[role="status"].notice')?.textContent).toContain('Re-sync queued');
    expect(container.querySelector('h2 .status')?.textContent).toBe('Status: In sync');
  });

  it('marks the timeline entries the reconciliation found, in words', async () => {
    serveAs('viewer', {
      'GET /api/links/1': () =>
        json(200, {
          link: link('1'),
          timeline: [
            entry('a', { direction: 'incident_to_issue', kind: 'action', summary: 'Moved ENG-1 to In Progress.', foundByReconciliation: true }),
            entry('b', { direction: 'incident_to_issue', kind: 'received', summary: 'incident.acknowledged #101.' }),
          ],
        }),
    });
    await render('/links/1');
    const [found, live] = rows();
    const mark = found?.querySelector('.found-mark');
    expect(mark?.textContent).toBe('Found by reconciliation');
    expect(mark?.closest('td')?.textContent).toBe('Moved ENG-1 to In Progress.Found by reconciliation');
    // Text a screen reader reads, not a colour: nothing hides it.
    expect(mark?.getAttribute('aria-hidden')).toBeNull();
    expect(mark?.closest('.visually-hidden')).toBeNull();
    expect(live?.textContent).not.toContain('reconciliation');
    expect(live?.querySelector('.found-mark')).toBeNull();
  });

  it('offers no Re-sync now to viewers, and says sync waits while a connection is Disconnected', async () => {
    serveAs('viewer', {
      'GET /api/links/1': () => json(200, { link: link('1', { status: 'waiting', waitingFor: [{ provider: 'linear', status: 'disconnected' }] }), timeline: [] }),
    });
    await render('/links/1');
    expect(button('Re-sync now')).toBeUndefined();
    expect(container.textContent).toContain('Linear is Disconnected: sync waits; nothing is lost.');
    expect(container.textContent).toContain('Nothing recorded yet.');
  });

  it('says so when there is no such link', async () => {
    serveAs('viewer', { 'GET /api/links/nope': () => json(404, { error: { code: 'link_not_found', message: 'No such link.' } }) });
    await render('/links/nope');
    expect(container.textContent).toContain('There is no such link.');
  });
});

describe('Activity → Skipped: Page now', () => {
  const skip = (pagedAt: string | null): SkippedIssueView => ({
    id: 'skp_1',
    rule: { id: 'rul_urgent', name: 'Urgent engineering' },
    issue: { id: 'issue-1', label: 'ENG-1 Checkout fails' },
    reason: 'paused',
    detail: 'Rule "Urgent engineering" paused: Reached its limit of 1 incident in an hour.',
    deliveryId: null,
    skippedAt: '2026-03-04T10:00:00Z',
    pagedAt,
  });

  it('lets admins page an unpaged skipped issue, then shows it paged', async () => {
    let paged: string | null = null;
    const calls = serveAs('admin', {
      'GET /api/activity/skipped': () => json(200, { skipped: [skip(paged)], nextCursor: null }),
      'POST /api/activity/skipped/skp_1/page': () => {
        paged = '2026-03-04T10:05:00Z';
        return json(200, { jobId: 'job_1' });
      },
    });
    await render('/activity?view=skipped');
    await act(async () => button('Page now')!.click());
    await settle();
    expect(calls.filter((call) => call.key === 'POST /api/activity/skipped/skp_1/page')).toHaveLength(1);
    expect(container.textContent).toContain('Paging ENG-1 Checkout fails');
    expect(button('Page now')).toBeUndefined();
    expect(container.querySelector('tbody time[datetime="2026-03-04T10:05:00Z"]')).not.toBeNull();
  });

  it('shows the hub’s refusal, and offers viewers no Page now', async () => {
    serveAs('admin', {
      'GET /api/activity/skipped': () => json(200, { skipped: [skip(null)], nextCursor: null }),
      'POST /api/activity/skipped/skp_1/page': () => json(409, { error: { code: 'skip_paged_already', message: 'This skipped issue was paged already.' } }),
    });
    await render('/activity?view=skipped');
    await act(async () => button('Page now')!.click());
    await settle();
    expect(container.querySelector('[role="alert"]')?.textContent).toContain('This skipped issue was paged already.');
  });

  it('offers viewers no Page now', async () => {
    serveAs('viewer', { 'GET /api/activity/skipped': () => json(200, { skipped: [skip(null)], nextCursor: null }) });
    await render('/activity?view=skipped');
    expect(button('Page now')).toBeUndefined();
  });
});

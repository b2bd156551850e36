// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { DeliveryView, JobView, SkippedIssueView } from '../../../../src/api/index.js';
import { json, loggedIn, META, serve, type Routes } from '../../test-support/api-stub.js';
import { buttons, container, render, settle, setUpAppInEachTest, unmountApp } from '../../test-support/render-app.js';
import { KIND_DEBOUNCE_MS } from './JobsView.js';
import { AUTO_REFRESH_MS, mergeFirstPage } from './paged-list.js';

function delivery(id: string, overrides: Partial<DeliveryView> = {}): DeliveryView {
  return {
    id,
    provider: 'linear',
    scope: { kind: 'team', id: 'team-eng', name: 'Engineering' },
    eventType: 'Issue.update',
    entity: { type: 'Issue', id: `issue-${id}`, label: `ENG-${id}` },
    receivedAt: '2026-03-04T10:00:00Z',
    outcome: 'processed',
    outcomeDetail: null,
    duplicates: 0,
    jobId: null,
    linkId: null,
    ...overrides,
  };
}

function job(id: string, overrides: Partial<JobView> = {}): JobView {
  return {
    id,
    kind: 'pagerduty.create_incident',
    lane: 'issue:ENG-1',
    status: 'succeeded',
    attempts: 1,
    maxAttempts: 8,
    nextRunAt: null,
    lastError: null,
    createdAt: '2026-03-04T10:00:00Z',
    finishedAt: '2026-03-04T10:00:01Z',
    ...overrides,
  };
}

function skip(id: string, overrides: Partial<SkippedIssueView> = {}): SkippedIssueView {
  return {
    id,
    rule: { id: 'rul_urgent', name: 'Urgent engineering' },
    issue: { id: `issue-${id}`, label: `ENG-${id} Checkout fails` },
    reason: 'paused',
    detail: 'Rule "Urgent engineering" paused: Reached its limit of 20 incidents in an hour.',
    deliveryId: null,
    skippedAt: '2026-03-04T10:00:00Z',
    pagedAt: null,
    ...overrides,
  };
}

/** GET /api/rules as the Skipped view reads it (the rule filter needs ids and names only). */
function rulesAnswer(rules: Array<{ id: string; name: string }>): Response {
  return json(200, {
    checklist: { pagerdutyConnected: true, linearConnected: true, teamWebhooks: [] },
    blockedBy: null,
    rules,
  });
}

const RULES = [
  { id: 'rul_urgent', name: 'Urgent engineering' },
  { id: 'rul_checkout', name: 'Checkout' },
];

/** The reconciliation line above the views: none yet (its own tests: Reconciliation.test.tsx). */
const NO_RECONCILIATION: Routes = {
  'GET /api/activity/reconciliation': () =>
    json(200, { lastSweep: null, inProgress: null, nextSweepAt: null, intervalSeconds: 300, healed: [], nextCursor: null }),
};

/** Answers the app's start-up requests for a `role` user, the reconciliation line, and `routes`. */
function serveAs(role: 'admin' | 'viewer', routes: Routes) {
  return serve({ ...loggedIn(role), ...NO_RECONCILIATION, ...routes });
}

function tab(name: string): HTMLButtonElement {
  const found = [...container.querySelectorAll<HTMLButtonElement>('[role="tab"]')].find((element) => element.textContent === name);
  if (found === undefined) throw new Error(`no ${name} tab`);
  return found;
}

function select(label: string): HTMLSelectElement | HTMLInputElement {
  const labelElement = [...container.querySelectorAll('label')].find((element) => element.textContent === label);
  const control = document.getElementById(labelElement?.htmlFor ?? '');
  if (!(control instanceof HTMLSelectElement) && !(control instanceof HTMLInputElement)) throw new Error(`no ${label} field`);
  return control;
}

async function change(control: HTMLSelectElement | HTMLInputElement, value: string): Promise<void> {
  await act(async () => {
    // React tracks the value itself: set it through the prototype's setter so the change is seen.
    const prototype = control instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(prototype, 'value')?.set?.call(control, value);
    control.dispatchEvent(new Event(control instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));
  });
  await settle();
}

function bodyRows(): HTMLTableRowElement[] {
  return [...container.querySelectorAll<HTMLTableRowElement>('tbody tr')];
}

setUpAppInEachTest();

describe('Activity tab: how far back it goes', () => {
  it('says how long activity is kept, from RETENTION_DAYS (GET /api/meta)', async () => {
    serve({ ...loggedIn('viewer', { ...META, retentionDays: 7 }), ...NO_RECONCILIATION, 'GET /api/activity/deliveries': () => json(200, { deliveries: [], nextCursor: null }) });
    await render('/activity');
    const header = container.querySelector('.page-lead')?.textContent ?? '';
    expect(header).toContain('Kept for 7 days;');
    expect(header).toContain('dead jobs and skipped issues not yet paged stay until handled');
  });

  it('says "1 day" for a retention of one day', async () => {
    serve({ ...loggedIn('viewer', { ...META, retentionDays: 1 }), ...NO_RECONCILIATION, 'GET /api/activity/deliveries': () => json(200, { deliveries: [], nextCursor: null }) });
    await render('/activity');
    expect(container.textContent).toContain('Kept for 1 day;');
  });
});

describe('Activity tab: deliveries', () => {
  it('lists deliveries in an accessible table with outcome, detail and absorbed retries', async () => {
    serveAs('viewer', {
      'GET /api/activity/deliveries': () =>
        json(200, {
          deliveries: [
            delivery('2', {
              provider: 'pagerduty',
              scope: { kind: 'service', id: 'PSVC', name: 'Checkout API' },
              eventType: 'incident.acknowledged',
              entity: { type: 'Incident', id: 'Q1ABC', label: null },
              outcome: 'failed',
              outcomeDetail: 'No link for this incident.',
              duplicates: 2,
            }),
            delivery('1', { linkId: 'lnk_1' }),
          ],
          nextCursor: null,
        }),
    });
    await render('/activity');
    expect(tab('Deliveries').getAttribute('aria-selected')).toBe('true');
    const table = container.querySelector('table');
    expect(table?.querySelector('caption')?.textContent).toContain('Webhook deliveries');
    expect([...(table?.querySelectorAll('thead th') ?? [])].every((th) => th.getAttribute('scope') === 'col')).toBe(true);
    const [first, second] = bodyRows();
    expect(first?.querySelector('th')?.getAttribute('scope')).toBe('row');
    expect(first?.textContent).toContain('PagerDuty');
    expect(first?.textContent).toContain('Checkout API');
    expect(first?.textContent).toContain('incident.acknowledged');
    expect(first?.textContent).toContain('Incident Q1ABC');
    // A delivery about a linked issue or incident links to its link page; others do not.
    expect(second?.querySelector('a[href="/links/lnk_1"]')?.textContent).toBe('Open its link');
    expect(first?.querySelector('a[href^="/links/"]')).toBeNull();
    expect(first?.querySelector('.status')?.textContent).toBe('Outcome: Failed');
    expect(first?.textContent).toContain('No link for this incident.');
    expect(first?.textContent).toContain('×2 retries absorbed');
    expect(second?.textContent).toContain('ENG-1');
    expect(second?.textContent).not.toContain('absorbed');
    expect(second?.querySelector('.status')?.textContent).toBe('Outcome: Processed');
    expect(container.textContent).toContain('Showing 2 deliveries: all of them.');
  });

  it('sends the filters in the query, keeps them in the address and starts again from the first page', async () => {
    const calls = serveAs('admin', {
      'GET /api/activity/deliveries': ({ query }) =>
        json(200, { deliveries: query.provider === 'linear' ? [delivery('9', { outcome: 'failed' })] : [], nextCursor: null }),
    });
    await render('/activity');
    expect(container.textContent).toContain('No deliveries yet.');

    await change(select('Provider'), 'linear');
    await change(select('Outcome'), 'failed');
    const requests = calls.filter((call) => call.path === '/api/activity/deliveries').map((call) => call.query);
    expect(requests).toEqual([{}, { provider: 'linear' }, { provider: 'linear', outcome: 'failed' }]);
    expect(window.location.pathname + window.location.search).toBe('/activity?provider=linear&outcome=failed');
    expect(bodyRows()).toHaveLength(1);
  });

  it('reads the filters from the address', async () => {
    const calls = serveAs('admin', {
      'GET /api/activity/deliveries': () => json(200, { deliveries: [], nextCursor: null }),
    });
    await render('/activity?provider=pagerduty&outcome=bogus');
    expect(select('Provider').value).toBe('pagerduty');
    expect(select('Outcome').value).toBe('');
    expect(calls.find((call) => call.path === '/api/activity/deliveries')?.query).toEqual({ provider: 'pagerduty' });
    expect(container.textContent).toContain('No deliveries match these filters.');
  });

  it('appends the next page on Load more, with the filters and the cursor', async () => {
    const calls = serveAs('admin', {
      'GET /api/activity/deliveries': ({ query }) =>
        query.cursor === 'c2'
          ? json(200, { deliveries: [delivery('2'), delivery('1')], nextCursor: null })
          : json(200, { deliveries: [delivery('4'), delivery('3')], nextCursor: 'c2' }),
    });
    await render('/activity?outcome=processed');
    expect(bodyRows()).toHaveLength(2);
    const [loadMore] = buttons(container, 'Load more');
    expect(container.textContent).toContain('Showing 2 deliveries; older ones follow.');

    await act(async () => loadMore?.click());
    await settle();
    expect(calls.at(-1)?.query).toEqual({ outcome: 'processed', cursor: 'c2' });
    expect(bodyRows().map((row) => /ENG-\d/.exec(row.textContent ?? '')?.[0])).toEqual(['ENG-4', 'ENG-3', 'ENG-2', 'ENG-1']);
    expect(buttons(container, 'Load more')).toHaveLength(0);
    expect(container.textContent).toContain('Showing 4 deliveries: all of them.');
  });

  it('refreshes itself every few seconds while on, keeps loaded pages, and stops when switched off or left', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let newest: DeliveryView[] = [delivery('4'), delivery('3')];
    const calls = serveAs('admin', {
      'GET /api/activity/deliveries': ({ query }) =>
        query.cursor === 'c2'
          ? json(200, { deliveries: [delivery('2'), delivery('1')], nextCursor: null })
          : json(200, { deliveries: newest, nextCursor: 'c2' }),
    });
    await render('/activity');
    await act(async () => buttons(container, 'Load more')[0]?.click());
    await settle();
    expect(bodyRows()).toHaveLength(4);

    newest = [delivery('5', { outcome: 'received' }), delivery('4')];
    await act(async () => vi.advanceTimersByTime(AUTO_REFRESH_MS));
    await settle();
    expect(bodyRows().map((row) => /ENG-\d/.exec(row.textContent ?? '')?.[0])).toEqual(['ENG-5', 'ENG-4', 'ENG-3', 'ENG-2', 'ENG-1']);
    expect(bodyRows()[0]?.querySelector('.status')?.textContent).toBe('Outcome: Received');

    const toggle = [...container.querySelectorAll('label')].find((label) => label.textContent === 'Auto-refresh')?.querySelector('input');
    expect(toggle?.checked).toBe(true);
    await act(async () => toggle?.click());
    const before = calls.length;
    await act(async () => vi.advanceTimersByTime(AUTO_REFRESH_MS * 3));
    await settle();
    expect(calls.length).toBe(before);

    await act(async () => toggle?.click());
    // The list's and the reconciliation line's.
    expect(vi.getTimerCount()).toBe(2);
    unmountApp();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('Activity tab: jobs', () => {
  const JOBS = [
    job('j3', { kind: 'linear.add_comment', status: 'dead', attempts: 8, lastError: `Linear answered 500: ${'x'.repeat(120)}` }),
    job('j2', { status: 'queued', attempts: 2, nextRunAt: new Date(Date.now() + 5 * 60_000 + 5_000).toISOString(), lastError: 'Timed out.' }),
    job('j1', { lane: null }),
  ];

  it('lists jobs with status, attempts, next run and last error; Replay only on dead jobs, only for admins', async () => {
    serveAs('viewer', { 'GET /api/activity/jobs': () => json(200, { jobs: JOBS, nextCursor: null }) });
    await render('/activity?view=jobs');
    expect(tab('Jobs').getAttribute('aria-selected')).toBe('true');
    expect(container.querySelector('caption')?.textContent).toContain('Jobs');
    const [dead, queued, done] = bodyRows();
    expect(dead?.querySelector('.status')?.textContent).toBe('Status: Dead');
    expect(dead?.querySelector('.cell-number')?.textContent).toBe('8 /  of 8');
    const summary = dead?.querySelector('summary');
    expect(summary?.textContent?.endsWith('…')).toBe(true);
    expect(summary?.getAttribute('title')).toContain('x'.repeat(120));
    expect(queued?.textContent).toContain('in 5 minutes');
    expect(queued?.textContent).toContain('Timed out.');
    expect(done?.textContent).toContain('none');
    expect(buttons(container, 'Replay')).toHaveLength(0);
  });

  it('replays a dead job for an admin, then reloads the list', async () => {
    let jobs = JOBS;
    const calls = serveAs('admin', {
      'GET /api/activity/jobs': () => json(200, { jobs, nextCursor: null }),
      'POST /api/activity/jobs/j3/replay': () => {
        const replayed = job('j3', { kind: 'linear.add_comment', status: 'queued', attempts: 0, nextRunAt: new Date().toISOString() });
        jobs = [replayed, ...JOBS.slice(1)];
        return json(200, { job: replayed });
      },
    });
    await render('/activity?view=jobs');
    const replay = buttons(container, 'Replay');
    expect(replay).toHaveLength(1);
    expect(bodyRows()[0]?.contains(replay[0] ?? null)).toBe(true);

    await act(async () => replay[0]?.click());
    await settle();
    const post = calls.find((call) => call.method === 'POST');
    expect(post?.path).toBe('/api/activity/jobs/j3/replay');
    expect(post?.init?.body).toBe('{}');
    expect(post?.init?.headers).toMatchObject({ 'x-csrf-token': 'csrf-1' });
    expect(calls.filter((call) => call.path === '/api/activity/jobs')).toHaveLength(2);
    expect(container.querySelector('[role="status"].notice')?.textContent).toContain('Replayed the linear.add_comment job');
    expect(bodyRows()[0]?.querySelector('.status')?.textContent).toBe('Status: Queued');
    expect(buttons(container, 'Replay')).toHaveLength(0);
  });

  it('shows the hub’s message when a replay is refused', async () => {
    serveAs('admin', {
      'GET /api/activity/jobs': () => json(200, { jobs: JOBS, nextCursor: null }),
      'POST /api/activity/jobs/j3/replay': () => json(409, { error: { code: 'job_not_dead', message: 'This job is not dead: it was replayed already.' } }),
    });
    await render('/activity?view=jobs');
    await act(async () => buttons(container, 'Replay')[0]?.click());
    await settle();
    expect(container.querySelector('[role="alert"]')?.textContent).toBe('This job is not dead: it was replayed already.');
  });

  it('filters by status and by kind (after typing stops), in the query and the address', async () => {
    const calls = serveAs('admin', { 'GET /api/activity/jobs': () => json(200, { jobs: JOBS, nextCursor: null }) });
    await render('/activity?view=jobs');
    await change(select('Status'), 'dead');
    await change(select('Kind'), 'linear.add_comment');
    await act(async () => new Promise((resolve) => setTimeout(resolve, KIND_DEBOUNCE_MS + 50)));
    await settle();
    const requests = calls.filter((call) => call.path === '/api/activity/jobs').map((call) => call.query);
    expect(requests).toEqual([{}, { status: 'dead' }, { status: 'dead', kind: 'linear.add_comment' }]);
    expect(window.location.search).toBe('?view=jobs&status=dead&kind=linear.add_comment');
    const suggestions = [...container.querySelectorAll('datalist option')].map((option) => option.getAttribute('value'));
    expect(suggestions).toEqual(['linear.add_comment', 'pagerduty.create_incident']);
  });

  it('switches views with the tabs and the arrow keys', async () => {
    serveAs('admin', {
      'GET /api/activity/deliveries': () => json(200, { deliveries: [delivery('1')], nextCursor: null }),
      'GET /api/activity/jobs': () => json(200, { jobs: JOBS, nextCursor: null }),
    });
    await render('/activity');
    await act(async () => {
      tab('Deliveries').focus();
      tab('Deliveries').dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    });
    await settle();
    expect(tab('Jobs').getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(tab('Jobs'));
    expect(container.querySelector('[role="tabpanel"]')?.getAttribute('aria-labelledby')).toBe(tab('Jobs').id);
    expect(window.location.search).toBe('?view=jobs');
    expect(bodyRows()).toHaveLength(3);

    await act(async () => tab('Deliveries').click());
    await settle();
    expect(window.location.search).toBe('');
    expect(bodyRows()).toHaveLength(1);
  });
});

describe('Activity tab: skipped', () => {
  it('lists the issues rules skipped: when, which rule, which issue, why, and whether it was paged since', async () => {
    serveAs('viewer', {
      'GET /api/rules': () => rulesAnswer(RULES),
      'GET /api/activity/skipped': () =>
        json(200, {
          skipped: [
            skip('2', {
              rule: { id: 'rul_checkout', name: 'Checkout' },
              issue: { id: 'issue-without-label', label: null },
              reason: 'needs_attention',
              detail: 'Rule "Checkout" needs attention: the service Checkout API was deleted in PagerDuty.',
            }),
            skip('1', { pagedAt: '2026-03-04T10:05:00Z' }),
          ],
          nextCursor: null,
        }),
    });
    await render('/activity?view=skipped');
    expect(tab('Skipped').getAttribute('aria-selected')).toBe('true');
    expect(container.querySelector('.page-header')?.textContent).toContain('every issue a rule skipped');
    expect(container.querySelector('caption')?.textContent).toContain('Issues rules skipped');
    const headings = [...container.querySelectorAll('thead th')].map((th) => th.textContent);
    expect(headings).toEqual(['Skipped', 'Rule', 'Issue', 'Reason', 'Detail', 'Paged']);
    const [needsAttention, paused] = bodyRows();
    expect(needsAttention?.querySelector('th')?.getAttribute('scope')).toBe('row');
    expect(needsAttention?.querySelector('a')?.getAttribute('href')).toBe('/rules/rul_checkout');
    expect(needsAttention?.querySelector('a')?.textContent).toBe('Checkout');
    expect(needsAttention?.querySelector('code')?.textContent).toBe('issue-without-label');
    expect(needsAttention?.querySelector('.status')?.textContent).toBe('Reason: Needs attention');
    expect(needsAttention?.textContent).toContain('the service Checkout API was deleted in PagerDuty.');
    expect(needsAttention?.querySelector('td:last-child')?.textContent).toBe('—none');
    expect(paused?.textContent).toContain('ENG-1 Checkout fails');
    expect(paused?.querySelector('.status')?.textContent).toBe('Reason: Paused');
    expect(paused?.textContent).toContain('Reached its limit of 20 incidents in an hour.');
    expect(paused?.querySelector('td:last-child time')?.getAttribute('dateTime')).toBe('2026-03-04T10:05:00Z');
    expect(container.textContent).toContain('Showing 2 skipped issues: all of them.');
  });

  it('says what skipping means when nothing was skipped', async () => {
    serveAs('viewer', {
      'GET /api/rules': () => rulesAnswer(RULES),
      'GET /api/activity/skipped': () => json(200, { skipped: [], nextCursor: null }),
    });
    await render('/activity?view=skipped');
    expect(container.querySelector('.resource-empty')?.textContent).toBe(
      'No issue was skipped. A rule skips issues while it is paused by its safety valve or needs attention.',
    );
  });

  it('filters by one of the organisation’s rules, in the query and the address, and back to all', async () => {
    const calls = serveAs('admin', {
      'GET /api/rules': () => rulesAnswer(RULES),
      'GET /api/activity/skipped': ({ query }) =>
        json(200, { skipped: query.rule === 'rul_checkout' ? [skip('7', { rule: RULES[1]! })] : [skip('8'), skip('7')], nextCursor: null }),
    });
    await render('/activity');
    await act(async () => tab('Skipped').click());
    await settle();
    expect(window.location.search).toBe('?view=skipped');
    expect([...select('Rule').querySelectorAll('option')].map((option) => option.textContent)).toEqual([
      'All rules',
      'Urgent engineering',
      'Checkout',
    ]);

    await change(select('Rule'), 'rul_checkout');
    expect(window.location.search).toBe('?view=skipped&rule=rul_checkout');
    expect(bodyRows()).toHaveLength(1);
    await change(select('Rule'), '');
    expect(window.location.search).toBe('?view=skipped');
    const requests = calls.filter((call) => call.path === '/api/activity/skipped').map((call) => call.query);
    expect(requests).toEqual([{}, { rule: 'rul_checkout' }, {}]);
    expect(bodyRows()).toHaveLength(2);
  });

  it('reads the rule from the address, naming a rule that is no longer listed as its skips name it', async () => {
    const calls = serveAs('viewer', {
      'GET /api/rules': () => rulesAnswer(RULES),
      'GET /api/activity/skipped': () => json(200, { skipped: [skip('3', { rule: { id: 'rul_gone', name: 'Old routing' } })], nextCursor: null }),
    });
    await render('/activity?view=skipped&rule=rul_gone');
    expect(calls.find((call) => call.path === '/api/activity/skipped')?.query).toEqual({ rule: 'rul_gone' });
    const rule = select('Rule') as HTMLSelectElement;
    expect(rule.value).toBe('rul_gone');
    expect(rule.selectedOptions[0]?.textContent).toBe('Old routing');
    // Not a rule of the organisation any more: its name is not a link to a rule page that is gone.
    expect(bodyRows()[0]?.querySelector('a')).toBeNull();
    expect(bodyRows()[0]?.textContent).toContain('Old routing');
  });

  it('still lists skips when the rules cannot be read, offering All and the rule in the address', async () => {
    serveAs('viewer', {
      'GET /api/rules': () => json(500, { error: { code: 'internal_error', message: 'A bug (request req-1).' } }),
      'GET /api/activity/skipped': () => json(200, { skipped: [], nextCursor: null }),
    });
    await render('/activity?view=skipped&rule=rul_urgent');
    expect([...select('Rule').querySelectorAll('option')].map((option) => option.textContent)).toEqual(['All rules', 'rul_urgent']);
    expect(container.textContent).toContain('No skipped issues match these filters.');
    expect(container.querySelector('[role="alert"]')).toBeNull();
  });

  it('appends the next page on Load more, with the rule and the cursor', async () => {
    const calls = serveAs('admin', {
      'GET /api/rules': () => rulesAnswer(RULES),
      'GET /api/activity/skipped': ({ query }) =>
        query.cursor === 'c2'
          ? json(200, { skipped: [skip('2'), skip('1')], nextCursor: null })
          : json(200, { skipped: [skip('4'), skip('3')], nextCursor: 'c2' }),
    });
    await render('/activity?view=skipped&rule=rul_urgent');
    expect(container.textContent).toContain('Showing 2 skipped issues; older ones follow.');
    await act(async () => buttons(container, 'Load more')[0]?.click());
    await settle();
    expect(calls.at(-1)?.query).toEqual({ rule: 'rul_urgent', cursor: 'c2' });
    expect(bodyRows().map((row) => /ENG-\d/.exec(row.textContent ?? '')?.[0])).toEqual(['ENG-4', 'ENG-3', 'ENG-2', 'ENG-1']);
    expect(container.textContent).toContain('Showing 4 skipped issues: all of them.');
  });
});

describe('mergeFirstPage', () => {
  const page = (ids: string[], nextCursor: string | null) => ({ items: ids.map((id) => ({ id })), nextCursor });

  it('puts the fresh first page in front of the older pages it reaches into', () => {
    expect(mergeFirstPage(page(['4', '3', '2', '1'], 'c3'), page(['5', '4'], 'c2'))).toEqual(page(['5', '4', '3', '2', '1'], 'c3'));
  });

  it('drops older pages it does not reach (too much arrived), and takes a last page as it is', () => {
    expect(mergeFirstPage(page(['4', '3', '2', '1'], 'c3'), page(['9', '8'], 'c8'))).toEqual(page(['9', '8'], 'c8'));
    expect(mergeFirstPage(page(['4', '3', '2', '1'], 'c3'), page(['5', '4'], null))).toEqual(page(['5', '4'], null));
  });
});

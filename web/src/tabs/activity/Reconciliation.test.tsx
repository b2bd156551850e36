// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { HealedView, ReconciliationResponse, SweepView } from '../../../../src/api/index.js';
import { json, loggedIn, serve, type Call, type Routes } from '../../test-support/api-stub.js';
import { buttons, container, render, settle, setUpAppInEachTest } from '../../test-support/render-app.js';
import { SUMMARY_REFRESH_MS } from './ReconciliationSummary.js';

setUpAppInEachTest();

const MINUTE = 60_000;
/** An instant `ms` from now, a few seconds further so "in 4 minutes" does not round down while the test runs. */
const fromNow = (ms: number) => new Date(Date.now() + ms + (ms >= 0 ? 5_000 : -5_000)).toISOString();

function sweep(overrides: Partial<SweepView> = {}): SweepView {
  return {
    startedAt: fromNow(-6 * MINUTE),
    finishedAt: fromNow(-5 * MINUTE),
    durationMs: 2_400,
    pairsChecked: 120,
    drifts: {},
    requests: { linear: 3, pagerduty: 120 },
    runs: 1,
    ...overrides,
  };
}

function healed(id: string, overrides: Partial<HealedView> = {}): HealedView {
  return {
    id,
    at: '2026-03-04T10:00:00Z',
    linkId: `lnk_${id}`,
    issue: `ENG-${id}`,
    incidentNumber: Number(id) + 100,
    summary: `ENG-${id} is Done in Linear; the hub last saw In Progress.`,
    ...overrides,
  };
}

function reconciliation(overrides: Partial<ReconciliationResponse> = {}): ReconciliationResponse {
  return { lastSweep: null, inProgress: null, nextSweepAt: null, intervalSeconds: 300, healed: [], nextCursor: null, ...overrides };
}

/** GET /api/activity/reconciliation answered with `answer()` (its healed list cut to the asked limit). */
function reconciliationRoute(answer: (call: Call) => ReconciliationResponse): Routes {
  return {
    'GET /api/activity/reconciliation': (call) => {
      const body = answer(call);
      const limit = call.query.limit === undefined ? 50 : Number(call.query.limit);
      return json(200, { ...body, healed: body.healed.slice(0, limit) });
    },
  };
}

/** The app for a `role` user on Activity → Deliveries (empty), the reconciliation answered by `answer`. */
function serveAs(role: 'admin' | 'viewer', answer: (call: Call) => ReconciliationResponse, routes: Routes = {}) {
  return serve({
    ...loggedIn(role),
    'GET /api/activity/deliveries': () => json(200, { deliveries: [], nextCursor: null }),
    ...reconciliationRoute(answer),
    ...routes,
  });
}

/** The one line above the views, as read. */
const summaryLine = () => container.querySelector('.reconcile-summary .toolbar-status')?.textContent ?? '';
const summaryRequests = (calls: Call[]) => calls.filter((call) => call.key === 'GET /api/activity/reconciliation' && call.query.limit === '1');
const bodyRows = () => [...container.querySelectorAll<HTMLTableRowElement>('tbody tr')];

function tab(name: string): HTMLButtonElement {
  const found = [...container.querySelectorAll<HTMLButtonElement>('[role="tab"]')].find((element) => element.textContent === name);
  if (found === undefined) throw new Error(`no ${name} tab`);
  return found;
}

describe('Activity: the reconciliation line above the views', () => {
  it('says there was none yet and that the first sweep runs within the interval, with the next sweep time', async () => {
    const calls = serveAs('viewer', () => reconciliation({ intervalSeconds: 300, nextSweepAt: fromNow(3 * MINUTE) }));
    await render('/activity');
    expect(summaryLine()).toBe('Reconciliation: none yet — the first sweep runs within 5 minutes. Next sweep in 3 minutes.');
    // The line reads the summary only; the healed changes are the Reconciliation view's.
    expect(summaryRequests(calls)).toHaveLength(1);
    // Above the views, on every view.
    const summary = container.querySelector('.reconcile-summary');
    const tabs = container.querySelector('[role="tablist"]');
    expect(summary !== null && tabs !== null && Boolean(summary.compareDocumentPosition(tabs) & Node.DOCUMENT_POSITION_FOLLOWING)).toBe(true);
  });

  it('says how far a sweep in progress has got, and when the last one finished', async () => {
    serveAs('viewer', () =>
      reconciliation({ inProgress: { startedAt: fromNow(-2 * MINUTE), pairsChecked: 40 }, lastSweep: sweep({ finishedAt: fromNow(-5 * MINUTE) }) }),
    );
    await render('/activity');
    expect(summaryLine()).toBe('Reconciling now: 40 pairs checked so far (started 2 minutes ago); the last sweep finished 5 minutes ago.');
  });

  it('says what the last sweep did: pairs checked, drifts healed in words, how long it took, and the next sweep', async () => {
    serveAs('viewer', () =>
      reconciliation({
        lastSweep: sweep({ pairsChecked: 120, durationMs: 2_400, drifts: { missed_create: 1, issue_state: 2, note: 0 } }),
        nextSweepAt: fromNow(4 * MINUTE),
      }),
    );
    await render('/activity');
    expect(summaryLine()).toBe(
      'Last reconciliation: 5 minutes ago — 120 pairs checked, 3 drifts healed (took 2.4 s): 2 states moved in Linear, 1 missed create. Next sweep in 4 minutes.',
    );
    const times = [...container.querySelectorAll('.reconcile-summary time')];
    expect(times).toHaveLength(2);
    expect(times.every((time) => time.getAttribute('title') !== null)).toBe(true);
  });

  it('says a sweep found nothing to heal, over how many runs it took, and that the next one is due', async () => {
    serveAs('viewer', () => reconciliation({ lastSweep: sweep({ pairsChecked: 1, durationMs: 75_000, runs: 3 }), nextSweepAt: fromNow(-MINUTE) }));
    await render('/activity');
    expect(summaryLine()).toBe('Last reconciliation: 5 minutes ago — 1 pair checked, nothing to heal (took 1 min 15 s over 3 runs). Next sweep: due now.');
  });

  it('offers Reconcile now to admins: it asks the hub, reads the line again and says so', async () => {
    let started = false;
    const calls = serveAs(
      'admin',
      () => reconciliation(started ? { inProgress: { startedAt: fromNow(-MINUTE), pairsChecked: 0 } } : { nextSweepAt: fromNow(4 * MINUTE) }),
      {
        'POST /api/activity/reconciliation/run': () => {
          started = true;
          return json(200, { jobId: 'job_1' });
        },
      },
    );
    await render('/activity');
    const [reconcileNow] = buttons(container, 'Reconcile now');
    expect(reconcileNow).toBeDefined();

    await act(async () => reconcileNow?.click());
    await settle();
    const posts = calls.filter((call) => call.key === 'POST /api/activity/reconciliation/run');
    expect(posts).toHaveLength(1);
    expect(posts[0]?.init?.body).toBe('{}');
    expect(posts[0]?.init?.headers).toMatchObject({ 'x-csrf-token': 'csrf-1' });
    expect(summaryRequests(calls)).toHaveLength(2);
    expect(summaryLine()).toBe('Reconciling now: 0 pairs checked so far (started 1 minute ago).');
    expect(container.querySelector('.reconcile-summary [role="status"].notice')?.textContent).toContain('Reconciliation queued');
  });

  it('shows the hub’s refusal of Reconcile now the way other actions do', async () => {
    serveAs('admin', () => reconciliation(), {
      'POST /api/activity/reconciliation/run': () => json(403, { error: { code: 'forbidden', message: 'Only admins can do this.' } }),
    });
    await render('/activity');
    await act(async () => buttons(container, 'Reconcile now')[0]?.click());
    await settle();
    expect(container.querySelector('[role="alert"]')?.textContent).toBe('Could not start the reconciliation: Only admins can do this.');
    expect(summaryLine()).toContain('Reconciliation: none yet');
  });

  it('offers viewers no Reconcile now, but shows them the line', async () => {
    const calls = serveAs('viewer', () => reconciliation());
    await render('/activity?view=jobs&status=dead');
    expect(buttons(container, 'Reconcile now')).toHaveLength(0);
    expect(summaryLine()).toContain('Reconciliation: none yet');
    expect(calls.some((call) => call.method === 'POST')).toBe(false);
  });

  it('says when the line cannot be read, and reads it again on Try again', async () => {
    let failing = true;
    serve({
      ...loggedIn('viewer'),
      'GET /api/activity/deliveries': () => json(200, { deliveries: [], nextCursor: null }),
      'GET /api/activity/reconciliation': () =>
        failing ? json(503, { error: { code: 'unavailable', message: 'The database is not answering.' } }) : json(200, reconciliation()),
    });
    await render('/activity');
    expect(summaryLine()).toBe('Reconciliation: could not be read. The database is not answering. Try again');
    failing = false;
    await act(async () => buttons(container, 'Try again')[0]?.click());
    await settle();
    expect(summaryLine()).toContain('Reconciliation: none yet');
  });

  it('reads the line again with auto-refresh, and not when it is off', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let pairsChecked = 10;
    const calls = serveAs('viewer', () => reconciliation({ inProgress: { startedAt: fromNow(-MINUTE), pairsChecked } }));
    await render('/activity');
    expect(summaryLine()).toContain('Reconciling now: 10 pairs checked so far');

    pairsChecked = 70;
    await act(async () => vi.advanceTimersByTime(SUMMARY_REFRESH_MS));
    await settle();
    expect(summaryLine()).toContain('Reconciling now: 70 pairs checked so far');

    const toggle = [...container.querySelectorAll('label')].find((label) => label.textContent === 'Auto-refresh')?.querySelector('input');
    await act(async () => toggle?.click());
    const before = summaryRequests(calls).length;
    await act(async () => vi.advanceTimersByTime(SUMMARY_REFRESH_MS * 3));
    await settle();
    expect(summaryRequests(calls)).toHaveLength(before);
  });
});

describe('Activity → Reconciliation', () => {
  it('lists what the reconciliation healed, newest first: when, the issue (to its link page), the incident, what was found', async () => {
    const calls = serveAs('viewer', () =>
      reconciliation({
        lastSweep: sweep({ drifts: { issue_state: 1, missed_create: 1 } }),
        healed: [
          healed('2', { incidentNumber: null, summary: 'ENG-2 matched rule "Urgent engineering" but was never paged: paged now.' }),
          healed('1'),
        ],
      }),
    );
    await render('/activity?view=reconciliation');
    expect(tab('Reconciliation').getAttribute('aria-selected')).toBe('true');
    expect(container.querySelector('[role="tabpanel"]')?.getAttribute('aria-labelledby')).toBe(tab('Reconciliation').id);
    expect(container.querySelector('caption')?.textContent).toBe('Changes the reconciliation healed, newest first');
    expect([...container.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual(['Healed', 'Issue', 'Incident', 'What was found']);
    // The view reads the healed changes (a page of them), the line its summary.
    expect(calls.filter((call) => call.key === 'GET /api/activity/reconciliation').map((call) => call.query)).toEqual(
      expect.arrayContaining([{ limit: '1' }, {}]),
    );

    const [missed, moved] = bodyRows();
    expect(missed?.querySelector('th')?.getAttribute('scope')).toBe('row');
    expect(missed?.querySelector('th time')?.getAttribute('dateTime')).toBe('2026-03-04T10:00:00Z');
    expect(missed?.querySelector('a')?.getAttribute('href')).toBe('/links/lnk_2');
    expect(missed?.querySelector('a')?.textContent).toBe('ENG-2');
    expect(missed?.querySelectorAll('td')[1]?.textContent).toBe('—none');
    expect(missed?.textContent).toContain('was never paged: paged now.');
    expect(moved?.querySelector('a')?.getAttribute('href')).toBe('/links/lnk_1');
    expect(moved?.querySelectorAll('td')[1]?.textContent).toBe('#101');
    expect(moved?.querySelectorAll('td')[2]?.textContent).toBe('ENG-1 is Done in Linear; the hub last saw In Progress.');
    expect(container.textContent).toContain('Showing 2 healed changes: all of them.');
    // No filters for this list: no empty filter group.
    expect(container.querySelector('[role="group"][aria-label^="Filter"]')).toBeNull();
  });

  it('opens the link page from a healed change’s issue', async () => {
    serveAs('viewer', () => reconciliation({ healed: [healed('1')] }), {
      'GET /api/links/lnk_1': () => json(404, { error: { code: 'link_not_found', message: 'No such link.' } }),
    });
    await render('/activity?view=reconciliation');
    await act(async () => bodyRows()[0]?.querySelector('a')?.click());
    await settle();
    expect(window.location.pathname).toBe('/links/lnk_1');
  });

  it('is a view beside Deliveries, Jobs and Skipped, kept in the address', async () => {
    serveAs('admin', () => reconciliation());
    await render('/activity');
    expect([...container.querySelectorAll('[role="tab"]')].map((element) => element.textContent)).toEqual(['Deliveries', 'Jobs', 'Skipped', 'Reconciliation']);
    await act(async () => tab('Reconciliation').click());
    await settle();
    expect(window.location.search).toBe('?view=reconciliation');
    expect(container.querySelector('.resource-empty')?.textContent).toContain('Nothing healed yet.');
  });

  it('appends the next page on Load more, with the cursor', async () => {
    const calls = serveAs('viewer', (call) =>
      call.query.cursor === 'c2' ? reconciliation({ healed: [healed('2'), healed('1')] }) : reconciliation({ healed: [healed('4'), healed('3')], nextCursor: 'c2' }),
    );
    await render('/activity?view=reconciliation');
    expect(container.textContent).toContain('Showing 2 healed changes; older ones follow.');
    await act(async () => buttons(container, 'Load more')[0]?.click());
    await settle();
    expect(calls.at(-1)?.query).toEqual({ cursor: 'c2' });
    expect(bodyRows().map((row) => row.querySelector('a')?.textContent)).toEqual(['ENG-4', 'ENG-3', 'ENG-2', 'ENG-1']);
    expect(container.textContent).toContain('Showing 4 healed changes: all of them.');
  });
});

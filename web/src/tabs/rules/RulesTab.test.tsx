// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { RuleView } from '../../api/client.js';
import { json, serve } from '../../test-support/api-stub.js';
import { openAndCancelConfirmStep } from '../../test-support/confirm-step.js';
import { buttons, container, render, settle, setUpAppInEachTest } from '../../test-support/render-app.js';
import { dryRunIssue, rule, rulesAnswer, rulesRoutes } from '../../test-support/rules-data.js';

setUpAppInEachTest();

const button = (scope: ParentNode, text: string) => buttons(scope, text)[0];

function row(name: string): HTMLElement {
  const found = [...container.querySelectorAll<HTMLElement>('.rule-row')].find((element) => element.querySelector('h3 a')?.textContent === name);
  if (found === undefined) throw new Error(`no row for ${name}`);
  return found;
}

const names = () => [...container.querySelectorAll('.rule-row h3')].map((heading) => heading.textContent);
const bodyOf = (call: { init?: RequestInit | undefined } | undefined): unknown => JSON.parse(call?.init?.body as string);

const SECOND = rule({ id: 'rule-2', name: 'Support escalations', position: 2, filters: { ...rule().filters, team: { id: 'team-sup', name: 'Support' }, projects: [], labels: [] } });

describe('Rules tab: checklist and empty state', () => {
  it('shows each prerequisite as Done or Not yet with a link to where it is fixed, and why rules are blocked', async () => {
    serve(
      rulesRoutes('admin', () =>
        rulesAnswer({
          checklist: { pagerdutyConnected: true, linearConnected: false, teamWebhooks: [] },
          blockedBy: { code: 'not_connected', message: 'Connect Linear first: rules watch Linear issues.' },
        }),
      ),
    );
    await render('/rules');
    expect(container.querySelector('h2')?.textContent).toBe('No rules yet');
    const items = [...container.querySelectorAll('.checklist li')].map((item) => item.textContent);
    expect(items).toEqual([
      'PagerDuty connectedDone',
      'Linear connected Go to ConnectionsNot yet',
      'At least one Linear team webhook Go to WebhooksNot yet',
    ]);
    expect([...container.querySelectorAll('.checklist a')].map((link) => link.getAttribute('href'))).toEqual(['/connections', '/webhooks']);
    const create = button(container, 'Create Rule');
    expect(create?.disabled).toBe(true);
    expect(document.getElementById(create?.getAttribute('aria-describedby') ?? '')?.textContent).toContain(
      'Connect Linear first: rules watch Linear issues.',
    );
  });

  it('offers Create Rule when everything is in place, and opens the form at /rules/new', async () => {
    serve(rulesRoutes('admin', () => rulesAnswer()));
    await render('/rules');
    expect([...container.querySelectorAll('.checklist .status')].map((badge) => badge.textContent)).toEqual(['Done', 'Done', 'Done']);
    await act(async () => button(container, 'Create Rule')?.click());
    await settle();
    expect(window.location.pathname).toBe('/rules/new');
    expect(container.querySelector('h1')?.textContent).toBe('Create rule');
    expect(container.querySelector('[aria-current="page"]')?.textContent).toBe('Rules');
  });
});

describe('Rules tab: the list', () => {
  it('lists rules in evaluation order with team, filter summary, service, urgency, switch and status', async () => {
    const paused = rule({
      id: 'rule-3',
      name: 'Payments storms',
      position: 3,
      status: 'paused',
      paused: { at: '2026-03-05T10:00:00Z', reason: '20 incidents in an hour.' },
    });
    const broken = rule({
      id: 'rule-4',
      name: 'Old service',
      position: 4,
      status: 'needs_attention',
      missingReferences: [{ kind: 'service', id: 'PGONE', name: 'Legacy API' }],
    });
    serve(rulesRoutes('admin', () => rulesAnswer({ rules: [rule(), SECOND, paused, broken] })));
    await render('/rules');
    expect(names()).toEqual(['1. Urgent bugs', '2. Support escalations', '3. Payments storms', '4. Old service']);
    const first = row('Urgent bugs');
    expect([...first.querySelectorAll('dd')].map((dd) => dd.textContent)).toEqual([
      'Engineering',
      'Urgent, High · Triage, Unstarted, Started · 2 projects · label Bug',
      'Checkout API',
      'High',
    ]);
    expect(first.querySelector('.status')?.textContent).toBe('Status: Active');
    const toggle = first.querySelector<HTMLInputElement>('input[role="switch"]');
    expect(toggle?.checked).toBe(true);
    expect(toggle?.closest('label')?.textContent).toBe('Enabled Urgent bugs');

    expect(row('Payments storms').querySelector('.status')?.textContent).toBe('Status: Paused');
    expect(row('Payments storms').textContent).toContain('20 incidents in an hour.');
    expect(button(row('Payments storms'), 'Resume')).toBeDefined();
    expect(button(first, 'Resume')).toBeUndefined();
    expect(row('Old service').querySelector('.status')?.textContent).toBe('Status: Needs attention');
    expect(row('Old service').textContent).toContain('service Legacy API');

    // The first cannot move up, the last cannot move down.
    expect(button(first, 'Move up')?.disabled).toBe(true);
    expect(button(row('Old service'), 'Move down')?.disabled).toBe(true);
  });

  it('gives viewers everything to read and Test rule, but no change controls', async () => {
    serve(rulesRoutes('viewer', () => rulesAnswer({ rules: [rule(), SECOND] })));
    await render('/rules');
    expect(container.textContent).toContain('Only admins can create and change rules.');
    expect(container.querySelector('input[role="switch"]')).toBeNull();
    for (const text of ['Create Rule', 'Edit', 'Duplicate', 'Delete', 'Move up', 'Move down', 'Import']) {
      expect(button(container, text)).toBeUndefined();
    }
    expect(button(row('Urgent bugs'), 'Test rule')).toBeDefined();
    expect(button(container, 'Export')).toBeDefined();
    expect(row('Urgent bugs').textContent).toContain('Enabled');
  });

  it('disables and enables with the switch', async () => {
    let current = rule();
    const calls = serve({
      ...rulesRoutes('admin', () => rulesAnswer({ rules: [current] })),
      'POST /api/rules/rule-1/disable': () => {
        current = rule({ enabled: false, version: 4 });
        return json(200, { rule: current });
      },
    });
    await render('/rules');
    const toggle = () => row('Urgent bugs').querySelector<HTMLInputElement>('input[role="switch"]');
    await act(async () => toggle()?.click());
    await settle();
    const post = calls.find((call) => call.key === 'POST /api/rules/rule-1/disable');
    expect(post?.init?.headers).toMatchObject({ 'x-csrf-token': 'csrf-1' });
    expect(toggle()?.checked).toBe(false);
  });

  it('moves a rule down by sending the whole new order', async () => {
    let order: RuleView[] = [rule(), SECOND];
    const calls = serve({
      ...rulesRoutes('admin', () => rulesAnswer({ rules: order })),
      'POST /api/rules/reorder': () => {
        order = [{ ...SECOND, position: 1 }, { ...rule(), position: 2 }];
        return json(200, { rules: order });
      },
    });
    await render('/rules');
    await act(async () => button(row('Urgent bugs'), 'Move down')?.click());
    await settle();
    expect(bodyOf(calls.find((call) => call.key === 'POST /api/rules/reorder'))).toEqual({ order: ['rule-2', 'rule-1'] });
    expect(names()).toEqual(['1. Support escalations', '2. Urgent bugs']);
  });

  it('asks before deleting, then deletes and reloads', async () => {
    let rules: RuleView[] = [rule(), SECOND];
    const calls = serve({
      ...rulesRoutes('admin', () => rulesAnswer({ rules })),
      'DELETE /api/rules/rule-1': () => {
        rules = [{ ...SECOND, position: 1 }];
        return new Response(null, { status: 204 });
      },
    });
    await render('/rules');
    await openAndCancelConfirmStep(row('Urgent bugs'), () => button(row('Urgent bugs'), 'Delete'), 'Delete Urgent bugs?');
    expect(calls.some((call) => call.method === 'DELETE')).toBe(false);

    await act(async () => button(row('Urgent bugs'), 'Delete')?.click());
    const step = row('Urgent bugs').querySelector<HTMLElement>('[role="group"]');
    await act(async () => (step === null ? undefined : button(step, 'Delete')?.click()));
    await settle();
    expect(calls.some((call) => call.key === 'DELETE /api/rules/rule-1')).toBe(true);
    expect(names()).toEqual(['1. Support escalations']);
  });

  it('resumes a paused rule', async () => {
    let current = rule({ status: 'paused', paused: { at: '2026-03-05T10:00:00Z', reason: '20 incidents in an hour.' } });
    const calls = serve({
      ...rulesRoutes('admin', () => rulesAnswer({ rules: [current] })),
      'POST /api/rules/rule-1/resume': () => {
        current = rule();
        return json(200, { rule: current });
      },
    });
    await render('/rules');
    await act(async () => button(row('Urgent bugs'), 'Resume')?.click());
    await settle();
    expect(calls.filter((call) => call.key === 'POST /api/rules/rule-1/resume')).toHaveLength(1);
    expect(row('Urgent bugs').querySelector('.status')?.textContent).toBe('Status: Active');
    expect(button(row('Urgent bugs'), 'Resume')).toBeUndefined();
    expect(row('Urgent bugs').textContent).toContain('Resumed: Urgent bugs pages again.');
  });

  it('tests a saved rule and shows, per issue, whether it would page or why not', async () => {
    const calls = serve({
      ...rulesRoutes('viewer', () => rulesAnswer({ rules: [rule(), SECOND] })),
      'POST /api/rules/rule-2/test': () =>
        json(200, {
          team: { id: 'team-sup', name: 'Support' },
          wouldPage: 1,
          issues: [
            dryRunIssue({ id: 'i1', identifier: 'SUP-1', urgency: 'low' }),
            dryRunIssue({ id: 'i2', identifier: 'SUP-2', wouldPage: false, urgency: null, priority: 3, excludedBy: 'priority' }),
            dryRunIssue({ id: 'i3', identifier: 'SUP-3', wouldPage: false, urgency: null, earlierRule: { id: 'rule-1', name: 'Urgent bugs' } }),
            dryRunIssue({ id: 'i4', identifier: 'SUP-4', wouldPage: false, urgency: null, alreadyPaging: true }),
            dryRunIssue({ id: 'i5', identifier: 'SUP-5', wouldPage: false, urgency: null, state: { name: 'Done', type: 'completed' }, excludedBy: 'status_type' }),
          ],
        }),
    });
    await render('/rules');
    await act(async () => button(row('Support escalations'), 'Test rule')?.click());
    await settle();
    expect(calls.find((call) => call.key === 'POST /api/rules/rule-2/test')?.init?.body).toBe('{}');
    const results = row('Support escalations');
    expect(results.textContent).toContain('1 of 5 recent issues of Support would page.');
    const cells = [...results.querySelectorAll('tbody tr')].map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td:last-child')?.textContent]);
    expect(cells).toEqual([
      ['SUP-1', 'Would page (low)'],
      ['SUP-2', 'Priority Medium not chosen'],
      ['SUP-3', 'Taken by earlier rule Urgent bugs'],
      ['SUP-4', 'Already paging'],
      ['SUP-5', 'Status type Completed not chosen'],
    ]);
    expect(results.querySelector('tbody a')?.getAttribute('href')).toBe('https://linear.app/acme/issue/ENG-1');
  });
});

describe('Rules tab: export and import', () => {
  it('exports every rule as rules.json', async () => {
    const document = { format: 'integration-hub/rules', version: 1, rules: [] };
    serve({ ...rulesRoutes('viewer', () => rulesAnswer({ rules: [rule()] })), 'GET /api/rules/export': () => json(200, document) });
    const blobs: Blob[] = [];
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: (blob: Blob) => (blobs.push(blob), 'blob:rules'), revokeObjectURL: () => undefined }));
    const clicked: HTMLAnchorElement[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this);
    });
    await render('/rules');
    await act(async () => button(container, 'Export')?.click());
    await settle();
    expect(clicked.map((link) => link.download)).toEqual(['rules.json']);
    expect(JSON.parse(await (blobs[0]?.text() ?? Promise.resolve('null')))).toEqual(document);
  });

  async function chooseFile(text: string): Promise<void> {
    const input = container.querySelector<HTMLInputElement>('input[type="file"]');
    if (input === null) throw new Error('no file input');
    const label = container.querySelector(`label[for="${input.id}"]`);
    expect(label?.textContent).toBe('Rules file');
    Object.defineProperty(input, 'files', { value: [new File([text], 'rules.json', { type: 'application/json' })], configurable: true });
    await act(async () => input.dispatchEvent(new Event('change', { bubbles: true })));
    await settle();
  }

  it('imports: shows the plan first, then applies it on Apply import', async () => {
    const document = { format: 'integration-hub/rules', version: 1, rules: [] };
    const plan = [
      { name: 'Urgent bugs', action: 'update', ruleId: 'rule-1', changes: ['Service: Checkout API → Payments'] },
      { name: 'Night shift', action: 'create', ruleId: null, changes: [] },
    ];
    const calls = serve({
      ...rulesRoutes('admin', () => rulesAnswer({ rules: [rule()] })),
      'POST /api/rules/import': (call) => json(200, { applied: (bodyOf(call) as { apply: boolean }).apply, plan }),
    });
    await render('/rules');
    await act(async () => button(container, 'Import')?.click());
    await chooseFile(JSON.stringify(document));
    const imports = () => calls.filter((call) => call.key === 'POST /api/rules/import').map(bodyOf);
    expect(imports()).toEqual([{ document, apply: false }]);
    expect(container.textContent).toContain('rules.json: 1 to create, 1 to update, 0 unchanged.');
    expect(container.textContent).toContain('Service: Checkout API → Payments');

    await act(async () => button(container, 'Apply import')?.click());
    await settle();
    expect(imports()).toEqual([
      { document, apply: false },
      { document, apply: true },
    ]);
    expect(container.textContent).toContain('Imported rules.json: 1 created, 1 updated.');
    expect(calls.filter((call) => call.key === 'GET /api/rules')).toHaveLength(2);
  });

  it('shows why a file cannot be imported, rule by rule, and refuses a file that is not JSON', async () => {
    serve({
      ...rulesRoutes('admin', () => rulesAnswer()),
      'POST /api/rules/import': () =>
        json(400, {
          error: {
            code: 'invalid_rule',
            message: 'Some references do not resolve in this organisation.',
            details: [{ path: 'document.rules.1.routing.service', message: 'no PagerDuty service named “Legacy”' }],
          },
        }),
    });
    await render('/rules');
    await act(async () => button(container, 'Import')?.click());
    await chooseFile('not json');
    expect(container.querySelector('[role="alert"]')?.textContent).toBe('rules.json is not JSON. Choose a file made by Export.');

    await chooseFile('{"format":"integration-hub/rules","version":1,"rules":[]}');
    const alert = container.querySelector('[role="alert"]')?.textContent;
    expect(alert).toContain('Some references do not resolve in this organisation.');
    expect(alert).toContain('Rule 2, routing.service: no PagerDuty service named “Legacy”');
    expect(button(container, 'Apply import')).toBeUndefined();
  });
});


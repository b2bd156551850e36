// @vitest-environment jsdom
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import type { Call } from '../../test-support/api-stub.js';
import { json, serve } from '../../test-support/api-stub.js';
import { fill } from '../../test-support/forms.js';
import { buttons, container, render, settle, setUpAppInEachTest } from '../../test-support/render-app.js';
import { dryRunIssue, rule, rulesAnswer, rulesRoutes } from '../../test-support/rules-data.js';

setUpAppInEachTest();

const button = (text: string) => buttons(container, text)[0];

/** The control a <label> with exactly this text names (its htmlFor, or the input inside it). */
function control<T extends HTMLElement = HTMLInputElement>(label: string): T {
  const element = [...container.querySelectorAll('label')].find((item) => item.textContent === label);
  const found = element === undefined ? null : element.htmlFor === '' ? element.querySelector('input') : document.getElementById(element.htmlFor);
  if (found === null) throw new Error(`no control labelled ${label}`);
  return found as unknown as T;
}

/** The fieldset whose legend is exactly `legend`. */
function group(legend: string): HTMLFieldSetElement {
  const found = [...container.querySelectorAll('legend')].find((item) => item.textContent === legend)?.closest('fieldset');
  if (found === null || found === undefined) throw new Error(`no group ${legend}`);
  return found;
}

const boxIn = (legend: string, label: string) => {
  const found = [...group(legend).querySelectorAll('label')].find((item) => item.textContent === label)?.querySelector('input');
  if (found === null || found === undefined) throw new Error(`no ${label} in ${legend}`);
  return found;
};

/** The error text linked to a control or group by aria-describedby. */
function errorOf(element: HTMLElement): string | undefined {
  const ids = (element.getAttribute('aria-describedby') ?? '').split(' ');
  return ids.map((id) => document.getElementById(id)).find((item) => item?.classList.contains('field-error'))?.textContent ?? undefined;
}

async function choose(select: HTMLSelectElement, value: string): Promise<void> {
  await act(async () => {
    select.value = value;
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await settle();
}

const bodyOf = (call: Call | undefined): unknown => JSON.parse(call?.init?.body as string);

const EXPECTED_NEW = {
  name: 'Checkout pages',
  enabled: true,
  filters: { teamId: 'team-eng', priorities: [1, 2], statusTypes: ['triage', 'unstarted', 'started'], projectIds: [], labelIds: ['label-bug'] },
  routing: { serviceId: 'PSVC1', urgency: 'from_priority', pagerdutyPriorityId: null },
  sync: {
    acknowledgedStateId: 'state-progress',
    resolvedStateId: 'state-done',
    commentsToNotes: true,
    notesToComments: false,
    resolveOnComplete: true,
    reopenOnReopen: true,
    postIncidentLink: true,
    incidentLinkAs: 'comment',
  },
  incidentsPerHour: 20,
};

/** Fills the new-rule form as a person would (Engineering, Bug, Checkout API, From priority, no notes → comments). */
async function fillNewRule(): Promise<void> {
  await fill(control('Name'), 'Checkout pages');
  await choose(control<HTMLSelectElement>('Webhook'), 'team-eng');
  await act(async () => boxIn('Labels', 'Bug (workspace)').click());
  await fill(control('Service'), 'checkout api');
  await act(async () => boxIn('Urgency', 'From priority').click());
  await act(async () => control('Notes to comments').click());
  await act(async () => boxIn('Post the link as', 'Comment').click());
}

describe('the rule form', () => {
  it('names every control as documented, with the documented defaults and the team’s states grouped by type', async () => {
    serve(rulesRoutes('admin', () => rulesAnswer()));
    await render('/rules/new');
    await choose(control<HTMLSelectElement>('Webhook'), 'team-eng');
    expect([...control<HTMLSelectElement>('Webhook').options].map((option) => option.text)).toEqual(['Engineering', 'Support']);
    expect([...group('Priority').querySelectorAll('label')].map((label) => label.textContent)).toEqual(['Urgent', 'High', 'Medium', 'Low', 'No Priority']);
    expect([...group('Status types').querySelectorAll('label')].map((label) => label.textContent)).toEqual([
      'Triage',
      'Backlog',
      'Unstarted',
      'Started',
      'Completed',
      'Canceled',
    ]);
    expect([...group('Projects').querySelectorAll('label')].map((label) => label.textContent)).toEqual(['Checkout', 'Payments']);
    expect([...group('Urgency').querySelectorAll('label')].map((label) => label.textContent)).toEqual(['High', 'Low', 'From priority']);
    expect(group('Urgency').textContent).toContain('Urgent and High issues page at high urgency, the rest at low.');
    // No PagerDuty priorities in this account: no field.
    expect(() => control('PagerDuty priority')).toThrow();
    // Defaults: the first Started and first Completed state by position.
    const acknowledged = control<HTMLSelectElement>('Acknowledged Status');
    expect(acknowledged.value).toBe('state-progress');
    expect([...acknowledged.querySelectorAll('optgroup')].map((optgroup) => optgroup.label)).toEqual(['Triage', 'Unstarted', 'Started', 'Completed', 'Canceled']);
    expect(control<HTMLSelectElement>('Resolved Status').value).toBe('state-done');
    for (const label of [
      'Comments to notes',
      'Notes to comments',
      'Resolve the incident when the issue is completed or canceled',
      'Reopen the incident when the issue reopens',
      'Post the incident link on the issue',
      'Enabled',
    ]) {
      expect(control(label).getAttribute('role')).toBe('switch');
      expect(control(label).checked).toBe(true);
    }
    expect(control('Incidents per hour').value).toBe('20');
    expect(control('Service').list?.querySelectorAll('option').length).toBe(2);
    expect(button('Save')).toBeDefined();
    expect(button('Test rule')).toBeDefined();
  });

  it('warns when a resolved status type is chosen', async () => {
    serve(rulesRoutes('admin', () => rulesAnswer()));
    await render('/rules/new');
    expect(group('Status types').textContent).not.toContain('resolved states');
    await act(async () => boxIn('Status types', 'Completed').click());
    expect(group('Status types').textContent).toContain('Completed and Canceled are resolved states');
  });

  it('creates a rule with the values chosen and returns to the list saying so', async () => {
    let rules: Array<ReturnType<typeof rule>> = [];
    const calls = serve({
      ...rulesRoutes('admin', () => rulesAnswer({ rules })),
      'POST /api/rules': () => {
        rules = [rule({ name: 'Checkout pages' })];
        return json(201, { rule: rules[0] });
      },
    });
    await render('/rules/new');
    await fillNewRule();
    await act(async () => button('Save')?.click());
    await settle();
    expect(bodyOf(calls.find((call) => call.key === 'POST /api/rules'))).toEqual(EXPECTED_NEW);
    expect(window.location.pathname).toBe('/rules');
    expect(container.textContent).toContain('Created Checkout pages.');
    expect(container.querySelector('.rule-row h3')?.textContent).toBe('1. Checkout pages');
  });

  it('checks required fields before asking the hub, next to each field', async () => {
    const calls = serve(rulesRoutes('admin', () => rulesAnswer()));
    await render('/rules/new');
    await act(async () => boxIn('Priority', 'Urgent').click());
    await act(async () => boxIn('Priority', 'High').click());
    await fill(control('Service'), 'No such service');
    await fill(control('Incidents per hour'), '0');
    await act(async () => button('Save')?.click());
    expect(errorOf(control('Name'))).toBe('Enter a name for the rule.');
    expect(errorOf(control('Webhook'))).toBe('Choose the team’s webhook.');
    expect(errorOf(group('Priority'))).toBe('Choose at least one priority.');
    expect(errorOf(control('Service'))).toBe('Choose a service from the list: no service has this name.');
    expect(errorOf(control('Incidents per hour'))).toBe('Enter a whole number from 1 to 1000.');
    expect(document.activeElement).toBe(control('Name'));
    expect(calls.some((call) => call.method === 'POST')).toBe(false);
  });

  it('puts the hub’s refusals next to the fields they concern', async () => {
    let answer = json(400, {
      error: {
        code: 'invalid_rule',
        message: 'Some references are not in the connected workspace or account.',
        details: [
          { path: 'filters.labelIds.0', message: 'is not a label of Engineering or the workspace' },
          { path: 'routing.serviceId', message: 'is not a service of the connected PagerDuty account' },
        ],
      },
    });
    serve({ ...rulesRoutes('admin', () => rulesAnswer()), 'POST /api/rules': () => answer });
    await render('/rules/new');
    await fillNewRule();
    await act(async () => button('Save')?.click());
    await settle();
    expect(errorOf(group('Labels'))).toBe('Is not a label of Engineering or the workspace.');
    expect(errorOf(control('Service'))).toBe('Is not a service of the connected PagerDuty account.');
    expect(container.querySelector('[role="alert"]')?.textContent).toContain('Check the highlighted fields.');
    expect(window.location.pathname).toBe('/rules/new');

    answer = json(409, { error: { code: 'rule_name_taken', message: 'Another rule is called Checkout pages.', details: [{ path: 'name' }] } });
    await act(async () => button('Save')?.click());
    await settle();
    expect(errorOf(control('Name'))).toBe('Another rule is called Checkout pages.');
    expect(errorOf(control('Service'))).toBeUndefined();
  });

  it('loads the chosen team’s projects, labels and states when the Webhook changes', async () => {
    const calls = serve(rulesRoutes('admin', () => rulesAnswer()));
    await render('/rules/new');
    await choose(control<HTMLSelectElement>('Webhook'), 'team-eng');
    await choose(control<HTMLSelectElement>('Webhook'), 'team-sup');
    expect(calls.filter((call) => call.path.startsWith('/api/rules/catalog/teams/')).map((call) => call.path)).toEqual([
      '/api/rules/catalog/teams/team-eng',
      '/api/rules/catalog/teams/team-sup',
    ]);
    expect(control<HTMLSelectElement>('Acknowledged Status').value).toBe('sup-working');
    expect(control<HTMLSelectElement>('Resolved Status').value).toBe('sup-solved');
    expect(group('Projects').textContent).toContain('This team has no projects.');
  });

  it('tests the unsaved values before saving', async () => {
    const calls = serve({
      ...rulesRoutes('admin', () => rulesAnswer()),
      'POST /api/rules/test': () =>
        json(200, { team: { id: 'team-eng', name: 'Engineering' }, wouldPage: 1, issues: [dryRunIssue(), dryRunIssue({ id: 'i2', identifier: 'ENG-2', wouldPage: false, urgency: null, excludedBy: 'label' })] }),
    });
    await render('/rules/new');
    await fillNewRule();
    await act(async () => button('Test rule')?.click());
    await settle();
    expect(bodyOf(calls.find((call) => call.key === 'POST /api/rules/test'))).toEqual(EXPECTED_NEW);
    expect(container.textContent).toContain('1 of 2 recent issues of Engineering would page.');
    expect([...container.querySelectorAll('tbody td:last-child')].map((cell) => cell.textContent)).toEqual(['Would page (high)', 'Has none of the chosen labels']);
    expect(calls.some((call) => call.key === 'POST /api/rules')).toBe(false);
  });
});

describe('a saved rule', () => {
  const HISTORY = [
    { at: '2026-03-05T10:00:00Z', by: { id: 'u1', name: 'Ada Lovelace' }, action: 'updated', changes: ['Service: Payments → Checkout API'] },
    { at: '2026-03-04T10:00:00Z', by: { id: 'u1', name: 'Ada Lovelace' }, action: 'created', changes: [] },
  ];

  it('opens prefilled with its history, and saves at its version', async () => {
    const calls = serve({
      ...rulesRoutes('admin', () => rulesAnswer({ rules: [rule()] })),
      'GET /api/rules/rule-1': () => json(200, { rule: rule(), history: HISTORY }),
      'PATCH /api/rules/rule-1': () => json(200, { rule: rule({ incidentsPerHour: 5, version: 4 }) }),
    });
    await render('/rules/rule-1');
    expect(container.querySelector('h1')?.textContent).toBe('Urgent bugs');
    expect(control('Name').value).toBe('Urgent bugs');
    expect(boxIn('Projects', 'Payments').checked).toBe(true);
    expect(control('Service').value).toBe('Checkout API');
    const history = container.querySelector('.rule-history')?.textContent;
    expect(history).toContain('Changed by Ada Lovelace');
    expect(history).toContain('Service: Payments → Checkout API');
    expect(history).toContain('Created by Ada Lovelace');

    await fill(control('Incidents per hour'), '5');
    await act(async () => button('Save')?.click());
    await settle();
    const body = bodyOf(calls.find((call) => call.key === 'PATCH /api/rules/rule-1')) as Record<string, unknown>;
    expect(body).toMatchObject({ version: 3, incidentsPerHour: 5, filters: { projectIds: ['proj-1', 'proj-2'], labelIds: ['label-bug'] } });
    expect(window.location.pathname).toBe('/rules');
    expect(container.textContent).toContain('Saved Urgent bugs.');
  });

  it('says when someone else saved it meanwhile, and reloads it on request', async () => {
    const calls = serve({
      ...rulesRoutes('admin', () => rulesAnswer({ rules: [rule()] })),
      'GET /api/rules/rule-1': () => json(200, { rule: rule(), history: HISTORY }),
      'PATCH /api/rules/rule-1': () => json(409, { error: { code: 'rule_changed', message: 'Someone changed this rule since you opened it.' } }),
    });
    await render('/rules/rule-1');
    await act(async () => button('Save')?.click());
    await settle();
    expect(container.querySelector('[role="alert"]')?.textContent).toContain('Someone changed this rule since you opened it.');
    await act(async () => button('Reload the rule')?.click());
    await settle();
    expect(calls.filter((call) => call.key === 'GET /api/rules/rule-1')).toHaveLength(2);
  });

  it('duplicates into a new rule named “Copy of …”', async () => {
    const calls = serve({
      ...rulesRoutes('admin', () => rulesAnswer({ rules: [rule()] })),
      'GET /api/rules/rule-1': () => json(200, { rule: rule(), history: HISTORY }),
      'POST /api/rules': () => json(201, { rule: rule({ id: 'rule-9', name: 'Copy of Urgent bugs' }) }),
    });
    await render('/rules');
    await act(async () => buttons(container, 'Duplicate')[0]?.click());
    await settle();
    expect(window.location.pathname + window.location.search).toBe('/rules/new?copy=rule-1');
    expect(control('Name').value).toBe('Copy of Urgent bugs');
    expect(container.querySelector('.rule-history')).toBeNull();
    await act(async () => button('Save')?.click());
    await settle();
    expect(bodyOf(calls.find((call) => call.key === 'POST /api/rules'))).toMatchObject({ name: 'Copy of Urgent bugs', routing: { serviceId: 'PSVC1' } });
  });

  it('is read-only for viewers, who can still test it where it stands', async () => {
    const calls = serve({
      ...rulesRoutes('viewer', () => rulesAnswer({ rules: [rule()] })),
      'GET /api/rules/rule-1': () => json(200, { rule: rule(), history: HISTORY }),
      'POST /api/rules/rule-1/test': () => json(200, { team: { id: 'team-eng', name: 'Engineering' }, wouldPage: 0, issues: [] }),
    });
    await render('/rules/rule-1');
    expect(control('Name').disabled).toBe(false);
    expect(control('Name').closest('fieldset:disabled')).not.toBeNull();
    expect(button('Save')).toBeUndefined();
    await act(async () => button('Test rule')?.click());
    await settle();
    expect(calls.some((call) => call.key === 'POST /api/rules/rule-1/test')).toBe(true);
    expect(container.textContent).toContain('0 of 0 recent issues of Engineering would page.');
  });

  it('cannot be started while a connection is Disconnected: the page says why', async () => {
    serve(
      rulesRoutes('admin', () =>
        rulesAnswer({ blockedBy: { code: 'connection_disconnected', message: 'PagerDuty is Disconnected: its token was revoked.' } }),
      ),
    );
    await render('/rules/new');
    expect(container.querySelector('form')).toBeNull();
    expect(container.textContent).toContain('PagerDuty is Disconnected: its token was revoked.');
    expect(container.querySelector('.notice a')?.getAttribute('href')).toBe('/connections');
  });
});

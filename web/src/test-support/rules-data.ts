import type { DryRunIssue, PagerDutyCatalog, RulesResponse, RuleView, TeamCatalog } from '../api/client.js';
import { json, loggedIn, type Routes } from './api-stub.js';

/** Test data for the Rules tab's tests: a workspace with Engineering and Support, a PagerDuty account. */
export const ENGINEERING = { id: 'team-eng', name: 'Engineering' };
export const SUPPORT = { id: 'team-sup', name: 'Support' };

export const CHECKLIST_DONE: RulesResponse['checklist'] = { pagerdutyConnected: true, linearConnected: true, teamWebhooks: [ENGINEERING, SUPPORT] };

export function rule(overrides: Partial<RuleView> = {}): RuleView {
  return {
    id: 'rule-1',
    name: 'Urgent bugs',
    position: 1,
    enabled: true,
    status: 'active',
    paused: null,
    missingReferences: [],
    filters: {
      team: ENGINEERING,
      priorities: [1, 2],
      statusTypes: ['triage', 'unstarted', 'started'],
      projects: [
        { id: 'proj-1', name: 'Checkout' },
        { id: 'proj-2', name: 'Payments' },
      ],
      labels: [{ id: 'label-bug', name: 'Bug' }],
    },
    routing: { service: { id: 'PSVC1', name: 'Checkout API' }, urgency: 'high', pagerdutyPriority: null },
    sync: {
      acknowledgedState: { id: 'state-progress', name: 'In Progress' },
      resolvedState: { id: 'state-done', name: 'Done' },
      commentsToNotes: true,
      notesToComments: true,
      resolveOnComplete: true,
      reopenOnReopen: true,
      postIncidentLink: true,
    incidentLinkAs: 'attachment',
    },
    incidentsPerHour: 20,
    version: 3,
    createdAt: '2026-03-04T10:00:00Z',
    createdBy: { id: 'u1', name: 'Ada Lovelace' },
    updatedAt: '2026-03-05T10:00:00Z',
    updatedBy: { id: 'u1', name: 'Ada Lovelace' },
    ...overrides,
  };
}

export function rulesAnswer(overrides: Partial<RulesResponse> = {}): RulesResponse {
  return { checklist: CHECKLIST_DONE, blockedBy: null, rules: [], ...overrides };
}

export const ENGINEERING_CATALOG: TeamCatalog = {
  team: ENGINEERING,
  states: [
    { id: 'state-triage', name: 'Triage', type: 'triage', position: 0 },
    { id: 'state-todo', name: 'Todo', type: 'unstarted', position: 1 },
    { id: 'state-review', name: 'In Review', type: 'started', position: 3 },
    { id: 'state-progress', name: 'In Progress', type: 'started', position: 2 },
    { id: 'state-done', name: 'Done', type: 'completed', position: 4 },
    { id: 'state-dup', name: 'Duplicate', type: 'canceled', position: 5 },
  ],
  projects: [
    { id: 'proj-1', name: 'Checkout' },
    { id: 'proj-2', name: 'Payments' },
  ],
  labels: [
    { id: 'label-bug', name: 'Bug', scope: 'workspace' },
    { id: 'label-backend', name: 'Backend', scope: 'team' },
  ],
};

export const SUPPORT_CATALOG: TeamCatalog = {
  team: SUPPORT,
  states: [
    { id: 'sup-open', name: 'Open', type: 'unstarted', position: 0 },
    { id: 'sup-working', name: 'Working', type: 'started', position: 1 },
    { id: 'sup-solved', name: 'Solved', type: 'completed', position: 2 },
  ],
  projects: [],
  labels: [{ id: 'label-bug', name: 'Bug', scope: 'workspace' }],
};

export const PAGERDUTY_CATALOG: PagerDutyCatalog = {
  services: [
    { id: 'PSVC1', name: 'Checkout API' },
    { id: 'PSVC2', name: 'Payments' },
  ],
  priorities: null,
};

export function dryRunIssue(overrides: Partial<DryRunIssue> = {}): DryRunIssue {
  return {
    id: 'issue-1',
    identifier: 'ENG-1',
    title: 'Checkout fails',
    url: 'https://linear.app/acme/issue/ENG-1',
    priority: 1,
    state: { name: 'Todo', type: 'unstarted' },
    wouldPage: true,
    urgency: 'high',
    excludedBy: null,
    earlierRule: null,
    alreadyPaging: false,
    ...overrides,
  };
}

/** Start-up, the rules list and both catalogs. */
export function rulesRoutes(role: 'admin' | 'viewer', answer: () => RulesResponse): Routes {
  return {
    ...loggedIn(role),
    'GET /api/rules': () => json(200, answer()),
    'GET /api/rules/catalog/pagerduty': () => json(200, PAGERDUTY_CATALOG),
    'GET /api/rules/catalog/teams/team-eng': () => json(200, ENGINEERING_CATALOG),
    'GET /api/rules/catalog/teams/team-sup': () => json(200, SUPPORT_CATALOG),
  };
}

import type { ProjectStatusType, StateType } from './state.js';

/**
 * What the Linear stand-in starts with (and returns to on reset). Plain data: seed.ts turns it
 * into records with deterministic UUIDs (see seedId there). Emails use the reserved
 * `.example` domain.
 */

export interface WorkspaceSeed {
  name: string;
  urlKey: string;
  admin: { name: string; email: string };
  member: { name: string; email: string };
  /** Issues per team key: [title, priority 0–4, state name, label names, project name?]. */
  issues: Record<string, Array<[string, number, string, string[], string?]>>;
  projects: Array<{ name: string; teams: string[]; status: string; description: string }>;
}

export const TEAM_SEEDS = [
  { key: 'ENG', name: 'Engineering', color: '#5e6ad2', labels: ['Backend', 'Frontend'] },
  { key: 'SUP', name: 'Support', color: '#26b5ce', labels: ['Customer', 'Escalation'] },
  { key: 'PRD', name: 'Product', color: '#f2994a', labels: ['Research', 'Design'] },
] as const;

/** Every team gets one state per type (two "started"), in this order (API-NOTES §2.2, §5.8). */
export const STATE_SEEDS: Array<{ name: string; type: StateType; color: string }> = [
  { name: 'Triage', type: 'triage', color: '#fc7840' },
  { name: 'Backlog', type: 'backlog', color: '#bec2c8' },
  { name: 'Todo', type: 'unstarted', color: '#e2e2e2' },
  { name: 'In Progress', type: 'started', color: '#f2c94c' },
  { name: 'In Review', type: 'started', color: '#0f783c' },
  { name: 'Done', type: 'completed', color: '#5e6ad2' },
  { name: 'Canceled', type: 'canceled', color: '#95a2b3' },
  { name: 'Duplicate', type: 'duplicate', color: '#95a2b3' },
];

/** Workspace labels (team: null); "Severity" is a label group with two children. */
export const WORKSPACE_LABEL_SEEDS: Array<{ name: string; color: string; parent?: string; isGroup?: boolean }> = [
  { name: 'Bug', color: '#eb5757' },
  { name: 'Feature', color: '#bb87fc' },
  { name: 'Improvement', color: '#4ea7fc' },
  { name: 'Severity', color: '#f2994a', isGroup: true },
  { name: 'Sev1', color: '#eb5757', parent: 'Severity' },
  { name: 'Sev2', color: '#f2c94c', parent: 'Severity' },
];

export const PROJECT_STATUS_SEEDS: Array<{ name: string; type: ProjectStatusType; color: string }> = [
  { name: 'Backlog', type: 'backlog', color: '#bec2c8' },
  { name: 'Planned', type: 'planned', color: '#e2e2e2' },
  { name: 'In Progress', type: 'started', color: '#f2c94c' },
  { name: 'Paused', type: 'paused', color: '#95a2b3' },
  { name: 'Completed', type: 'completed', color: '#5e6ad2' },
  { name: 'Canceled', type: 'canceled', color: '#95a2b3' },
];

export const WORKSPACE_SEEDS: WorkspaceSeed[] = [
  {
    name: 'Acme',
    urlKey: 'acme',
    admin: { name: 'Ada Admin', email: 'ada@acme.example' },
    member: { name: 'Max Member', email: 'max@acme.example' },
    projects: [
      { name: 'Checkout Revamp', teams: ['ENG', 'PRD'], status: 'In Progress', description: 'A faster checkout.' },
      { name: 'Incident Readiness', teams: ['ENG', 'SUP'], status: 'Planned', description: 'Runbooks and paging.' },
      { name: 'Help Center', teams: ['SUP'], status: 'Backlog', description: 'Self-service answers.' },
    ],
    issues: {
      // Twelve Engineering issues: more than one default page (10).
      ENG: [
        ['Checkout returns 500 for saved cards', 1, 'In Progress', ['Bug', 'Backend'], 'Checkout Revamp'],
        ['Payment page slow on mobile', 2, 'Todo', ['Bug', 'Frontend'], 'Checkout Revamp'],
        ['Retry failed webhooks from the payment provider', 2, 'Backlog', ['Improvement', 'Backend']],
        ['Login form loses focus after error', 3, 'Triage', ['Bug', 'Frontend']],
        ['Add rate limiting to the public API', 2, 'In Review', ['Feature', 'Backend']],
        ['Database failover runbook', 1, 'Todo', ['Improvement'], 'Incident Readiness'],
        ['Upgrade Node.js to 22', 4, 'Backlog', []],
        ['Dark mode for the dashboard', 0, 'Backlog', ['Feature', 'Frontend']],
        ['Flaky test in billing suite', 3, 'Done', ['Bug']],
        ['Remove legacy export endpoint', 4, 'Canceled', []],
        ['Search results ignore accents', 3, 'Duplicate', ['Bug']],
        ['Queue depth alert fires too often', 2, 'Triage', ['Bug', 'Sev2'], 'Incident Readiness'],
      ],
      SUP: [
        ['Customer cannot reset password', 1, 'Triage', ['Customer', 'Sev1']],
        ['Invoice shows wrong currency', 2, 'Todo', ['Customer', 'Bug']],
        ['Write macro for refund requests', 4, 'Backlog', [], 'Help Center'],
        ['Escalation: data export stuck', 2, 'In Progress', ['Escalation']],
      ],
      PRD: [
        ['Interview five checkout users', 3, 'In Progress', ['Research'], 'Checkout Revamp'],
        ['Spec: one-click reorder', 0, 'Backlog', ['Design', 'Feature']],
        ['Pricing page copy review', 4, 'Done', []],
      ],
    },
  },
  {
    name: 'Globex',
    urlKey: 'globex',
    admin: { name: 'Gus Admin', email: 'gus@globex.example' },
    member: { name: 'Mia Member', email: 'mia@globex.example' },
    projects: [
      { name: 'Platform Migration', teams: ['ENG'], status: 'In Progress', description: 'Move to the new platform.' },
      { name: 'Onboarding', teams: ['PRD', 'SUP'], status: 'Planned', description: 'First-week experience.' },
    ],
    issues: {
      ENG: [
        ['Migrate cron jobs', 2, 'In Progress', ['Backend'], 'Platform Migration'],
        ['Broken link in footer', 4, 'Backlog', ['Bug', 'Frontend']],
        ['Nightly backup failed', 1, 'Triage', ['Bug', 'Sev1']],
      ],
      SUP: [['Customer asks for SSO', 3, 'Todo', ['Customer', 'Feature']]],
      PRD: [['Welcome email redesign', 3, 'Backlog', ['Design'], 'Onboarding']],
    },
  },
];

/** Seeded comments: [workspace urlKey, issue identifier, author ("admin" | "member"), body]. */
export const COMMENT_SEEDS: Array<[string, string, 'admin' | 'member', string]> = [
  ['acme', 'ENG-1', 'member', 'Seeing this for every saved Visa card since the deploy.'],
  ['acme', 'ENG-1', 'admin', 'Rolling back the card vault change now.'],
  ['acme', 'SUP-1', 'admin', 'Asked the customer for a screenshot.'],
];

import { uuidFor } from './ids.js';
import { COMMENT_SEEDS, PROJECT_STATUS_SEEDS, STATE_SEEDS, TEAM_SEEDS, WORKSPACE_LABEL_SEEDS, WORKSPACE_SEEDS } from './seed-data.js';
import type { Dataset, Issue, IssueLabel } from './state.js';

/**
 * Seed ids are uuidFor(<name>) with these names, so a test can compute any of them:
 *   org:<urlKey>                      user:<urlKey>:admin | user:<urlKey>:member
 *   team:<urlKey>:<KEY>               state:<urlKey>:<KEY>:<state name>
 *   label:<urlKey>:<name>             label:<urlKey>:<KEY>:<name>   (team label)
 *   project:<urlKey>:<name>           projectStatus:<urlKey>:<name>
 *   issue:<urlKey>:<KEY-N>            comment:<urlKey>:<KEY-N>:<n>
 */
export function seedId(...parts: string[]): string {
  return uuidFor(parts.join(':'));
}

/** The seed's fixed timeline: everything seeded was created before this instant. */
export const SEED_TIME = Date.UTC(2026, 0, 5, 9, 0, 0);
const HOUR = 3_600_000;

/** Personal API key of a seeded user (`Authorization: <key>`, no "Bearer"). */
export function seedApiKey(urlKey: string, role: 'admin' | 'member'): string {
  return `lin_api_sandbox_${urlKey}_${role}`;
}

/** Ids tests use most; everything else via seedId(). */
export const SEED_IDS = Object.fromEntries(
  WORKSPACE_SEEDS.map((w) => [
    w.urlKey,
    {
      organization: seedId('org', w.urlKey),
      admin: seedId('user', w.urlKey, 'admin'),
      member: seedId('user', w.urlKey, 'member'),
      teams: Object.fromEntries(TEAM_SEEDS.map((t) => [t.key, seedId('team', w.urlKey, t.key)])) as Record<'ENG' | 'SUP' | 'PRD', string>,
    },
  ]),
) as Record<'acme' | 'globex', { organization: string; admin: string; member: string; teams: Record<'ENG' | 'SUP' | 'PRD', string> }>;

/** A fresh copy of the seed (records are mutated in place by the domain functions). */
export function buildSeed(): Dataset {
  const d: Dataset = { organizations: [], users: [], teams: [], states: [], labels: [], projectStatuses: [], projects: [], issues: [], comments: [], attachments: [], webhooks: [], apiKeys: [] };
  let seq = 0;
  const stamp = (at: number) => ({ createdAt: at, updatedAt: at, seq: ++seq });
  const early = SEED_TIME - 90 * 24 * HOUR;

  for (const w of WORKSPACE_SEEDS) {
    const orgId = seedId('org', w.urlKey);
    d.organizations.push({ id: orgId, name: w.name, urlKey: w.urlKey, ...stamp(early) });
    for (const role of ['admin', 'member'] as const) {
      const person = w[role];
      const id = seedId('user', w.urlKey, role);
      const displayName = person.email.split('@')[0]!;
      d.users.push({ id, organizationId: orgId, name: person.name, displayName, email: person.email, admin: role === 'admin', app: false, appClientId: null, active: true, ...stamp(early) });
      d.apiKeys.push({ value: seedApiKey(w.urlKey, role), userId: id, label: `${person.name}'s sandbox key` });
    }
    const labelId = new Map<string, string>();
    for (const l of WORKSPACE_LABEL_SEEDS) {
      const id = seedId('label', w.urlKey, l.name);
      labelId.set(l.name, id);
      d.labels.push(label(id, orgId, null, l.parent ? labelId.get(l.parent)! : null, l.name, l.color, l.isGroup ?? false, stamp(early)));
    }
    PROJECT_STATUS_SEEDS.forEach((s, position) => {
      d.projectStatuses.push({ id: seedId('projectStatus', w.urlKey, s.name), organizationId: orgId, ...s, position, ...stamp(early) });
    });
    for (const t of TEAM_SEEDS) {
      const teamId = seedId('team', w.urlKey, t.key);
      d.teams.push({ id: teamId, organizationId: orgId, key: t.key, name: t.name, description: null, color: t.color, triageEnabled: true, issueCounter: 0, archivedAt: null, ...stamp(early) });
      STATE_SEEDS.forEach((s, position) => {
        d.states.push({ id: seedId('state', w.urlKey, t.key, s.name), teamId, ...s, position, description: null, archivedAt: null, ...stamp(early) });
      });
      for (const name of t.labels) {
        const id = seedId('label', w.urlKey, t.key, name);
        d.labels.push(label(id, orgId, teamId, null, name, t.color, false, stamp(early)));
      }
    }
    for (const p of w.projects) {
      const slugId = seedId('project', w.urlKey, p.name).replace(/-/g, '').slice(0, 12);
      d.projects.push({
        id: seedId('project', w.urlKey, p.name),
        organizationId: orgId,
        name: p.name,
        slugId,
        description: p.description,
        color: '#5e6ad2',
        statusId: seedId('projectStatus', w.urlKey, p.status),
        teamIds: p.teams.map((k) => seedId('team', w.urlKey, k)),
        leadId: seedId('user', w.urlKey, 'admin'),
        archivedAt: null,
        trashed: false,
        ...stamp(early + HOUR),
      });
    }
    let hour = 0;
    for (const [key, rows] of Object.entries(w.issues)) {
      const team = d.teams.find((t) => t.organizationId === orgId && t.key === key)!;
      for (const [title, priority, stateName, labels, project] of rows) {
        team.issueCounter += 1;
        const at = SEED_TIME - 48 * HOUR + hour++ * HOUR;
        const state = STATE_SEEDS.find((s) => s.name === stateName)!;
        const issue: Issue = {
          id: seedId('issue', w.urlKey, `${key}-${team.issueCounter}`),
          organizationId: orgId,
          teamId: team.id,
          number: team.issueCounter,
          title,
          description: `Seeded issue: ${title}.`,
          priority,
          stateId: seedId('state', w.urlKey, key, stateName),
          labelIds: labels.map((n) => labelId.get(n) ?? seedId('label', w.urlKey, key, n)),
          projectId: project ? seedId('project', w.urlKey, project) : null,
          assigneeId: priority === 1 ? seedId('user', w.urlKey, 'member') : null,
          creatorId: seedId('user', w.urlKey, 'admin'),
          parentId: null,
          sortOrder: -team.issueCounter,
          archivedAt: null,
          trashed: false,
          startedAt: state.type === 'started' ? at : null,
          completedAt: state.type === 'completed' ? at : null,
          canceledAt: state.type === 'canceled' || state.type === 'duplicate' ? at : null,
          startedTriageAt: state.type === 'triage' ? at : null,
          triagedAt: null,
          previousIdentifiers: [],
          ...stamp(at),
        };
        d.issues.push(issue);
      }
    }
  }
  COMMENT_SEEDS.forEach(([urlKey, identifier, role, body], index) => {
    const issueId = seedId('issue', urlKey, identifier);
    const n = COMMENT_SEEDS.slice(0, index).filter((c) => c[1] === identifier && c[0] === urlKey).length + 1;
    d.comments.push({
      id: seedId('comment', urlKey, identifier, String(n)),
      organizationId: seedId('org', urlKey),
      issueId,
      userId: seedId('user', urlKey, role),
      parentId: null,
      body,
      editedAt: null,
      archivedAt: null,
      createAsUser: null,
      displayIconUrl: null,
      ...stamp(SEED_TIME - HOUR + index * 60_000),
    });
  });
  return d;
}

function label(id: string, organizationId: string, teamId: string | null, parentId: string | null, name: string, color: string, isGroup: boolean, s: { createdAt: number; updatedAt: number; seq: number }): IssueLabel {
  return { id, organizationId, teamId, parentId, name, color, isGroup, description: null, archivedAt: null, ...s };
}

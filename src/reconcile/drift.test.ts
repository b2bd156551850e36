import { describe, expect, it } from 'vitest';
import type { IncidentNote, PagedIncident, SweptIssue } from '../providers/roles.js';
import type { RuleSync } from '../rules/rule.js';
import type { Link } from '../sync/link.js';
import { CLOCK_MARGIN_MS, detectDrift, type MirrorRecord, type PairSeen } from './drift.js';

const T0 = Date.UTC(2026, 11, 5, 12);
const link: Link = {
  id: 'lnk_1',
  organisationId: 'org_1',
  rule: { id: 'rul_1', name: 'Urgent' },
  issue: { id: 'iss_1', identifier: 'ENG-1', title: 'Checkout down', url: 'https://linear.example/ENG-1', teamId: 'team_eng' },
  issueState: { id: 'st_todo', name: 'Todo', type: 'unstarted' },
  incident: { id: 'inc_1', number: 7, url: 'https://pd.example/incidents/inc_1', status: 'triggered' },
  service: { id: 'svc_checkout', name: 'Checkout API' },
  incidentKey: 'key-1',
  stateBeforeHub: null,
  syncSettings: { acknowledgedStateId: 'st_prog', resolvedStateId: 'st_done', commentsToNotes: true, notesToComments: true, resolveOnComplete: true, reopenOnReopen: true, postIncidentLink: true, incidentLinkAs: 'attachment' },
  openedBySkip: null,
  lastInAt: null,
  lastOutAt: null,
  lastError: null,
  lastErrorAt: null,
  closedAt: null,
  createdAt: T0,
  updatedAt: T0,
};
const issue: SweptIssue = {
  id: 'iss_1',
  identifier: 'ENG-1',
  title: 'Checkout down',
  url: 'https://linear.example/ENG-1',
  teamId: 'team_eng',
  priority: 1,
  state: { id: 'st_todo', name: 'Todo', type: 'unstarted' },
  projectId: null,
  labelIds: [],
  updatedAt: T0,
  description: null,
  team: { id: 'team_eng', key: 'ENG', name: 'Engineering' },
  archivedAt: null,
  comments: [],
};
const incident: PagedIncident = { id: 'inc_1', number: 7, title: 'ENG-1', url: link.incident!.url, status: 'triggered', service: { id: 'svc_checkout', name: 'Checkout API' }, incidentKey: 'key-1', mergedInto: null };
const noMirrors: MirrorRecord = { hubNoteIds: new Set(), mirroredNoteIds: new Set(), hubCommentIds: new Set(), mirroredCommentIds: new Set() };
const seen = (changes: Partial<PairSeen> = {}): PairSeen => ({ link, issue, incident, notes: [], mirrors: noMirrors, sync: link.syncSettings, since: 0, ...changes });
const note = (id: string, at: number): IncidentNote => ({ id, content: `note ${id}`, author: null, createdAt: at });
const sync = (changes: Partial<RuleSync>): RuleSync => ({ ...link.syncSettings, ...changes });

describe('drift between a link and what the two sides show', () => {
  it('finds none when both sides are where the link says', () => {
    expect(detectDrift(seen())).toBeNull();
  });

  it('finds a state moved in Linear, and a deleted issue (missing or archived) while the link is open', () => {
    const moved = detectDrift(seen({ issue: { ...issue, state: { id: 'st_done', name: 'Done', type: 'completed' } } }));
    expect(moved).toMatchObject({ kinds: ['issue_state'], issueStateId: 'st_done' });
    expect(moved?.summary[0]?.text).toBe('ENG-1 is Done in Linear; the hub last saw Todo.');
    expect(detectDrift(seen({ issue: null }))?.kinds).toEqual(['issue_deleted']);
    expect(detectDrift(seen({ issue: { ...issue, archivedAt: T0 + 1 } }))?.kinds).toEqual(['issue_deleted']);
    expect(detectDrift(seen({ issue: null, link: { ...link, closedAt: T0 + 5 } }))).toBeNull();
  });

  it('finds a status changed, a merge and a service move in PagerDuty', () => {
    expect(detectDrift(seen({ incident: { ...incident, status: 'acknowledged' } }))).toMatchObject({ kinds: ['incident_status'], incidentStatus: 'acknowledged' });
    expect(detectDrift(seen({ incident: { ...incident, status: 'resolved', mergedInto: 'inc_2' } }))?.kinds).toEqual(['incident_merged']);
    expect(detectDrift(seen({ incident: { ...incident, service: { id: 'svc_pay', name: 'Payments' } } }))).toMatchObject({ kinds: ['service_move'], serviceId: 'svc_pay' });
    // An incident PagerDuty no longer knows is left alone (PagerDuty does not delete incidents).
    expect(detectDrift(seen({ incident: null }))).toBeNull();
  });

  it('finds notes and comments made since the last sweep that are neither the hub’s own nor mirrored', () => {
    const notes = [note('n_old', T0 - CLOCK_MARGIN_MS - 1), note('n_hub', T0 + 1), note('n_done', T0 + 2), note('n_new', T0 + 3)];
    const comments = [
      { id: 'c_before_link', createdAt: T0 - CLOCK_MARGIN_MS - 10 },
      { id: 'c_hub', createdAt: T0 + 1 },
      { id: 'c_done', createdAt: T0 + 2 },
      { id: 'c_new', createdAt: T0 + 3 },
    ];
    const mirrors: MirrorRecord = { hubNoteIds: new Set(['n_hub']), mirroredNoteIds: new Set(['n_done']), hubCommentIds: new Set(['c_hub']), mirroredCommentIds: new Set(['c_done']) };
    const drift = detectDrift(seen({ notes, issue: { ...issue, comments }, mirrors }));
    expect(drift).toMatchObject({ kinds: ['note', 'comment'], noteIds: ['n_new'], commentIds: ['c_new'] });
    // Not looked at before the previous sweep's start, less a margin for vendors' clocks (PagerDuty
    // states note times to the second).
    expect(detectDrift(seen({ notes, issue: { ...issue, comments }, mirrors, since: T0 + 3 + CLOCK_MARGIN_MS }))).toBeNull();
    expect(detectDrift(seen({ notes, issue: { ...issue, comments }, mirrors, since: T0 + 1000 }))).toMatchObject({ noteIds: ['n_new'], commentIds: ['c_new'] });
    // Nor when the rule mirrors neither way.
    expect(detectDrift(seen({ notes, issue: { ...issue, comments }, mirrors, sync: sync({ notesToComments: false, commentsToNotes: false }) }))).toBeNull();
  });

  it('reports several drifts of one pair together', () => {
    const drift = detectDrift(seen({ issue: { ...issue, state: { id: 'st_done', name: 'Done', type: 'completed' } }, incident: { ...incident, status: 'acknowledged' } }));
    expect(drift?.kinds).toEqual(['issue_state', 'incident_status']);
    expect(drift?.summary.map((line) => line.kind)).toEqual(['issue_state', 'incident_status']);
  });
});

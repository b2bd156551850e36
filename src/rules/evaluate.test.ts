import { describe, expect, it } from 'vitest';
import { dryRunRule, evaluateIssue, exclusionOf, failedFilter, inactivity, urgencyFor, type Exclusion } from './evaluate.js';
import { STATUS_TYPES, type IssueFacts, type Rule, type RuleFilters, type RuleRouting } from './rule.js';

type RuleOverrides = Partial<Omit<Rule, 'filters' | 'routing'>> & { filters?: Partial<RuleFilters>; routing?: Partial<RuleRouting> };

/** A rule of team `team-a` that takes every priority and every status type, enabled and active. */
function rule(id: string, overrides: RuleOverrides = {}): Rule {
  const { filters, routing, ...rest } = overrides;
  return {
    id,
    organisationId: 'org-1',
    name: `Rule ${id}`,
    position: 1,
    enabled: true,
    pausedAt: null,
    pausedReason: null,
    missingReferences: [],
    filters: { teamId: 'team-a', priorities: [0, 1, 2, 3, 4], statusTypes: [...STATUS_TYPES], projectIds: [], labelIds: [], ...filters },
    routing: { serviceId: 'svc-1', urgency: 'high', pagerdutyPriorityId: null, ...routing },
    sync: {
      acknowledgedStateId: 'state-started',
      resolvedStateId: 'state-done',
      commentsToNotes: true,
      notesToComments: true,
      resolveOnComplete: true,
      reopenOnReopen: true,
      postIncidentLink: true,
      incidentLinkAs: 'attachment',
    },
    incidentsPerHour: 20,
    ...rest,
  };
}

/** An Urgent, started issue of team `team-a`, in no project, without labels, not linked. */
function issue(overrides: Partial<IssueFacts> = {}): IssueFacts {
  return { id: 'iss-1', teamId: 'team-a', priority: 1, stateType: 'started', projectId: null, labelIds: [], hasOpenLink: false, ...overrides };
}

const paused = { pausedAt: 1_700_000_000_000, pausedReason: 'Reached 20 incidents in an hour.' };
const missing = { missingReferences: [{ kind: 'service' as const, id: 'svc-1', name: 'Checkout' }] };

describe('failedFilter', () => {
  it.each<[string, Partial<RuleFilters>, Partial<IssueFacts>, Exclusion | null]>([
    ['same team', {}, {}, null],
    ['another team', { teamId: 'team-b' }, {}, 'team'],
    ['priority chosen', { priorities: [1, 2] }, { priority: 2 }, null],
    ['priority not chosen', { priorities: [1, 2] }, { priority: 3 }, 'priority'],
    ['No priority chosen', { priorities: [0] }, { priority: 0 }, null],
    ['No priority not chosen', { priorities: [1, 2, 3, 4] }, { priority: 0 }, 'priority'],
    ['a priority Linear does not use', {}, { priority: 5 }, 'priority'],
    ['no priorities (validation forbids it) match nothing', { priorities: [] }, {}, 'priority'],
    ['status type chosen', { statusTypes: ['triage', 'started'] }, { stateType: 'triage' }, null],
    ['status type not chosen', { statusTypes: ['triage', 'started'] }, { stateType: 'backlog' }, 'status_type'],
    ['duplicate, which no rule offers', {}, { stateType: 'duplicate' }, 'status_type'],
    ['no status types match nothing', { statusTypes: [] }, {}, 'status_type'],
    ['no projects chosen, issue in none', {}, { projectId: null }, null],
    ['no projects chosen, issue in one', {}, { projectId: 'prj-9' }, null],
    ['any of the projects', { projectIds: ['prj-1', 'prj-2'] }, { projectId: 'prj-2' }, null],
    ['another project', { projectIds: ['prj-1', 'prj-2'] }, { projectId: 'prj-3' }, 'project'],
    ['projects chosen, issue in none', { projectIds: ['prj-1'] }, { projectId: null }, 'project'],
    ['no labels chosen, issue has none', {}, { labelIds: [] }, null],
    ['no labels chosen, issue has some', {}, { labelIds: ['lbl-9'] }, null],
    ['any of the labels', { labelIds: ['lbl-1', 'lbl-2'] }, { labelIds: ['lbl-9', 'lbl-2'] }, null],
    ['none of the labels', { labelIds: ['lbl-1'] }, { labelIds: ['lbl-2', 'lbl-3'] }, 'label'],
    ['labels chosen, issue has none', { labelIds: ['lbl-1'] }, { labelIds: [] }, 'label'],
    ['every filter fails: team is named', { teamId: 'team-b', priorities: [4], statusTypes: ['backlog'], projectIds: ['p'], labelIds: ['l'] }, {}, 'team'],
    ['priority and label fail: priority is named', { priorities: [4], labelIds: ['lbl-1'] }, {}, 'priority'],
    ['status type and project fail: status type is named', { statusTypes: ['backlog'], projectIds: ['prj-1'] }, {}, 'status_type'],
    ['project and label fail: project is named', { projectIds: ['prj-1'], labelIds: ['lbl-1'] }, {}, 'project'],
  ])('%s', (_case, filters, facts, expected) => {
    expect(failedFilter(rule('r1', { filters }).filters, issue(facts))).toBe(expected);
  });

  it.each(STATUS_TYPES)('matches the status type %s only when chosen', (stateType) => {
    expect(failedFilter(rule('r1', { filters: { statusTypes: [stateType] } }).filters, issue({ stateType }))).toBeNull();
    const others = STATUS_TYPES.filter((type) => type !== stateType);
    expect(failedFilter(rule('r1', { filters: { statusTypes: others } }).filters, issue({ stateType }))).toBe('status_type');
  });
});

describe('inactivity and exclusionOf', () => {
  it.each<[string, RuleOverrides, Exclusion | null]>([
    ['enabled and active', {}, null],
    ['disabled', { enabled: false }, 'disabled'],
    ['paused', paused, 'paused'],
    ['needs attention', missing, 'needs_attention'],
    ['disabled and paused: disabled', { enabled: false, ...paused }, 'disabled'],
    ['paused and needs attention: needs attention', { ...paused, ...missing }, 'needs_attention'],
  ])('%s', (_case, overrides, expected) => {
    expect(inactivity(rule('r1', overrides))).toBe(expected);
    expect(exclusionOf(rule('r1', overrides), issue())).toBe(expected);
  });

  it('names a failed filter before the rule’s state', () => {
    expect(exclusionOf(rule('r1', { enabled: false, ...paused, filters: { priorities: [4] } }), issue())).toBe('priority');
  });
});

describe('urgencyFor', () => {
  it.each<[number, 'high' | 'low']>([
    [1, 'high'],
    [2, 'high'],
    [3, 'low'],
    [4, 'low'],
    [0, 'low'],
  ])('from priority %i → %s; fixed urgencies ignore the priority', (priority, expected) => {
    expect(urgencyFor(rule('r1', { routing: { urgency: 'from_priority' } }), priority)).toBe(expected);
    expect(urgencyFor(rule('r1', { routing: { urgency: 'high' } }), priority)).toBe('high');
    expect(urgencyFor(rule('r1', { routing: { urgency: 'low' } }), priority)).toBe('low');
  });
});

/** The ids of the verdicts' rules with their exclusions, for compact expectations. */
function verdictsOf(rules: readonly Rule[], facts: IssueFacts): Array<[string, Exclusion | null]> {
  return evaluateIssue(rules, facts).verdicts.map((verdict) => [verdict.rule.id, verdict.excludedBy]);
}

describe('evaluateIssue', () => {
  it('asks the rules in list order (position, then id), whatever order they are given in', () => {
    const rules = [rule('r3', { position: 3 }), rule('r1b', { position: 1 }), rule('r1a', { position: 1 }), rule('r2', { position: 2 })];
    const { decision, verdicts } = evaluateIssue(rules, issue());
    expect(verdicts.map((verdict) => verdict.rule.id)).toEqual(['r1a', 'r1b', 'r2', 'r3']);
    expect(decision).toMatchObject({ kind: 'pages', rule: { id: 'r1a' } });
  });

  it.each<[string, RuleOverrides, Exclusion]>([
    ['disabled', { enabled: false }, 'disabled'],
    ['paused', paused, 'paused'],
    ['needs attention', missing, 'needs_attention'],
    ['not matching', { filters: { labelIds: ['lbl-1'] } }, 'label'],
  ])('skips a first rule that is %s; the next one takes the issue', (_case, overrides, reason) => {
    const rules = [rule('first', { position: 1, ...overrides }), rule('next', { position: 2 })];
    expect(evaluateIssue(rules, issue()).decision).toMatchObject({ kind: 'pages', rule: { id: 'next' } });
    expect(verdictsOf(rules, issue())).toEqual([['first', reason], ['next', null]]);
  });

  it('ignores another team’s rules, even earlier in the order', () => {
    const rules = [rule('other-team', { position: 1, filters: { teamId: 'team-b' } }), rule('own-team', { position: 2 })];
    expect(evaluateIssue(rules, issue()).decision).toMatchObject({ kind: 'pages', rule: { id: 'own-team' } });
    expect(verdictsOf(rules, issue())).toEqual([['other-team', 'team'], ['own-team', null]]);
    expect(evaluateIssue(rules, issue({ teamId: 'team-c' })).decision).toEqual({ kind: 'no_rule' });
  });

  it('answers no_rule, with each rule’s reason, when no rule takes the issue', () => {
    const rules = [
      rule('r1', { position: 1, filters: { priorities: [3] } }),
      rule('r2', { position: 2, ...paused }),
      rule('r3', { position: 3, filters: { projectIds: ['prj-1'] } }),
    ];
    expect(evaluateIssue(rules, issue()).decision).toEqual({ kind: 'no_rule' });
    expect(verdictsOf(rules, issue())).toEqual([['r1', 'priority'], ['r2', 'paused'], ['r3', 'project']]);
    expect(evaluateIssue([], issue())).toEqual({ decision: { kind: 'no_rule' }, verdicts: [] });
  });

  it('pages with the urgency of the rule that takes the issue', () => {
    const rules = [rule('r1', { routing: { urgency: 'from_priority' } })];
    expect(evaluateIssue(rules, issue({ priority: 2 })).decision).toMatchObject({ kind: 'pages', urgency: 'high' });
    expect(evaluateIssue(rules, issue({ priority: 3 })).decision).toMatchObject({ kind: 'pages', urgency: 'low' });
  });

  it('does not page an issue with an open incident again: already paging, naming the rule that would take it', () => {
    const rules = [rule('r1', { position: 1, enabled: false }), rule('r2', { position: 2 })];
    expect(evaluateIssue(rules, issue({ hasOpenLink: true })).decision).toMatchObject({ kind: 'already_paging', rule: { id: 'r2' } });
    expect(evaluateIssue(rules, issue({ hasOpenLink: true, priority: 0 })).decision).toMatchObject({ kind: 'already_paging' });
    expect(evaluateIssue([rule('r1', { filters: { priorities: [4] } })], issue({ hasOpenLink: true })).decision).toEqual({ kind: 'no_rule' });
  });
});

describe('dryRunRule', () => {
  const earlier = rule('earlier', { position: 1, filters: { priorities: [1] } });
  const later = rule('later', { position: 3 });

  it('reports for each issue whether it pages, which filter excluded it, and an earlier rule that takes it', () => {
    const candidate = rule('candidate', { position: 2, filters: { priorities: [1, 2] } });
    const lines = dryRunRule([earlier, later], candidate, [
      issue({ id: 'urgent', priority: 1 }),
      issue({ id: 'high', priority: 2 }),
      issue({ id: 'low', priority: 4 }),
    ]);
    const rows = lines.map((line) => [line.issueId, line.wouldPage, line.excludedBy, line.earlierRule?.id ?? null, line.alreadyPaging]);
    expect(rows).toEqual([
      ['urgent', false, null, 'earlier', false],
      ['high', true, null, null, false],
      ['low', false, 'priority', null, false],
    ]);
  });

  it('reports an earlier rule that would take the issue even when the tested rule excludes it too', () => {
    const candidate = rule('candidate', { position: 2, filters: { labelIds: ['lbl-1'] } });
    expect(dryRunRule([earlier], candidate, [issue()])).toEqual([
      { issueId: 'iss-1', wouldPage: false, excludedBy: 'label', earlierRule: earlier, alreadyPaging: false },
    ]);
  });

  it.each<[string, RuleOverrides]>([
    ['disabled', { enabled: false }],
    ['paused', paused],
    ['needing attention', missing],
    ['of another team', { filters: { teamId: 'team-b' } }],
  ])('does not report an earlier rule %s: it would not take the issue', (_case, overrides) => {
    const blocked = rule('blocked', { position: 1, ...overrides });
    expect(dryRunRule([blocked], rule('candidate', { position: 2 }), [issue()])[0]).toMatchObject({ wouldPage: true, earlierRule: null });
  });

  it('tests unsaved values in place of the saved rule, at the candidate’s position', () => {
    const saved = rule('r2', { position: 2, filters: { priorities: [4] } });
    const edited = rule('r2', { position: 2, filters: { priorities: [1] } });
    expect(dryRunRule([earlier, saved, later], edited, [issue()])[0]).toMatchObject({ excludedBy: null, earlierRule: { id: 'earlier' } });
    const movedFirst = rule('r2', { position: 0, filters: { priorities: [1] } });
    expect(dryRunRule([earlier, saved, later], movedFirst, [issue()])[0]).toMatchObject({ wouldPage: true, earlierRule: null });
  });

  it('tests a new rule placed after the last one', () => {
    const fresh = rule('new', { position: 4 });
    expect(dryRunRule([earlier, later], fresh, [issue()])[0]).toMatchObject({ wouldPage: false, earlierRule: { id: 'earlier' } });
    expect(dryRunRule([earlier, later], fresh, [issue({ priority: 3 })])[0]).toMatchObject({ wouldPage: false, earlierRule: { id: 'later' } });
  });

  it('names the tested rule’s own state when its filters match', () => {
    const candidate = rule('candidate', { enabled: false, filters: { statusTypes: ['started'] } });
    const lines = dryRunRule([], candidate, [issue(), issue({ id: 'iss-2', stateType: 'backlog' })]);
    expect(lines.map((line) => [line.wouldPage, line.excludedBy])).toEqual([[false, 'disabled'], [false, 'status_type']]);
  });

  it('does not page an issue with an open incident: already paging', () => {
    expect(dryRunRule([], rule('candidate'), [issue({ hasOpenLink: true })])).toEqual([
      { issueId: 'iss-1', wouldPage: false, excludedBy: null, earlierRule: null, alreadyPaging: true },
    ]);
  });
});

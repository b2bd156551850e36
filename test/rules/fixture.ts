import type { NewRule } from '../../src/rules/rules-repository.js';

/** A rule as stored, for suites that need one without the API (ids need not exist upstream). */
export function newRule(organisationId: string, incidentsPerHour: number, at: number): NewRule {
  return {
    organisationId,
    name: 'Urgent engineering',
    position: 1,
    enabled: true,
    pausedAt: null,
    pausedReason: null,
    missingReferences: [],
    filters: { teamId: 'team-eng', priorities: [1, 2], statusTypes: ['unstarted', 'started'], projectIds: [], labelIds: [] },
    routing: { serviceId: 'PSVC1', urgency: 'from_priority', pagerdutyPriorityId: null },
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
    names: { team: 'Engineering', teamKey: 'ENG', service: 'Checkout', pagerdutyPriority: null, acknowledgedState: 'In Progress', resolvedState: 'Done', projects: {}, labels: {} },
    incidentsPerHour,
    createdAt: at,
    createdBy: null,
  };
}

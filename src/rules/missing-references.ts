import type { MissingReference, StoredRule } from './rule.js';

/**
 * Which of a rule's references no longer exist upstream (issue 10 item 5: a team, state,
 * service, project, label or PagerDuty priority deleted at the vendor). Pure over an `Upstream`
 * view, so the reference check can load each team's and the account's lists once for every rule.
 */

/** What exists upstream now; null where the thing itself is gone (a deleted team). */
export interface Upstream {
  /** The team's state, project and label ids (workspace labels included); null: the team is gone. */
  team(teamId: string): Promise<{ states: ReadonlySet<string>; projects: ReadonlySet<string>; labels: ReadonlySet<string> } | null>;
  serviceExists(serviceId: string): Promise<boolean>;
  /** The account's priority ids; null when it has none. */
  priorities(): Promise<ReadonlySet<string> | null>;
}

/** The rule's references missing upstream, in the form's order, named by their last known names. */
export async function missingReferencesOf(rule: StoredRule, upstream: Upstream): Promise<MissingReference[]> {
  const { filters, routing, sync, names } = rule;
  const missing: MissingReference[] = [];
  const team = await upstream.team(filters.teamId);
  if (team === null) {
    missing.push({ kind: 'team', id: filters.teamId, name: names.team });
  } else {
    for (const id of filters.projectIds) if (!team.projects.has(id)) missing.push({ kind: 'project', id, name: names.projects[id] ?? null });
    for (const id of filters.labelIds) if (!team.labels.has(id)) missing.push({ kind: 'label', id, name: names.labels[id] ?? null });
  }
  if (!(await upstream.serviceExists(routing.serviceId))) missing.push({ kind: 'service', id: routing.serviceId, name: names.service });
  if (routing.pagerdutyPriorityId !== null) {
    const priorities = await upstream.priorities();
    if (priorities?.has(routing.pagerdutyPriorityId) !== true) {
      missing.push({ kind: 'pagerduty_priority', id: routing.pagerdutyPriorityId, name: names.pagerdutyPriority });
    }
  }
  if (team !== null) {
    if (!team.states.has(sync.acknowledgedStateId)) missing.push({ kind: 'state', id: sync.acknowledgedStateId, name: names.acknowledgedState });
    if (sync.resolvedStateId !== sync.acknowledgedStateId && !team.states.has(sync.resolvedStateId)) {
      missing.push({ kind: 'state', id: sync.resolvedStateId, name: names.resolvedState });
    }
  }
  return missing;
}

const KIND_WORDS: Readonly<Record<MissingReference['kind'], string>> = {
  team: 'Team',
  state: 'Status',
  service: 'Service',
  project: 'Project',
  label: 'Label',
  pagerduty_priority: 'PagerDuty priority',
};

/** For people: `Label "Bug" was deleted`. */
export function describeMissing(reference: MissingReference): string {
  const name = reference.name === null ? reference.id : `"${reference.name}"`;
  return `${KIND_WORDS[reference.kind]} ${name} no longer exists`;
}

/** Same set of references (order aside): no change to record. */
export function sameReferences(a: readonly MissingReference[], b: readonly MissingReference[]): boolean {
  const key = (reference: MissingReference) => `${reference.kind}:${reference.id}`;
  const left = new Set(a.map(key));
  return a.length === b.length && b.every((reference) => left.has(key(reference)));
}

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPS } from '../../sandbox/linear/operations.js';
import { liveReferenceSource } from '../../src/rules/reference-source.js';
import { checkOrganisationReferences } from '../../src/rules/reference-check.js';
import { findRule, insertRule, listHistory } from '../../src/rules/rules-repository.js';
import type { StoredRule } from '../../src/rules/rule.js';
import { testDialects } from '../helpers/databases.js';
import { CHECKOUT, createTeamWebhook, ENG_TEAM, linearGraphql, pagerdutyRest, startConnectedHub, type ConnectedHub } from '../webhooks/fixture.js';

/**
 * Needs attention (issue 10 item 5): something a rule refers to is deleted at the vendor (here at
 * the stand-ins, as a person would through the API) and the periodic check marks the rule,
 * naming what is missing by its last known name; a failing vendor changes nothing.
 */
describe.each(testDialects())('rule reference check on %s', (dialect) => {
  let env: ConnectedHub;
  let rule: StoredRule;
  let labelId: string;
  let projectId: string;
  const deps = () => ({ database: env.hub.hub.deps.database, connections: env.hub.hub.deps.connections, clock: env.hub.hub.deps.clock });
  const orgId = () => env.org.organisationId;

  beforeAll(async () => {
    env = await startConnectedHub(dialect);
    await createTeamWebhook(env.org.admin);
    // A rule on real references of the stand-ins' seed, read the way the hub reads them.
    const team = await liveReferenceSource(deps(), orgId()).team(ENG_TEAM);
    if (team === null) throw new Error('the seed has no ENG team');
    const started = team.states.find((state) => state.type === 'started')!;
    const done = team.states.find((state) => state.type === 'completed')!;
    const label = team.labels.find((candidate) => candidate.scope === 'team')!;
    const project = team.projects[0]!;
    labelId = label.id;
    projectId = project.id;
    rule = await insertRule(env.hub.database.db, {
      organisationId: orgId(),
      name: 'Urgent engineering',
      position: 1,
      enabled: true,
      pausedAt: null,
      pausedReason: null,
      missingReferences: [],
      filters: { teamId: ENG_TEAM, priorities: [1], statusTypes: ['started'], projectIds: [project.id], labelIds: [label.id] },
      routing: { serviceId: CHECKOUT.id, urgency: 'high', pagerdutyPriorityId: null },
      sync: {
        acknowledgedStateId: started.id,
        resolvedStateId: done.id,
        commentsToNotes: true,
        notesToComments: true,
        resolveOnComplete: true,
        reopenOnReopen: true,
        postIncidentLink: true,
      incidentLinkAs: 'attachment',
      },
      names: {
        team: team.team.name,
        teamKey: team.team.key,
        service: CHECKOUT.name,
        pagerdutyPriority: null,
        acknowledgedState: started.name,
        resolvedState: done.name,
        projects: { [project.id]: project.name },
        labels: { [label.id]: label.name },
      },
      incidentsPerHour: 20,
      createdAt: Date.now(),
      createdBy: null,
    });
  }, 60_000);
  afterAll(async () => env.close());

  it('changes nothing while everything exists', async () => {
    expect(await checkOrganisationReferences(deps(), orgId())).toEqual({ checked: 1, changed: 0 });
    expect((await findRule(env.hub.database.db, orgId(), rule.id))?.version).toBe(1);
  });

  it('leaves the rule as it is when a vendor fails during the check', async () => {
    const fault = await fetch(`${env.sandbox.pagerdutyUrl}/_sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ api: [{ kind: '500', count: 10, method: 'GET', pathPrefix: `/services/${CHECKOUT.id}` }] }),
    });
    expect(fault.status).toBeLessThan(300);
    await expect(checkOrganisationReferences(deps(), orgId())).rejects.toThrow();
    await fetch(`${env.sandbox.pagerdutyUrl}/_sandbox/faults`, { method: 'DELETE' });
    const unchanged = await findRule(env.hub.database.db, orgId(), rule.id);
    expect(unchanged?.missingReferences).toEqual([]);
    expect(unchanged?.version).toBe(1);
  });

  it('marks the rule Needs attention, naming a deleted label, project and service by their last names', async () => {
    expect((await linearGraphql(env.sandbox.linearUrl, OPS.LabelDelete, { id: labelId })).body.errors).toBeUndefined();
    expect((await linearGraphql(env.sandbox.linearUrl, OPS.ProjectDelete, { id: projectId })).body.errors).toBeUndefined();
    expect((await pagerdutyRest(env.sandbox.pagerdutyUrl, 'DELETE', `/services/${CHECKOUT.id}`)).status).toBe(204);

    expect(await checkOrganisationReferences(deps(), orgId())).toEqual({ checked: 1, changed: 1 });
    const marked = await findRule(env.hub.database.db, orgId(), rule.id);
    expect(marked?.missingReferences).toEqual([
      { kind: 'project', id: projectId, name: rule.names.projects[projectId] },
      { kind: 'label', id: labelId, name: rule.names.labels[labelId] },
      { kind: 'service', id: CHECKOUT.id, name: CHECKOUT.name },
    ]);
    const [entry] = await listHistory(env.hub.database.db, orgId(), rule.id);
    expect(entry).toMatchObject({ action: 'needs_attention', userId: null });
    expect(entry?.changes).toEqual([
      `Project "${rule.names.projects[projectId]}" no longer exists`,
      `Label "${rule.names.labels[labelId]}" no longer exists`,
      `Service "${CHECKOUT.name}" no longer exists`,
    ]);

    // A second pass finds the same: no new history entry.
    expect(await checkOrganisationReferences(deps(), orgId())).toEqual({ checked: 1, changed: 0 });
    expect(await listHistory(env.hub.database.db, orgId(), rule.id)).toHaveLength(1);
  });

  it('names a deleted team (its states are then not reported separately)', async () => {
    const deleted = await linearGraphql(env.sandbox.linearUrl, OPS.TeamDelete, { id: ENG_TEAM });
    expect(deleted.body.errors).toBeUndefined();
    await checkOrganisationReferences(deps(), orgId());
    const marked = await findRule(env.hub.database.db, orgId(), rule.id);
    expect(marked?.missingReferences.map((reference) => reference.kind)).toEqual(['team', 'service']);
    expect(marked?.missingReferences[0]).toEqual({ kind: 'team', id: ENG_TEAM, name: rule.names.team });
  });
});

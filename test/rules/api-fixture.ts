import { expect } from 'vitest';
import { seedId } from '../../sandbox/linear/seed.js';
import type { CreateRuleRequest, RuleResponse, RuleView, RulesResponse } from '../../src/api/index.js';
import type { HubClient } from '../helpers/client.js';
import { ENG_TEAM, pagerdutyRest, SUP_TEAM, until, type ConnectedHub } from '../webhooks/fixture.js';

/** Shared set-up of the rules API suites (test/rules/*.test.ts): the acme seed of both stand-ins. */

export { ENG_TEAM, SUP_TEAM };
export const CHECKOUT = { id: 'PSVC001', name: 'Checkout API' };
export const PAYMENTS = { id: 'PSVC002', name: 'Payments Gateway' };
export const ENG_STATE = (name: string) => seedId('state', 'acme', 'ENG', name);
export const ENG_LABEL = (name: string) => seedId('label', 'acme', 'ENG', name);
export const WORKSPACE_LABEL = (name: string) => seedId('label', 'acme', name);

let names = 0;

/** A valid rule form for the ENG team on Checkout API (a fresh name unless given). */
export function ruleInput(overrides: Partial<CreateRuleRequest> = {}): CreateRuleRequest {
  return {
    name: `Rule ${++names}`,
    filters: { teamId: ENG_TEAM, priorities: [1, 2], statusTypes: ['unstarted', 'started'] },
    routing: { serviceId: CHECKOUT.id, urgency: 'from_priority' },
    ...overrides,
  };
}

export async function createRule(admin: HubClient, overrides: Partial<CreateRuleRequest> = {}): Promise<RuleView> {
  const response = await admin.post<{ rule: RuleView }>('/api/rules', ruleInput(overrides));
  expect(response.status, response.text).toBe(201);
  return response.body.rule;
}

export async function getRule(c: HubClient, id: string): Promise<RuleResponse> {
  const response = await c.get<RuleResponse>(`/api/rules/${id}`);
  expect(response.status, response.text).toBe(200);
  return response.body;
}

export async function listRules(c: HubClient): Promise<RulesResponse> {
  const response = await c.get<RulesResponse>('/api/rules');
  expect(response.status, response.text).toBe(200);
  return response.body;
}

/** The rule as a PATCH body (the whole form) at its version, with changes. */
export function formOf(rule: RuleView, changes: Partial<CreateRuleRequest> = {}): CreateRuleRequest & { version: number } {
  return {
    name: rule.name,
    enabled: rule.enabled,
    filters: {
      teamId: rule.filters.team.id,
      priorities: rule.filters.priorities,
      statusTypes: rule.filters.statusTypes,
      projectIds: rule.filters.projects.map((p) => p.id),
      labelIds: rule.filters.labels.map((l) => l.id),
    },
    routing: { serviceId: rule.routing.service.id, urgency: rule.routing.urgency, pagerdutyPriorityId: rule.routing.pagerdutyPriority?.id ?? null },
    sync: {
      acknowledgedStateId: rule.sync.acknowledgedState.id,
      resolvedStateId: rule.sync.resolvedState.id,
      commentsToNotes: rule.sync.commentsToNotes,
      notesToComments: rule.sync.notesToComments,
      resolveOnComplete: rule.sync.resolveOnComplete,
      reopenOnReopen: rule.sync.reopenOnReopen,
      postIncidentLink: rule.sync.postIncidentLink,
    },
    incidentsPerHour: rule.incidentsPerHour,
    ...changes,
    version: rule.version,
  };
}

/** Deletes every rule of the client's organisation. */
export async function deleteAllRules(admin: HubClient): Promise<void> {
  for (const rule of (await listRules(admin)).rules) expect((await admin.delete(`/api/rules/${rule.id}`)).status).toBe(204);
}

/** Waits until no rules.follow_service job is queued or running (subscriptions settled). */
export async function subscriptionsSettled(env: ConnectedHub): Promise<void> {
  await until(
    'rules.follow_service jobs to finish',
    async () => {
      const pending = await env.hub.database.db
        .selectFrom('jobs')
        .select('id')
        .where('kind', '=', 'rules.follow_service')
        .where('status', 'in', ['queued', 'running'])
        .execute();
      return pending.length === 0;
    },
    10_000,
  );
}

/** The services the PagerDuty stand-in has webhook subscriptions for. */
export async function subscribedServices(env: ConnectedHub): Promise<string[]> {
  const listed = await pagerdutyRest<{ webhook_subscriptions: Array<{ filter: { id: string } }> }>(env.sandbox.pagerdutyUrl, 'GET', '/webhook_subscriptions');
  expect(listed.status).toBe(200);
  return listed.body.webhook_subscriptions.map((sub) => sub.filter.id).sort();
}

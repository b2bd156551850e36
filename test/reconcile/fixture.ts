import { expect } from 'vitest';
import type { ReconciliationResponse } from '../../src/api/index.js';
import { sandboxControl, sandboxSettings } from '../helpers/connections.js';
import { createRule, ENG_STATE, ENG_TEAM } from '../rules/api-fixture.js';
import { CHECKOUT, createTeamWebhook, pagerdutyRest, until, type ConnectedHub } from '../webhooks/fixture.js';

/**
 * What the reconciliation suites share: acting at the stand-ins as a person (a Linear token of
 * the connected user's own, PagerDuty's REST API), waiting until nothing is left to happen, and
 * running a sweep with **Reconcile now**.
 */
export interface ReconcileFixture {
  gql: <T = any>(query: string, variables?: Record<string, unknown>) => Promise<T>;
  pd: <T = any>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;
  createIssue: (title: string) => Promise<{ id: string; identifier: string }>;
  linkOf: (issueId: string) => Promise<{ id: string; incident_id: string | null; incident_key: string; service_id: string } | undefined>;
  /** Both stand-ins have nothing to deliver and the hub no live job or heal to run (twice in a row). */
  settle: () => Promise<void>;
  /** Reconcile now; waits until that sweep finished and its heals ran; Activity's answer then. */
  sweep: () => Promise<ReconciliationResponse>;
  setUp: () => Promise<void>;
}

export function reconcileFixture(env: () => ConnectedHub): ReconcileFixture {
  let ownLinearToken = '';
  const db = () => env().hub.database.db;
  const fixture: ReconcileFixture = {
    gql: async <T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
      const response = await fetch(`${env().sandbox.linearUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ownLinearToken}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: T; errors?: unknown[] };
      expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
      return body.data!;
    },
    pd: <T = any>(method: string, path: string, body?: unknown) => pagerdutyRest<T>(env().sandbox.pagerdutyUrl, method, path, body),
    createIssue: async (title: string) => {
      const created = await fixture.gql<{ issueCreate: { issue: { id: string; identifier: string } } }>(
        'mutation($input: IssueCreateInput!) { issueCreate(input: $input) { issue { id identifier } } }',
        { input: { teamId: ENG_TEAM, title, priority: 1, stateId: ENG_STATE('Todo') } },
      );
      return created.issueCreate.issue;
    },
    linkOf: (issueId: string) => db().selectFrom('sync_links').selectAll().where('issue_id', '=', issueId).executeTakeFirst(),
    settle: async () => {
      let quiet = 0;
      await until('everything to settle', async () => {
        await env().sandbox.pagerduty.dispatcher.idle();
        await env().sandbox.linear.dispatcher.idle();
        const busy = await db()
          .selectFrom('jobs')
          .select('id')
          .where('status', 'in', ['queued', 'running'])
          .where((eb) => eb.or([eb('unique_key', 'is', null), eb('kind', '=', 'reconcile.heal')]))
          .execute();
        quiet = busy.length === 0 ? quiet + 1 : 0;
        if (quiet < 2) await new Promise((resolve) => setTimeout(resolve, 50));
        return quiet >= 2;
      }, 20_000);
    },
    sweep: async () => {
      const admin = env().org.admin;
      const before = (await admin.get<ReconciliationResponse>('/api/activity/reconciliation')).body.lastSweep?.finishedAt ?? null;
      const asked = await admin.post<{ jobId: string }>('/api/activity/reconciliation/run', {});
      expect(asked.status, asked.text).toBe(200);
      await until('the sweep to finish', async () => {
        const answer = (await admin.get<ReconciliationResponse>('/api/activity/reconciliation')).body;
        return answer.lastSweep !== null && answer.lastSweep.finishedAt !== before;
      }, 30_000);
      await fixture.settle();
      return (await admin.get<ReconciliationResponse>('/api/activity/reconciliation')).body;
    },
    /**
     * A token of the connected Linear user's own (so their changes are not the hub's), the ENG team
     * webhook, a rule paging Urgent/High ENG issues on Checkout API and its subscription; a generous
     * Linear limit, so the sweep's share of it (20 %) spaces its reads 150 ms apart, not 15 s.
     */
    setUp: async () => {
      const { sandbox, org } = env();
      await sandboxSettings(sandbox.linearUrl, { rateLimits: { oauth: { requests: 120_000, complexity: 20_000_000 } } });
      const tokens = (await sandboxControl<{ tokens: Array<{ value: string; kind: string; revoked: boolean; owner: { user: string } }> }>(sandbox.linearUrl, 'GET', '/_sandbox/tokens')).tokens;
      const user = tokens.find((token) => token.kind === 'access' && !token.revoked)!.owner.user;
      ownLinearToken = (await sandboxControl<{ access_token: string }>(sandbox.linearUrl, 'POST', '/_sandbox/tokens', { workspace: 'Acme', user, scopes: ['read', 'write'] })).access_token;
      await createTeamWebhook(org.admin, ENG_TEAM);
      await createRule(org.admin, { name: 'Urgent engineering', routing: { serviceId: CHECKOUT.id, urgency: 'from_priority' } });
      await until('the Checkout API subscription', async () => {
        const subscriptions = (await fixture.pd('GET', '/webhook_subscriptions')).body.webhook_subscriptions as Array<{ filter: { id: string } }>;
        return subscriptions.some((subscription) => subscription.filter.id === CHECKOUT.id);
      }, 10_000);
    },
  };
  return fixture;
}

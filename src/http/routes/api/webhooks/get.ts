import type { FastifyInstance } from 'fastify';
import { findConnection } from '../../../../connections/connections-repository.js';
import type { ProviderName } from '../../../../providers/names.js';
import type { Endpoint } from '../../../../webhooks/endpoints-repository.js';
import { webhooksApi, type WebhooksResponse } from '../../../../api/webhooks.js';
import { route } from '../../../contract-route.js';
import type { AppDeps } from '../../../deps.js';
import { requireSession } from '../../../guards.js';
import { providerErrorToHttp } from '../../../provider-error-mapping.js';
import { linearWebhookView, subscriptionView } from './views.js';

type TeamsSection = WebhooksResponse['linear'];

/**
 * GET /api/webhooks — any logged-in user. Statuses as stored by the last check (a repair pass,
 * or Refresh: refresh-post.ts) — no status call to the providers per page load. The answer has
 * one section per provider, in the shape of its webhooks: teams people manage (`linear`, the
 * team list read live so each team can be offered a webhook), subscriptions rules manage
 * (`pagerduty`).
 */
export function registerGetWebhooks(app: FastifyInstance, deps: AppDeps): void {
  route(app, webhooksApi.list, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    input.query();
    return webhooksList(deps, organisation.id);
  });
}

/** The Webhooks tab's list, from the stored statuses. */
export async function webhooksList(deps: AppDeps, organisationId: string): Promise<WebhooksResponse> {
  const endpoints = await deps.webhooks.list(organisationId);
  const of = (provider: ProviderName) => endpoints.filter((endpoint) => endpoint.provider === provider);
  const rules = await deps.rules.enabledRulesByService(organisationId);
  return {
    linear: await teamsSection(deps, organisationId, 'linear', of('linear')),
    pagerduty: { subscriptions: of('pagerduty').map((row) => subscriptionView(deps.webhooks, row, rules.get(row.scopeId) ?? [])) },
  };
}

/** Every team of the connected workspace with its webhook; only the teams with one when the teams cannot be read. */
async function teamsSection(deps: AppDeps, organisationId: string, provider: ProviderName, endpoints: Endpoint[]): Promise<TeamsSection> {
  const stored = (rows: Endpoint[]) =>
    rows.map((row) => ({ team: { id: row.scopeId, name: row.scopeName, key: '' }, webhook: linearWebhookView(deps.webhooks, row) }));
  const connection = await findConnection(deps.database.db, organisationId, provider);
  if (connection?.status !== 'connected') {
    const usable = await deps.webhooks.usableConnection(organisationId, provider);
    return { blockedBy: usable.ok ? null : { code: usable.code, message: usable.message }, teams: stored(endpoints), teamsError: null };
  }
  try {
    const live = await deps.webhooks.listScopes(organisationId, provider);
    const byTeam = new Map(endpoints.map((row) => [row.scopeId, row]));
    const teams = live.map((team) => {
      const row = byTeam.get(team.id);
      return { team: { id: team.id, name: team.name, key: team.key ?? '' }, webhook: row === undefined ? null : linearWebhookView(deps.webhooks, row) };
    });
    // Webhooks of teams the token no longer sees stay listed, so they can be deleted.
    const seen = new Set(live.map((team) => team.id));
    teams.push(...stored(endpoints.filter((row) => !seen.has(row.scopeId))));
    return { blockedBy: null, teams, teamsError: null };
  } catch (error) {
    const mapped = providerErrorToHttp(error);
    if (mapped === undefined) throw error;
    const problem = { code: mapped.code, message: mapped.message };
    // This very request may have found the connection revoked: say so as the block it now is.
    if (problem.code === 'not_connected' || problem.code === 'connection_disconnected') {
      return { blockedBy: { code: problem.code, message: problem.message }, teams: stored(endpoints), teamsError: null };
    }
    return { blockedBy: null, teams: stored(endpoints), teamsError: problem };
  }
}

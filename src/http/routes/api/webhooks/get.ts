import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
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
type SubscriptionsSection = WebhooksResponse['pagerduty'];

/**
 * GET /api/webhooks — any logged-in user. Checks every endpoint against the provider while
 * the connection works (Linear: one list call; PagerDuty: one call per subscription), so
 * statuses are current; if a check fails the stored statuses are shown and the reason given.
 * The answer has one section per provider, in the shape of its webhooks: teams people manage
 * (`linear`), subscriptions rules manage (`pagerduty`).
 */
export function registerGetWebhooks(app: FastifyInstance, deps: AppDeps): void {
  route(app, webhooksApi.list, async (request, _reply, input) => {
    const { organisation } = requireSession(request);
    input.query();
    const endpoints = await deps.webhooks.list(organisation.id);
    const of = (provider: ProviderName) => endpoints.filter((endpoint) => endpoint.provider === provider);
    return {
      linear: await teamsSection(deps, organisation.id, 'linear', of('linear')),
      pagerduty: await subscriptionsSection(deps, request.log, organisation.id, 'pagerduty', of('pagerduty')),
    };
  });
}

/** Every team of the connected workspace with its webhook, live; the stored ones when that cannot be read. */
async function teamsSection(deps: AppDeps, organisationId: string, provider: ProviderName, endpoints: Endpoint[]): Promise<TeamsSection> {
  const stored = (rows: Endpoint[]) =>
    rows.map((row) => ({ team: { id: row.scopeId, name: row.scopeName, key: '' }, webhook: linearWebhookView(deps.webhooks, row) }));
  const connection = await findConnection(deps.database.db, organisationId, provider);
  if (connection?.status !== 'connected') {
    const usable = await deps.webhooks.usableConnection(organisationId, provider);
    return { blockedBy: usable.ok ? null : { code: usable.code, message: usable.message }, teams: stored(endpoints), teamsError: null };
  }
  let checked = endpoints;
  try {
    const live = await deps.webhooks.listScopes(organisationId, provider);
    checked = await deps.webhooks.checkEndpoints(organisationId, provider, endpoints);
    const byTeam = new Map(checked.map((row) => [row.scopeId, row]));
    const teams = live.map((team) => {
      const row = byTeam.get(team.id);
      return { team: { id: team.id, name: team.name, key: team.key ?? '' }, webhook: row === undefined ? null : linearWebhookView(deps.webhooks, row) };
    });
    // Webhooks of teams the token no longer sees stay listed, so they can be deleted.
    const seen = new Set(live.map((team) => team.id));
    teams.push(...stored(checked.filter((row) => !seen.has(row.scopeId))));
    return { blockedBy: null, teams, teamsError: null };
  } catch (error) {
    const mapped = providerErrorToHttp(error);
    if (mapped === undefined) throw error;
    const problem = { code: mapped.code, message: mapped.message };
    // This very request may have found the connection revoked: say so as the block it now is.
    if (problem.code === 'not_connected' || problem.code === 'connection_disconnected') {
      return { blockedBy: { code: problem.code, message: problem.message }, teams: stored(checked), teamsError: null };
    }
    return { blockedBy: null, teams: stored(checked), teamsError: problem };
  }
}

/** The subscriptions, checked at the provider while connected; as stored when that fails. */
async function subscriptionsSection(
  deps: AppDeps,
  log: FastifyBaseLogger,
  organisationId: string,
  provider: ProviderName,
  endpoints: Endpoint[],
): Promise<SubscriptionsSection> {
  let checked = endpoints;
  const connection = await findConnection(deps.database.db, organisationId, provider);
  if (connection?.status === 'connected' && endpoints.length > 0) {
    try {
      checked = await deps.webhooks.checkEndpoints(organisationId, provider, endpoints);
    } catch (error) {
      if (providerErrorToHttp(error) === undefined) throw error;
      log.info({ reason: error instanceof Error ? error.message : 'unknown' }, `could not check ${provider} webhooks`);
    }
  }
  const rules = await deps.rules.enabledRulesByService(organisationId);
  return { subscriptions: checked.map((row) => subscriptionView(deps.webhooks, row, rules.get(row.scopeId) ?? [])) };
}

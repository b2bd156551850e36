import type { FastifyInstance } from 'fastify';
import { findConnection } from '../../../../connections/connections-repository.js';
import type { EndpointRow } from '../../../../webhooks/endpoints-repository.js';
import type { WebhooksResponse } from '../../../api-types.js';
import type { AppDeps } from '../../../deps.js';
import { requireSession } from '../../../guards.js';
import { providerErrorToHttp } from '../../../provider-error-mapping.js';
import { parseInput } from '../../../validation.js';
import { noQuery } from '../no-query.js';
import { linearWebhookView, subscriptionView } from './views.js';

/**
 * GET /api/webhooks — any logged-in user. Checks every endpoint against the provider while
 * the connection works (Linear: one list call; PagerDuty: one call per subscription), so
 * statuses are current; if a check fails the stored statuses are shown and the reason given.
 */
export function registerGetWebhooks(app: FastifyInstance, deps: AppDeps): void {
  app.get('/api/webhooks', async (request): Promise<WebhooksResponse> => {
    const { organisation } = requireSession(request);
    parseInput(noQuery, request.query, 'query');
    const db = deps.database.db;
    const endpoints = await deps.webhooks.list(organisation.id);
    let linearRows = endpoints.filter((row) => row.provider === 'linear');
    let pagerdutyRows = endpoints.filter((row) => row.provider === 'pagerduty');

    const linearConnection = await findConnection(db, organisation.id, 'linear');
    let blockedBy: WebhooksResponse['linear']['blockedBy'] = null;
    let teamsError: WebhooksResponse['linear']['teamsError'] = null;
    let teams: WebhooksResponse['linear']['teams'];
    const storedTeams = (rows: EndpointRow[]) =>
      rows.map((row) => ({ team: { id: row.scope_id, name: row.scope_name, key: '' }, webhook: linearWebhookView(deps.webhooks, row) }));
    if (linearConnection?.status !== 'connected') {
      const error = await deps.webhooks.usableConnection(organisation.id, 'linear').then(() => undefined, (e: unknown) => providerErrorToHttp(e));
      blockedBy = error !== undefined && (error.code === 'not_connected' || error.code === 'connection_disconnected') ? { code: error.code, message: error.message } : null;
      teams = storedTeams(linearRows);
    } else {
      try {
        const live = await deps.webhooks.listTeams(organisation.id);
        linearRows = await deps.webhooks.checkLinearWebhooks(organisation.id, linearRows);
        const byTeam = new Map(linearRows.map((row) => [row.scope_id, row]));
        teams = live.map((team) => {
          const row = byTeam.get(team.id);
          return { team, webhook: row === undefined ? null : linearWebhookView(deps.webhooks, row) };
        });
        // Webhooks of teams the token no longer sees stay listed, so they can be deleted.
        const seen = new Set(live.map((team) => team.id));
        teams.push(...storedTeams(linearRows.filter((row) => !seen.has(row.scope_id))));
      } catch (error) {
        const mapped = providerErrorToHttp(error);
        if (mapped === undefined) throw error;
        // This very request may have found the connection revoked: say so as the block it now is.
        if (mapped.code === 'not_connected' || mapped.code === 'connection_disconnected') {
          blockedBy = { code: mapped.code, message: mapped.message };
        } else teamsError = { code: mapped.code, message: mapped.message };
        teams = storedTeams(linearRows);
      }
    }

    const pagerdutyConnection = await findConnection(db, organisation.id, 'pagerduty');
    if (pagerdutyConnection?.status === 'connected' && pagerdutyRows.length > 0) {
      try {
        pagerdutyRows = await deps.webhooks.checkSubscriptions(organisation.id, pagerdutyRows);
      } catch (error) {
        if (providerErrorToHttp(error) === undefined) throw error;
        request.log.info({ reason: error instanceof Error ? error.message : 'unknown' }, 'could not check PagerDuty subscriptions');
      }
    }
    return {
      linear: { blockedBy, teams, teamsError },
      pagerduty: { subscriptions: pagerdutyRows.map((row) => subscriptionView(deps.webhooks, row)) },
    };
  });
}

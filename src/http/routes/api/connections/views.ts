import type { ConnectAttemptView, ConnectionView } from '../../../../api/connections.js';
import type { AttemptRow } from '../../../../connections/attempts-repository.js';
import type { ConnectionRow } from '../../../../connections/connections-repository.js';
import type { ConnectionsService } from '../../../../connections/connections-service.js';
import type { ConnectFailureCode, ConnectionStatusReason } from '../../../../connections/outcome-codes.js';
import type { ProviderName } from '../../../../db/tables.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * A connection as the API shows it. Only listed fields leave the server: tokens are not on the
 * row at all, and lease/refresh bookkeeping stays internal.
 */
export function connectionView(
  service: ConnectionsService,
  provider: ProviderName,
  rows: Map<ProviderName, ConnectionRow>,
): ConnectionView {
  const row = rows.get(provider);
  const blocked = row?.status === 'connected' ? undefined : service.connectBlockedBy(provider, rows);
  const oauth = service.oauthProvider(provider);
  const base = {
    provider,
    mode: service.config.providers[provider].mode,
    connectBlockedBy: blocked ?? null,
    requestedScopes: oauth.requestedScopes,
  };
  if (row === undefined) {
    return {
      ...base,
      status: 'not_connected',
      statusReason: null,
      account: null,
      connectedAs: null,
      connectedBy: null,
      connectedAt: null,
      scopes: [],
    };
  }
  const region = row.region === 'us' || row.region === 'eu' ? row.region : null;
  return {
    ...base,
    status: row.status,
    statusReason:
      row.status === 'connected' || row.status_reason === null
        ? null
        : {
            code: row.status_reason as ConnectionStatusReason,
            message: row.status_message ?? '',
            at: new Date(row.status_changed_at).toISOString(),
          },
    account: {
      id: row.external_account_id,
      name: row.account_name,
      subdomain: row.account_subdomain,
      region,
      url: row.account_url,
    },
    connectedAs: { id: row.provider_user_id, name: row.provider_user_name, email: row.provider_user_email, role: row.provider_user_role },
    connectedBy: { userId: row.connected_by_user_id, email: row.connected_by_email },
    connectedAt: iso(row.connected_at),
    scopes: row.scopes.split(' ').filter((scope) => scope !== ''),
  };
}

export function attemptView(row: AttemptRow): ConnectAttemptView {
  return {
    id: row.id,
    provider: row.provider,
    outcome: row.status === 'exchanging' ? 'pending' : row.status,
    code: row.error_code as ConnectFailureCode | null,
    message: row.message,
    createdAt: new Date(row.created_at).toISOString(),
    finishedAt: iso(row.finished_at),
  };
}

import type { ConnectAttemptView, ConnectionView } from '../../../../api/connections.js';
import type { ConnectAttempt } from '../../../../connections/attempts-repository.js';
import type { Connection } from '../../../../connections/connection.js';
import type { ConnectionsService } from '../../../../connections/connections-service.js';
import type { ProviderName } from '../../../../providers/names.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * A connection as the API shows it. Only listed fields leave the server: tokens are not on the
 * connection at all, and refresh bookkeeping stays internal.
 */
export function connectionView(
  service: ConnectionsService,
  provider: ProviderName,
  connections: Map<ProviderName, Connection>,
): ConnectionView {
  const connection = connections.get(provider);
  const blocked = connection?.status === 'connected' ? undefined : service.connectBlockedBy(provider, connections);
  const oauth = service.oauthProvider(provider);
  const base = {
    provider,
    mode: service.config.providers[provider].mode,
    connectBlockedBy: blocked ?? null,
    requestedScopes: oauth.requestedScopes,
  };
  if (connection === undefined) {
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
  const region = connection.region === 'us' || connection.region === 'eu' ? connection.region : null;
  return {
    ...base,
    status: connection.status,
    statusReason:
      connection.status === 'connected' || connection.statusReason === null
        ? null
        : {
            code: connection.statusReason,
            message: connection.statusMessage ?? '',
            at: new Date(connection.statusChangedAt).toISOString(),
          },
    account: {
      id: connection.externalAccountId,
      name: connection.accountName,
      subdomain: connection.accountSubdomain,
      region,
      url: connection.accountUrl,
    },
    connectedAs: { id: connection.providerUserId, name: connection.providerUserName, email: connection.providerUserEmail, role: connection.providerUserRole },
    connectedBy: { userId: connection.connectedByUserId, email: connection.connectedByEmail },
    connectedAt: iso(connection.connectedAt),
    scopes: connection.scopes,
  };
}

export function attemptView(attempt: ConnectAttempt): ConnectAttemptView {
  return {
    id: attempt.id,
    provider: attempt.provider,
    outcome: attempt.status === 'exchanging' ? 'pending' : attempt.status,
    code: attempt.errorCode,
    message: attempt.message,
    createdAt: new Date(attempt.createdAt).toISOString(),
    finishedAt: iso(attempt.finishedAt),
  };
}

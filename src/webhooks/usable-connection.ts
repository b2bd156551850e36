import { findConnection } from '../connections/connections-repository.js';
import { fail, ok, type Result } from '../core/result.js';
import type { ProviderName } from '../providers/names.js';
import { PROVIDER_NAMES } from '../providers/names.js';
import type { WebhooksDeps } from './deps.js';

/** The connection webhooks are created with. */
export interface UsableConnection {
  id: string;
  organisationId: string;
  provider: ProviderName;
}

export type ConnectionRefusal = 'not_connected' | 'connection_disconnected';

/** The organisation's connection to the provider, if webhooks can be created or deleted with it now. */
export async function usableConnection(
  deps: Pick<WebhooksDeps, 'database'>,
  organisationId: string,
  provider: ProviderName,
): Promise<Result<UsableConnection, ConnectionRefusal>> {
  const connection = await findConnection(deps.database.db, organisationId, provider);
  const name = PROVIDER_NAMES[provider];
  if (connection === undefined || connection.status === 'not_connected') {
    return fail('not_connected', `${name} is not connected: connect it on the Connections tab first.`);
  }
  if (connection.status === 'disconnected') {
    return fail(
      'connection_disconnected',
      `${name} is Disconnected, so webhooks cannot be created or deleted. Reconnect ${name} on the Connections tab. (${connection.statusMessage ?? ''})`.replace(' ()', ''),
    );
  }
  return ok({ id: connection.id, organisationId, provider });
}

import type { Kysely } from 'kysely';
import { findConnection } from '../connections/connections-repository.js';
import type { ConnectionStatus } from '../connections/connection.js';
import { fail, ok, type Result } from '../core/result.js';
import type { Database } from '../db/tables.js';
import { providers } from '../providers/registry.js';
import { listEndpoints } from '../webhooks/endpoints-repository.js';

type Db = Kysely<Database>;

/**
 * Whether rules can be created and edited now (issue 10 items 1 and 8): both connections —
 * the incident pager's and the issue tracker's — Connected, and for the form at least one team
 * with a hub webhook. Deleting and disabling need none of it: existing rules stay while a
 * connection is Disconnected and resume with it.
 */

export type ConnectionRefusal = 'not_connected' | 'connection_disconnected';

/** The roles' providers in the order the hub shows them: the pager, then the tracker. */
const roleProviders = () => [providers.incidentPager(), providers.issueTracker()];

function refusal(displayName: string, status: ConnectionStatus | undefined, statusMessage: string | null): Result<undefined, ConnectionRefusal> {
  if (status === undefined || status === 'not_connected') {
    return fail('not_connected', `${displayName} is not connected, so rules cannot be created or edited: connect ${displayName} on the Connections tab first.`);
  }
  if (status === 'disconnected') {
    const why = statusMessage === null || statusMessage === '' ? '' : ` (${statusMessage})`;
    return fail(
      'connection_disconnected',
      `${displayName} is Disconnected${why}, so rules cannot be created or edited. Existing rules stay and resume when you reconnect ${displayName} on the Connections tab.`,
    );
  }
  return ok();
}

/** ok when both connections are Connected; otherwise which one is not, and why. */
export async function editingAllowed(db: Db, organisationId: string): Promise<Result<undefined, ConnectionRefusal>> {
  for (const provider of roleProviders()) {
    const connection = await findConnection(db, organisationId, provider.name);
    const refused = refusal(provider.displayName, connection?.status, connection?.statusMessage ?? null);
    if (!refused.ok) return refused;
  }
  return ok();
}

/** What the Rules tab's "Before you can create a rule" checklist shows. */
export interface RulesReadiness {
  pagerConnected: boolean;
  trackerConnected: boolean;
  /** Teams with a hub webhook (the form's Webhook choices), by name. */
  teamWebhooks: Array<{ id: string; name: string }>;
  /** Why rules cannot be created or edited now; null when they can. */
  blockedBy: { code: ConnectionRefusal | 'no_team_webhook'; message: string } | null;
}

/**
 * Read from the hub's own records (no provider call): the connections' statuses and the issue
 * tracker's webhooks. A webhook the provider no longer has (`missing`) or one still being
 * created does not count.
 */
export async function rulesReadiness(db: Db, organisationId: string): Promise<RulesReadiness> {
  const pager = providers.incidentPager();
  const tracker = providers.issueTracker();
  const status = async (name: typeof pager.name) => (await findConnection(db, organisationId, name))?.status;
  const teamWebhooks = (await listEndpoints(db, organisationId, tracker.name))
    .filter((endpoint) => endpoint.status !== 'missing' && endpoint.status !== 'creating')
    .map((endpoint) => ({ id: endpoint.scopeId, name: endpoint.scopeName }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const allowed = await editingAllowed(db, organisationId);
  const blockedBy = !allowed.ok
    ? { code: allowed.code, message: allowed.message }
    : teamWebhooks.length === 0
      ? { code: 'no_team_webhook' as const, message: `No ${tracker.displayName} team has a hub webhook yet: add one on the Webhooks tab, then create rules for it.` }
      : null;
  return {
    pagerConnected: (await status(pager.name)) === 'connected',
    trackerConnected: (await status(tracker.name)) === 'connected',
    teamWebhooks,
    blockedBy,
  };
}

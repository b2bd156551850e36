import { findConnection } from '../connections/connections-repository.js';
import { ConnectionUnavailableError } from '../connections/errors.js';
import { ProviderError } from '../providers/errors.js';
import type { ProviderName } from '../providers/names.js';
import { providers } from '../providers/registry.js';
import type { ListedWebhook, ProviderWebhooks } from '../providers/webhooks.js';
import { createEndpoint } from './create-endpoint.js';
import type { WebhooksDeps } from './deps.js';
import { endpointUrl, forgetEndpoint } from './endpoint-records.js';
import { insertEndpoint, listEndpoints, signingSecretRef, updateEndpoint, type Endpoint } from './endpoints-repository.js';
import { scopesInUse } from './scopes-in-use.js';
import type { UsableConnection } from './usable-connection.js';

/** A `creating` row younger than this may still get its create answer: repair leaves it (and its webhook) alone. */
export const CREATING_GRACE_MS = 120_000;

/** What one pass did for one provider. */
export interface ProviderRepair {
  provider: ProviderName;
  /** Why the provider was not checked (not connected, Disconnected, the listing failed); null when it was. */
  skipped: string | null;
  /** One line per change, in words ("Engineering: Re-created at Linear (it was deleted there)."). */
  repaired: string[];
  /** Endpoints whose repair failed (the next pass tries again), in words. */
  problems: string[];
}

interface Pass {
  deps: WebhooksDeps;
  connection: UsableConnection;
  webhooks: ProviderWebhooks;
  displayName: string;
  now: number;
  report: ProviderRepair;
}

/**
 * One repair pass over an organisation's webhooks, provider by provider (the scheduled job and
 * Refresh run it). Per provider one listing of the account's webhooks, then:
 * - deleted at the provider → re-created (a new endpoint id, URL and signing secret, stored
 *   before use as createEndpoint does) — for rules-managed ones only while an enabled rule or
 *   an open link needs the scope, else the record is dropped;
 * - disabled or temporarily disabled → re-enabled;
 * - an orphan — a webhook whose URL is this hub's `/webhooks/<provider>/<id>` that no record
 *   names: adopted when the record `<id>` is still `creating` (its create answer was lost) and
 *   its secret is in the vault; otherwise removed at the provider. A `creating` record with no
 *   webhook after CREATING_GRACE_MS counts as deleted.
 * Every endpoint checked gets `status_checked_at`; each change `last_repair_at` and
 * `last_repair`. A second pass changes nothing. A provider not connected or Disconnected is
 * skipped and the report says so; a provider failure skips that provider (the next pass retries).
 */
export async function repairWebhooks(deps: WebhooksDeps, organisationId: string): Promise<ProviderRepair[]> {
  const reports: ProviderRepair[] = [];
  for (const provider of providers.all()) {
    const endpoints = await listEndpoints(deps.database.db, organisationId, provider.name);
    const report: ProviderRepair = { provider: provider.name, skipped: null, repaired: [], problems: [] };
    reports.push(report);
    const connection = await findConnection(deps.database.db, organisationId, provider.name);
    if (connection?.status !== 'connected') {
      report.skipped =
        connection?.status === 'disconnected'
          ? `${provider.displayName} is Disconnected: its ${provider.webhooks.words.webhook}s were not checked. Reconnect it on the Connections tab.`
          : `${provider.displayName} is not connected.`;
      continue;
    }
    const pass: Pass = {
      deps,
      connection: { id: connection.id, organisationId, provider: provider.name },
      webhooks: provider.webhooks,
      displayName: provider.displayName,
      now: deps.clock.now(),
      report,
    };
    try {
      await repairProvider(pass, endpoints);
    } catch (error) {
      if (!(error instanceof ProviderError || error instanceof ConnectionUnavailableError)) throw error;
      report.skipped = `${provider.displayName} could not be checked: ${error.message}`;
    }
    if (report.repaired.length > 0) deps.webhookMetrics?.repaired.inc({ provider: provider.name }, report.repaired.length);
    if (report.repaired.length > 0 || report.problems.length > 0) {
      deps.logger.info({ organisationId, provider: provider.name, repaired: report.repaired, problems: report.problems }, 'webhooks repaired');
    }
  }
  return reports;
}

async function repairProvider(pass: Pass, endpoints: Endpoint[]): Promise<void> {
  const { deps, connection, webhooks } = pass;
  const listed = await deps.connections.withProvider(connection.organisationId, connection.provider, (request) => webhooks.list(request));
  const byExternalId = new Map(listed.map((webhook) => [webhook.id, webhook]));
  const known = new Set(endpoints.map((endpoint) => endpoint.externalId).filter((id) => id !== null));
  const prefix = endpointUrl(deps.config.publicUrl, { provider: connection.provider, id: '' });
  const byId = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint]));
  const young = (endpoint: Endpoint) => endpoint.status === 'creating' && pass.now - endpoint.createdAt < CREATING_GRACE_MS;

  // Orphans first: an adopted one is then repaired like any other.
  const adopted = new Map<string, ListedWebhook>();
  for (const webhook of listed) {
    if (known.has(webhook.id) || webhook.url?.startsWith(prefix) !== true) continue;
    const record = byId.get(webhook.url.slice(prefix.length));
    if (record !== undefined && young(record)) continue;
    if (record?.externalId === null && !adopted.has(record.id) && (await deps.vault.get(deps.database.db, signingSecretRef(record))) !== undefined) {
      adopted.set(record.id, webhook);
      continue;
    }
    await guarded(pass, `the orphan ${webhooks.words.webhook} ${webhook.id}`, async () => {
      await deps.connections.withProvider(connection.organisationId, connection.provider, (request) => webhooks.remove(request, webhook.id));
      pass.report.repaired.push(`Removed an orphan ${webhooks.words.webhook} at ${pass.displayName} (${webhook.id}): the hub has no record of it.`);
    });
  }

  let inUse: Set<string> | undefined;
  for (const endpoint of endpoints) {
    if (young(endpoint)) continue;
    await guarded(pass, `the ${webhooks.words.webhook} of ${endpoint.scopeName}`, async () => {
      const orphan = adopted.get(endpoint.id);
      if (orphan !== undefined) {
        await adopt(pass, endpoint, orphan);
        return;
      }
      const remote = endpoint.externalId === null ? undefined : byExternalId.get(endpoint.externalId);
      if (remote !== undefined) {
        await keepEnabled(pass, endpoint, remote);
        return;
      }
      if (webhooks.managedBy === 'rules') {
        inUse ??= await scopesInUse(deps.database.db, connection.organisationId);
        if (!inUse.has(endpoint.scopeId)) {
          await forgetEndpoint(deps, endpoint);
          pass.report.repaired.push(`Dropped the record of the ${webhooks.words.webhook} of ${endpoint.scopeName}: deleted at ${pass.displayName}, and no rule or open link needs it.`);
          return;
        }
      }
      await recreate(pass, endpoint);
    });
  }
}

/** Runs one endpoint's repair; a provider failure is reported and the pass goes on. */
async function guarded(pass: Pass, what: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    pass.report.problems.push(`Repairing ${what} failed: ${error.message}`);
  }
}

async function adopt(pass: Pass, endpoint: Endpoint, webhook: ListedWebhook): Promise<void> {
  const lastRepair = `Adopted at ${pass.displayName} (made there, but its create answer was lost)`;
  await updateEndpoint(pass.deps.database.db, endpoint.id, { externalId: webhook.id, lastRepairAt: pass.now, lastRepair, updatedAt: pass.now });
  pass.report.repaired.push(`${endpoint.scopeName}: ${lastRepair}.`);
  await keepEnabled(pass, { ...endpoint, externalId: webhook.id }, webhook);
}

/** Records the status; one disabled or temporarily disabled is turned on again. */
async function keepEnabled(pass: Pass, endpoint: Endpoint, remote: ListedWebhook): Promise<void> {
  const { deps, connection, webhooks } = pass;
  const externalId = remote.id;
  const enable = webhooks.enable;
  if (remote.status === 'active' || enable === undefined) {
    await record(pass, endpoint, remote.status, remote.detail);
    return;
  }
  const enabled = await deps.connections.withProvider(connection.organisationId, connection.provider, (request) => enable(request, externalId));
  if (enabled === undefined) {
    await record(pass, endpoint, 'missing', webhooks.words.missing);
    return;
  }
  const lastRepair = `Re-enabled at ${pass.displayName} (it was ${remote.status.replace('_', ' ')})`;
  await record(pass, endpoint, enabled.status, enabled.detail, lastRepair);
  pass.report.repaired.push(`${endpoint.scopeName}: ${lastRepair}.`);
}

async function record(pass: Pass, endpoint: Endpoint, status: Endpoint['status'], statusDetail: string | null, lastRepair?: string): Promise<void> {
  await updateEndpoint(pass.deps.database.db, endpoint.id, {
    status,
    statusDetail,
    statusCheckedAt: pass.now,
    updatedAt: pass.now,
    ...(lastRepair !== undefined ? { lastRepairAt: pass.now, lastRepair } : {}),
  });
}

/**
 * Makes it again: the old record (and its secret) goes, a new one is made two-phase by
 * createEndpoint (new id, URL and secret, stored before use). If making it fails, the old record
 * comes back as `missing` so the next pass tries again.
 */
async function recreate(pass: Pass, endpoint: Endpoint): Promise<void> {
  const { deps, connection, webhooks } = pass;
  const why = endpoint.status === 'creating' ? 'its creation never finished' : 'it was deleted there';
  await forgetEndpoint(deps, endpoint);
  const createdBy = endpoint.createdByEmail === null ? null : { email: endpoint.createdByEmail, userId: 'webhook-repair' };
  const scope = { id: endpoint.scopeId, name: endpoint.scopeName };
  try {
    const created = await createEndpoint(deps, connection, scope, createdBy);
    if (!created.ok) return; // someone made it meanwhile: theirs stands
    const lastRepair = `Re-created at ${pass.displayName} (${why})`;
    await updateEndpoint(deps.database.db, created.value.id, { lastRepairAt: pass.now, lastRepair });
    pass.report.repaired.push(`${endpoint.scopeName}: ${lastRepair}.`);
  } catch (error) {
    await insertEndpoint(deps.database.db, { ...endpoint, externalId: null, status: 'missing', statusDetail: webhooks.words.missing, statusCheckedAt: pass.now }).catch(() => undefined);
    throw error;
  }
}

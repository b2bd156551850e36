import { expect } from 'vitest';
import type { ConnectAttemptView, ConnectionsResponse, ConnectionView, Provider } from '../../src/api/index.js';
import { createOrganisation } from '../helpers/accounts.js';
import { client, DEFAULT_ADMIN, login, setupFirstAdmin, type HubClient } from '../helpers/client.js';
import type { TestHub } from '../helpers/hub.js';

/** The seven PagerDuty scopes the hub asks for (SPEC §3). */
export const PAGERDUTY_SCOPES = [
  'services.read',
  'incidents.read',
  'incidents.write',
  'webhook_subscriptions.read',
  'webhook_subscriptions.write',
  'users.read',
  'priorities.read',
];

export interface OrganisationAdmin {
  admin: HubClient;
  organisationId: string;
  userId: string;
  email: string;
  password: string;
}

/** The hub's first organisation and its admin (POST /api/setup), logged in. */
export async function firstOrganisation(hub: TestHub): Promise<OrganisationAdmin> {
  const admin = client(hub);
  const session = await setupFirstAdmin(admin);
  return { admin, organisationId: session.organisation.id, userId: session.user.id, email: DEFAULT_ADMIN.email, password: DEFAULT_ADMIN.password };
}

let organisations = 0;

/** Another organisation on `hub` with a logged-in admin. */
export async function newOrganisation(hub: TestHub): Promise<OrganisationAdmin> {
  const n = ++organisations;
  const email = `admin${n}@org${n}.test`;
  const password = 'organisation admin password';
  await createOrganisation(hub, { organisationName: `Org ${n}`, name: `Admin ${n}`, email, password });
  const admin = client(hub);
  const session = await login(admin, email, password);
  return { admin, organisationId: session.organisation.id, userId: session.user.id, email, password };
}

/**
 * Back to "never connected" for one organisation: its connections, Connect attempts and
 * their vault entries are deleted. (Cheaper than a new organisation per test: every log-in
 * costs a deliberately slow password hash.)
 */
export async function forgetConnections(hub: TestHub, organisationId: string): Promise<void> {
  await hub.database.db.transaction().execute(async (trx) => {
    await trx
      .deleteFrom('vault_secrets')
      .where('organisation_id', '=', organisationId)
      .where('owner_table', 'in', ['connections', 'oauth_attempts'])
      .execute();
    await trx.deleteFrom('oauth_attempts').where('organisation_id', '=', organisationId).execute();
    await trx.deleteFrom('connections').where('organisation_id', '=', organisationId).execute();
  });
}

/** One provider's card from GET /api/connections. */
export async function connectionOf(c: HubClient, provider: Provider): Promise<ConnectionView> {
  const response = await c.get<ConnectionsResponse>('/api/connections');
  expect(response.status).toBe(200);
  const view = response.body.connections.find((connection) => connection.provider === provider);
  if (view === undefined) throw new Error(`no ${provider} card in ${response.text}`);
  return view;
}

/** Vault entries of an organisation, by owner table. */
export async function vaultEntries(hub: TestHub, organisationId: string, ownerTable: 'connections' | 'oauth_attempts') {
  return hub.database.db
    .selectFrom('vault_secrets')
    .select(['owner_id', 'field'])
    .where('organisation_id', '=', organisationId)
    .where('owner_table', '=', ownerTable)
    .execute();
}

/** The organisation's connection rows (at most one per provider). */
export async function connectionRows(hub: TestHub, organisationId: string) {
  return hub.database.db.selectFrom('connections').selectAll().where('organisation_id', '=', organisationId).execute();
}

/** The attempt ended in failure with `code` and a message that says `mentions`. */
export function expectFailed(attempt: ConnectAttemptView | undefined, code: string, mentions: RegExp): void {
  expect(attempt, 'the callback lands on the attempt').toBeDefined();
  expect({ outcome: attempt!.outcome, code: attempt!.code }).toEqual({ outcome: 'failed', code });
  expect(attempt!.message).toMatch(mentions);
  // Every failure tells the person that nothing was left half-made.
  expect(attempt!.message).toMatch(/nothing (more )?was (connected|changed)/i);
  expect(attempt!.finishedAt).not.toBeNull();
}

/**
 * No half-made connection: the card says not connected, no connection row exists and the
 * vault holds no token for the organisation (and no leftover PKCE verifier once the attempt ended).
 */
export async function expectNothingConnected(
  hub: TestHub,
  c: HubClient,
  organisationId: string,
  provider: Provider,
  options: { attemptEnded?: boolean } = {},
): Promise<void> {
  const card = await connectionOf(c, provider);
  expect(card).toMatchObject({ status: 'not_connected', account: null, connectedAs: null, scopes: [] });
  const rows = await connectionRows(hub, organisationId);
  expect(rows.filter((row) => row.provider === provider)).toEqual([]);
  // Tokens only of the organisation's other connection, if any.
  const others = new Set(rows.map((row) => row.id));
  expect((await vaultEntries(hub, organisationId, 'connections')).filter((entry) => !others.has(entry.owner_id))).toEqual([]);
  if (options.attemptEnded !== false) expect(await vaultEntries(hub, organisationId, 'oauth_attempts')).toEqual([]);
}

/** The hub's answer to a callback when the browser has no session: `/connections?provider=…&error=…`. */
export function expectLandingError(landing: URL, provider: Provider, code: string): void {
  expect(landing.pathname).toBe('/connections');
  expect(Object.fromEntries(landing.searchParams)).toEqual({ provider, error: code });
}

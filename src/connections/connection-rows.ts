import type { Selectable } from 'kysely';
import type { ConnectionsTable } from '../db/tables.js';
import type { Connection } from './connection.js';
import type { ConnectionStatusReason } from './outcome-codes.js';

/** `connections` rows ⇄ Connection. Only the connection repositories use these: no row leaves them. */
export type ConnectionRow = Selectable<ConnectionsTable>;

export function connectionFromRow(row: ConnectionRow): Connection {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    provider: row.provider,
    status: row.status,
    // Written only from ConnectionStatusReason (markDisconnected, markNotConnected).
    statusReason: row.status_reason as ConnectionStatusReason | null,
    statusMessage: row.status_message,
    statusChangedAt: row.status_changed_at,
    externalAccountId: row.external_account_id,
    accountName: row.account_name,
    accountSubdomain: row.account_subdomain,
    accountUrl: row.account_url,
    region: row.region,
    apiUrl: row.api_url,
    providerUserId: row.provider_user_id,
    providerUserName: row.provider_user_name,
    providerUserEmail: row.provider_user_email,
    providerUserRole: row.provider_user_role,
    scopes: row.scopes.split(' ').filter((scope) => scope !== ''),
    connectedByUserId: row.connected_by_user_id,
    connectedByEmail: row.connected_by_email,
    connectedAt: row.connected_at,
    accessTokenExpiresAt: row.access_token_expires_at,
    accessTokenLifetimeMs: row.access_token_lifetime_ms,
    tokenVersion: row.token_version,
    refreshFailures: row.refresh_failures,
    refreshRetryAt: row.refresh_retry_at,
    lastRefreshedAt: row.last_refreshed_at,
    shortLivedTokens: row.short_lived_tokens,
    lastCheckedAt: row.last_checked_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The row of a connection; no refresh lease is held by it. */
export function connectionToRow(connection: Connection): ConnectionRow {
  return {
    id: connection.id,
    organisation_id: connection.organisationId,
    provider: connection.provider,
    status: connection.status,
    status_reason: connection.statusReason,
    status_message: connection.statusMessage,
    status_changed_at: connection.statusChangedAt,
    external_account_id: connection.externalAccountId,
    account_name: connection.accountName,
    account_subdomain: connection.accountSubdomain,
    account_url: connection.accountUrl,
    region: connection.region,
    api_url: connection.apiUrl,
    provider_user_id: connection.providerUserId,
    provider_user_name: connection.providerUserName,
    provider_user_email: connection.providerUserEmail,
    provider_user_role: connection.providerUserRole,
    scopes: connection.scopes.join(' '),
    connected_by_user_id: connection.connectedByUserId,
    connected_by_email: connection.connectedByEmail,
    connected_at: connection.connectedAt,
    access_token_expires_at: connection.accessTokenExpiresAt,
    access_token_lifetime_ms: connection.accessTokenLifetimeMs,
    token_version: connection.tokenVersion,
    refresh_lease_owner: null,
    refresh_lease_until: null,
    refresh_failures: connection.refreshFailures,
    refresh_retry_at: connection.refreshRetryAt,
    last_refreshed_at: connection.lastRefreshedAt,
    short_lived_tokens: connection.shortLivedTokens,
    last_checked_at: connection.lastCheckedAt,
    created_at: connection.createdAt,
    updated_at: connection.updatedAt,
  };
}

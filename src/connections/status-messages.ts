import type { ProviderName } from '../providers/names.js';
import type { ConnectionStatusReason } from './outcome-codes.js';
import { PROVIDER_NAMES } from '../providers/errors.js';
import { providers } from '../providers/registry.js';
import { MIN_USABLE_LIFETIME_MS } from './refresh-policy.js';

/** The card's explanation of why a connection stopped working. */
export function disconnectMessage(provider: ProviderName, reason: Exclude<ConnectionStatusReason, 'disconnected_by_user'>): string {
  const name = PROVIDER_NAMES[provider];
  switch (reason) {
    case 'access_revoked':
      return `Access was revoked in ${providers.get(provider).revokePlace}: ${name} refused the hub's token and its refresh token. Sync for this connection is paused; click Reconnect ${name} to resume.`;
    case 'refresh_failed':
      return `The token expired and could not be refreshed: ${name} refused the refresh token. Sync for this connection is paused; click Reconnect ${name} to resume.`;
    case 'unauthorized_after_refresh':
      return `${name} kept refusing the hub's token right after refreshing it (the user may have lost access, or the app was removed). Sync is paused; click Reconnect ${name} to resume.`;
    case 'token_lifetime_too_short':
      return `${name} kept issuing access tokens that expire or stop working within seconds, too soon for the hub to use them (they must last at least ${MIN_USABLE_LIFETIME_MS / 1000} s). Sync for this connection is paused; click Reconnect ${name} to resume, and if it happens again check the token lifetime set for the hub's OAuth app.`;
  }
}

import type { Config } from '../config/index.js';
import type { ProviderName } from '../db/tables.js';
import type { Logger } from '../observability/logger.js';
import { revokeToken } from './linear-api.js';

/**
 * Gives an authorization back to the provider, where it offers a way: Linear's /oauth/revoke
 * (by access token; by refresh token when the access token is already unknown there).
 * PagerDuty documents no revocation endpoint (only the app-wide "Revoke All Tokens" button),
 * so there the hub can only forget the tokens.
 */
export async function revokeAuthorization(
  config: Config,
  provider: ProviderName,
  tokens: { accessToken: string | undefined; refreshToken: string | undefined },
): Promise<'revoked' | 'already_gone' | 'not_supported'> {
  if (provider === 'pagerduty') return 'not_supported';
  const base = { apiUrl: config.providers.linear.apiUrl, timeoutMs: config.providerTimeoutMs };
  if (tokens.accessToken !== undefined) {
    const result = await revokeToken({ ...base, token: tokens.accessToken, kind: 'access' });
    if (result === 'revoked' || tokens.refreshToken === undefined) return result;
  }
  if (tokens.refreshToken !== undefined) return revokeToken({ ...base, token: tokens.refreshToken, kind: 'refresh' });
  return 'already_gone';
}

/** {@link revokeAuthorization} for tokens the hub decided not to keep; failures are only logged. */
export async function revokeQuietly(
  config: Config,
  provider: ProviderName,
  tokens: { accessToken: string; refreshToken: string | undefined },
  logger: Logger,
): Promise<void> {
  try {
    await revokeAuthorization(config, provider, tokens);
  } catch (error) {
    logger.warn({ provider, reason: error instanceof Error ? error.message : 'unknown' }, 'could not revoke an unused authorization');
  }
}

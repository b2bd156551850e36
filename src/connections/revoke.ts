import type { Config } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import type { ProviderName } from '../providers/names.js';
import { providers } from '../providers/registry.js';

/**
 * Gives an authorization back to the provider where it offers a way (Linear's /oauth/revoke);
 * `not_supported` where it does not (PagerDuty: the hub can only forget the tokens).
 */
export async function revokeAuthorization(
  config: Config,
  provider: ProviderName,
  tokens: { accessToken: string | undefined; refreshToken: string | undefined },
): Promise<'revoked' | 'already_gone' | 'not_supported'> {
  const revoke = providers.get(provider).revoke;
  return revoke === undefined ? 'not_supported' : revoke(config, tokens);
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

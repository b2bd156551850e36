import { ProviderUnavailableError } from './errors.js';
import { PROVIDER_NAMES, type ProviderName } from './names.js';

/**
 * fetch() with a timeout, turning network failures into {@link ProviderUnavailableError}.
 * Every call the hub makes to a provider goes through here (OAuth included, via oauth4webapi's
 * customFetch), so a hung provider costs at most `timeoutMs`.
 */
export async function providerFetch(
  provider: ProviderName,
  url: string | URL,
  init: RequestInit,
  timeoutMs: number,
): Promise<Response> {
  const signal = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  try {
    return await fetch(url, { ...init, signal, redirect: 'manual' });
  } catch (error) {
    const name = PROVIDER_NAMES[provider];
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      throw new ProviderUnavailableError(provider, `${name} did not answer within ${Math.round(timeoutMs / 1000)} s.`, 'timeout');
    }
    const host = new URL(url).host;
    throw new ProviderUnavailableError(provider, `${name} could not be reached at ${host} (${networkReason(error)}).`, 'network');
  }
}

function networkReason(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  return typeof cause?.code === 'string' ? cause.code : 'network error';
}

/** Seconds from a Retry-After header (delta-seconds form), when present and sane. */
export function retryAfterSeconds(headers: Headers): number | undefined {
  const value = headers.get('retry-after');
  if (value === null || !/^\d+$/.test(value.trim())) return undefined;
  return Math.min(Number(value), 3600);
}

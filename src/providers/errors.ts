import type { ProviderName } from './names.js';

export { PROVIDER_NAMES } from './names.js';

/**
 * What can go wrong talking to a provider, as the rest of the hub needs to tell it apart.
 * Messages are for people and never contain a token, a secret or a response body verbatim.
 */
export abstract class ProviderError extends Error {
  abstract readonly kind: string;
  constructor(
    readonly provider: ProviderName,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Timeout, refused connection, 5xx: transient. Retry later; never a reason to disconnect. */
export class ProviderUnavailableError extends ProviderError {
  readonly kind = 'unavailable';
  constructor(
    provider: ProviderName,
    message: string,
    readonly cause_: 'timeout' | 'network' | 'server',
    /** Seconds the provider asked us to wait (Retry-After / rate-limit reset), when it said. */
    readonly retryAfterSeconds?: number,
  ) {
    super(provider, message);
  }
}

/** The provider refused the credential (PagerDuty 401, Linear AUTHENTICATION_ERROR). */
export class ProviderUnauthorizedError extends ProviderError {
  readonly kind = 'unauthorized';
}

/** The credential works but may not do this (403, Linear FORBIDDEN): scope or role. */
export class ProviderForbiddenError extends ProviderError {
  readonly kind = 'forbidden';
}

/** Rate limited (PagerDuty 429, Linear RATELIMITED). */
export class ProviderRateLimitedError extends ProviderError {
  readonly kind = 'rate_limited';
  constructor(
    provider: ProviderName,
    message: string,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(provider, message);
  }
}

/** Any other refusal (4xx, unexpected body). Not retried. */
export class ProviderRequestError extends ProviderError {
  readonly kind = 'request';
  constructor(
    provider: ProviderName,
    message: string,
    readonly status: number,
  ) {
    super(provider, message);
  }
}

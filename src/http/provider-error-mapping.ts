import { ConnectionUnavailableError } from '../connections/errors.js';
import {
  ProviderForbiddenError,
  ProviderRateLimitedError,
  ProviderRequestError,
  ProviderUnauthorizedError,
  ProviderUnavailableError,
} from '../providers/errors.js';
import { HttpError } from './errors.js';

/**
 * Connection and provider errors as API answers (the error handler calls this):
 * 409 not_connected / connection_disconnected; 503 provider_unavailable (+ Retry-After when known);
 * 503 provider_rate_limited; 502 provider_forbidden / provider_error.
 * Messages come from the connections module and never carry tokens or provider bodies.
 */
export function providerErrorToHttp(error: unknown): HttpError | undefined {
  if (error instanceof ConnectionUnavailableError) {
    return new HttpError(409, error.status === 'disconnected' ? 'connection_disconnected' : 'not_connected', error.message);
  }
  if (error instanceof ProviderRateLimitedError) {
    return new HttpError(503, 'provider_rate_limited', `${error.message} Try again shortly.`, undefined, retryAfter(error.retryAfterSeconds));
  }
  if (error instanceof ProviderUnavailableError) {
    return new HttpError(503, 'provider_unavailable', `${error.message} Try again in a minute.`, undefined, retryAfter(error.retryAfterSeconds));
  }
  if (error instanceof ProviderForbiddenError) return new HttpError(502, 'provider_forbidden', error.message);
  if (error instanceof ProviderRequestError || error instanceof ProviderUnauthorizedError) {
    return new HttpError(502, 'provider_error', error.message);
  }
  return undefined;
}

const retryAfter = (seconds: number | undefined): Record<string, string> =>
  seconds === undefined ? {} : { 'retry-after': String(Math.max(1, Math.ceil(seconds))) };

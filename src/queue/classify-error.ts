import { ConnectionUnavailableError } from '../connections/errors.js';
import { ProviderRateLimitedError, ProviderRequestError, ProviderUnavailableError } from '../providers/errors.js';
import { DeferJob, PermanentJobError, RetryJobAfter } from './errors.js';

/** While a connection is Disconnected, its jobs look again this often (a reconnect brings them forward at once). */
export const DISCONNECTED_RECHECK_MS = 30_000;

export type ClassifiedJobError =
  | { kind: 'defer'; delayMs: number; message: string; waitingFor: string | null }
  | { kind: 'permanent'; message: string }
  | { kind: 'retry'; atLeastMs: number; message: string };

/**
 * What a handler's error means for its job. Provider errors carry their own meaning: a
 * Disconnected connection defers (paused, no attempt used); a rate limit or an outage retries
 * no sooner than the provider asked; a refused request (4xx) cannot succeed by retrying.
 */
export function classifyJobError(error: unknown): ClassifiedJobError {
  const message = error instanceof Error ? error.message.slice(0, 1000) : String(error).slice(0, 1000);
  if (error instanceof DeferJob) return { kind: 'defer', delayMs: error.delayMs, message, waitingFor: error.waitingFor };
  if (error instanceof ConnectionUnavailableError) {
    return { kind: 'defer', delayMs: DISCONNECTED_RECHECK_MS, message, waitingFor: `connection:${error.provider}` };
  }
  if (error instanceof PermanentJobError) return { kind: 'permanent', message };
  if (error instanceof RetryJobAfter) return { kind: 'retry', atLeastMs: error.delayMs, message };
  if (error instanceof ProviderRateLimitedError || error instanceof ProviderUnavailableError) {
    return { kind: 'retry', atLeastMs: (error.retryAfterSeconds ?? 0) * 1000, message };
  }
  if (error instanceof ProviderRequestError && error.status >= 400 && error.status < 500 && error.status !== 408) {
    return { kind: 'permanent', message };
  }
  return { kind: 'retry', atLeastMs: 0, message };
}

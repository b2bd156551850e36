import type { ProviderName } from '../providers/names.js';
import { retryAdviceFor } from '../providers/retry-advice.js';
import type { JobErrorClassifier } from '../queue/classify-error.js';
import { ConnectionUnavailableError } from './errors.js';

/** While a connection is Disconnected, its jobs look again this often (a reconnect brings them forward at once). */
export const DISCONNECTED_RECHECK_MS = 30_000;

/** What a job deferred for a connection waits for; JobQueue.resumeWaiting with it after a reconnect. */
export function waitingForConnection(provider: ProviderName): string {
  return `connection:${provider}`;
}

/**
 * The classifier of every job kind that calls a provider (JobKind.classifyError): a connection
 * that is not usable defers the job (paused, no attempt used) until reconnected; provider
 * errors retry or die as providers/retry-advice.ts says (a rate limit or an outage retries no
 * sooner than the provider asked; a refused request cannot succeed by retrying). The rest is
 * left to the queue.
 */
export const classifyProviderJobError: JobErrorClassifier = (error) => {
  if (error instanceof ConnectionUnavailableError) {
    return { kind: 'defer', delayMs: DISCONNECTED_RECHECK_MS, waitingFor: waitingForConnection(error.provider) };
  }
  const advice = retryAdviceFor(error);
  if (advice === undefined) return undefined;
  return advice.retry ? { kind: 'retry', atLeastMs: advice.notBeforeMs } : { kind: 'permanent' };
};

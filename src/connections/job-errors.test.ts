import { describe, expect, it } from 'vitest';
import { ProviderForbiddenError, ProviderRateLimitedError, ProviderRequestError, ProviderUnavailableError } from '../providers/errors.js';
import { ConnectionUnavailableError } from './errors.js';
import { classifyProviderJobError, DISCONNECTED_RECHECK_MS, RATE_LIMIT_WAIT_BOUND_MS } from './job-errors.js';

describe('classifyProviderJobError', () => {
  it('defers a job whose connection cannot be used until it is reconnected, without using an attempt', () => {
    const error = new ConnectionUnavailableError('linear', 'disconnected', 'Linear is disconnected.');
    expect(classifyProviderJobError(error)).toEqual({ kind: 'defer', delayMs: DISCONNECTED_RECHECK_MS, waitingFor: 'connection:linear' });
    expect(DISCONNECTED_RECHECK_MS).toBe(30_000);
  });

  it('makes a rate-limited job wait without using an attempt, no sooner than the reset, for up to a day in a row', () => {
    const bound = { forAtMostMs: RATE_LIMIT_WAIT_BOUND_MS };
    // A 429 (or the pacer turning a call away) that says when the budget is back.
    expect(classifyProviderJobError(new ProviderRateLimitedError('pagerduty', 'limited', 20))).toEqual({ kind: 'throttled', atLeastMs: 20_000, ...bound });
    // One that does not say: a second, never at once.
    expect(classifyProviderJobError(new ProviderRateLimitedError('linear', 'limited', undefined))).toEqual({ kind: 'throttled', atLeastMs: 1_000, ...bound });
    expect(RATE_LIMIT_WAIT_BOUND_MS).toBe(24 * 60 * 60_000);
  });

  it('retries an outage no sooner than the provider asked, using an attempt', () => {
    expect(classifyProviderJobError(new ProviderUnavailableError('linear', 'down', 'server', 3))).toEqual({ kind: 'retry', atLeastMs: 3_000 });
    expect(classifyProviderJobError(new ProviderUnavailableError('pagerduty', 'timeout', 'timeout'))).toEqual({ kind: 'retry', atLeastMs: 0 });
  });

  it('makes a refused request dead at once, except a 408 (a timeout) which is retried', () => {
    expect(classifyProviderJobError(new ProviderRequestError('pagerduty', 'refused', 404))).toEqual({ kind: 'permanent' });
    expect(classifyProviderJobError(new ProviderRequestError('pagerduty', 'timeout', 408))).toBeUndefined();
    expect(classifyProviderJobError(new ProviderRequestError('linear', 'odd body', 200))).toBeUndefined();
  });

  it('leaves every other error to the queue', () => {
    expect(classifyProviderJobError(new ProviderForbiddenError('linear', 'forbidden'))).toBeUndefined();
    expect(classifyProviderJobError(new Error('boom'))).toBeUndefined();
  });
});

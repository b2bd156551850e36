import { describe, expect, it } from 'vitest';
import { classifyJobError, type JobErrorClassifier } from './classify-error.js';
import { DeferJob, PermanentJobError, RetryJobAfter } from './errors.js';

class VendorSaidWait extends Error {}

describe('classifyJobError', () => {
  it('reads the queue’s own errors', () => {
    expect(classifyJobError(new DeferJob('later', 5_000, 'connection:x'))).toEqual({ kind: 'defer', delayMs: 5_000, waitingFor: 'connection:x', message: 'later' });
    expect(classifyJobError(new RetryJobAfter('slow down', 7_000))).toEqual({ kind: 'retry', atLeastMs: 7_000, message: 'slow down' });
    expect(classifyJobError(new PermanentJobError('never'))).toEqual({ kind: 'permanent', message: 'never' });
  });

  it('retries anything else with backoff, keeping at most 1000 characters of the message', () => {
    expect(classifyJobError(new VendorSaidWait('busy'))).toEqual({ kind: 'retry', atLeastMs: 0, message: 'busy' });
    expect(classifyJobError('a string')).toEqual({ kind: 'retry', atLeastMs: 0, message: 'a string' });
    expect(classifyJobError(new Error('x'.repeat(5000))).message).toHaveLength(1000);
  });

  it('asks the kind first, and falls back to the queue when the kind does not know the error', () => {
    const byKind: JobErrorClassifier = (error) => (error instanceof VendorSaidWait ? { kind: 'defer', delayMs: 30_000, waitingFor: 'vendor' } : undefined);
    expect(classifyJobError(new VendorSaidWait('busy'), byKind)).toEqual({ kind: 'defer', delayMs: 30_000, waitingFor: 'vendor', message: 'busy' });
    expect(classifyJobError(new PermanentJobError('never'), byKind)).toEqual({ kind: 'permanent', message: 'never' });
    expect(classifyJobError(new Error('boom'), byKind)).toEqual({ kind: 'retry', atLeastMs: 0, message: 'boom' });
  });
});

import { retryDelayMs } from './backoff.js';
import type { JobKind } from './catalog.js';
import { classifyJobError } from './classify-error.js';
import type { Job } from './job.js';
import type { JobOutcome } from './jobs-repository.js';

/**
 * What a run that threw leads to, as the kind classifies the error (classify-error.ts): a
 * deferral (no attempt used), death (a permanent error, or the last attempt failed), or a
 * retry after the kind's backoff — never sooner than the error asked.
 *
 * A throttled run (a rate limit turned it away) is a deferral while the job's unbroken run of
 * throttling — since `job.throttledSince` — is shorter than the classifier's bound. It comes
 * back no sooner than the limit's reset, and at a random time within the time throttled so far
 * (at most the kind's `maxDelayMs`), so a large throttled backlog does not ask again in step.
 * Past the bound a throttled run is a failed attempt: a vendor that refuses for ever ends in a
 * dead job after the kind's attempts. Any other outcome ends the run of throttling.
 */
export function failedRunOutcome(
  error: unknown,
  job: Job,
  kind: JobKind<unknown>,
  now: number,
  random: () => number = Math.random,
): Exclude<JobOutcome, { status: 'succeeded' }> {
  const classified = classifyJobError(error, kind.classifyError);
  if (classified.kind === 'defer') {
    return { status: 'defer', runAt: now + classified.delayMs, reason: classified.message, waitingFor: classified.waitingFor, throttledSince: null };
  }
  let message = classified.message;
  let throttledSince: number | null = null;
  if (classified.kind === 'throttled') {
    throttledSince = job.throttledSince ?? now;
    const throttledMs = Math.max(0, now - throttledSince);
    const waitsUntil = throttledSince + classified.forAtMostMs;
    if (now < waitsUntil) {
      const spreadMs = Math.round(random() * Math.min(kind.retry.maxDelayMs, throttledMs));
      const reason = `Waiting for a rate limit since ${iso(throttledSince)}, without using an attempt until ${iso(waitsUntil)}: ${message}`;
      return { status: 'defer', runAt: now + Math.max(classified.atLeastMs, spreadMs), reason, waitingFor: null, throttledSince };
    }
    message = `Rate limited since ${iso(throttledSince)}, longer than a job waits without using attempts: ${message}`;
  }
  if (classified.kind === 'permanent' || job.attempts >= job.maxAttempts) return { status: 'dead', error: message, throttledSince };
  const delay = retryDelayMs(kind.retry, job.attempts, classified.atLeastMs, random);
  return { status: 'retry', runAt: now + delay, error: message, throttledSince };
}

const iso = (at: number): string => new Date(at).toISOString();

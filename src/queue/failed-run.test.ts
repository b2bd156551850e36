import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJobKind } from './catalog.js';
import type { JobErrorClassifier } from './classify-error.js';
import { failedRunOutcome } from './failed-run.js';
import type { Job } from './job.js';

class Throttled extends Error {}
class Disconnected extends Error {}

const HOUR = 60 * 60_000;
const classify: JobErrorClassifier = (error) =>
  error instanceof Throttled
    ? { kind: 'throttled', atLeastMs: 20_000, forAtMostMs: 24 * HOUR }
    : error instanceof Disconnected
      ? { kind: 'defer', delayMs: 30_000, waitingFor: 'connection:x' }
      : undefined;
const kind = defineJobKind({
  kind: 'test.throttled',
  payload: z.unknown(),
  timeoutMs: 1_000,
  retry: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 15 * 60_000 },
  classifyError: classify,
});

const NOW = Date.UTC(2026, 11, 6, 12);
/** A job in its n-th run (attempts counts the run in progress). */
const running = (attempts: number, throttledSince: number | null): Job => ({
  seq: 1,
  id: 'job_1',
  organisationId: null,
  kind: kind.kind,
  payload: '{}',
  lane: null,
  status: 'running',
  attempts,
  maxAttempts: 3,
  runAt: NOW,
  lockedBy: 'wrk_1',
  lockedUntil: NOW + 55_000,
  lastError: null,
  waitingFor: null,
  throttledSince,
  createdAt: NOW - HOUR,
  updatedAt: NOW,
  finishedAt: null,
  uniqueKey: null,
});

describe('failedRunOutcome', () => {
  it('defers a throttled run — no attempt used — no sooner than the reset, starting the run of throttling', () => {
    const outcome = failedRunOutcome(new Throttled('budget spent'), running(1, null), kind, NOW, () => 1);
    expect(outcome).toMatchObject({ status: 'defer', runAt: NOW + 20_000, waitingFor: null, throttledSince: NOW });
    expect(outcome.status === 'defer' && outcome.reason).toBe(
      'Waiting for a rate limit since 2026-12-06T12:00:00.000Z, without using an attempt until 2026-12-07T12:00:00.000Z: budget spent',
    );
  });

  it('keeps deferring on the last attempt, spreading returns over the time throttled so far (at most maxDelayMs)', () => {
    const since = NOW - 10 * 60_000;
    expect(failedRunOutcome(new Throttled('x'), running(3, since), kind, NOW, () => 0)).toMatchObject({ status: 'defer', runAt: NOW + 20_000, throttledSince: since });
    expect(failedRunOutcome(new Throttled('x'), running(3, since), kind, NOW, () => 0.5)).toMatchObject({ status: 'defer', runAt: NOW + 5 * 60_000 });
    const long = NOW - 20 * HOUR;
    expect(failedRunOutcome(new Throttled('x'), running(3, long), kind, NOW, () => 1)).toMatchObject({ status: 'defer', runAt: NOW + 15 * 60_000, throttledSince: long });
  });

  it('past the bound, a throttled run uses an attempt, retried no sooner than the reset, and the last one is dead', () => {
    const since = NOW - 24 * HOUR;
    const retry = failedRunOutcome(new Throttled('budget spent'), running(1, since), kind, NOW, () => 0);
    expect(retry).toMatchObject({ status: 'retry', runAt: NOW + 20_000, throttledSince: since });
    expect(retry.status === 'retry' && retry.error).toMatch(/^Rate limited since 2026-12-05T12:00:00.000Z, longer than a job waits without using attempts: budget spent$/);
    expect(failedRunOutcome(new Throttled('budget spent'), running(3, since), kind, NOW)).toMatchObject({ status: 'dead', throttledSince: since });
  });

  it('any other outcome ends the run of throttling', () => {
    const since = NOW - HOUR;
    expect(failedRunOutcome(new Disconnected('gone'), running(1, since), kind, NOW)).toMatchObject({ status: 'defer', waitingFor: 'connection:x', throttledSince: null });
    expect(failedRunOutcome(new Error('boom'), running(1, since), kind, NOW)).toMatchObject({ status: 'retry', throttledSince: null });
    expect(failedRunOutcome(new Error('boom'), running(3, since), kind, NOW)).toMatchObject({ status: 'dead', throttledSince: null });
  });
});

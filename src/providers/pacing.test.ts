import { describe, expect, test } from 'vitest';
import { ProviderRateLimitedError } from './errors.js';
import { readLinearRateHeaders } from './linear/rate-headers.js';
import { RatePacer } from './pacing.js';
import { readPagerDutyRateHeaders } from './pagerduty/rate-headers.js';

const pd = (remaining: number, resetSeconds: number, limit = 960) =>
  new Headers({ 'ratelimit-limit': String(limit), 'ratelimit-remaining': String(remaining), 'ratelimit-reset': String(resetSeconds) });

describe('rate pacing', () => {
  test('reads PagerDuty (seconds from now) and Linear (epoch ms) headers', () => {
    expect(readPagerDutyRateHeaders(pd(10, 20), 1_000)).toEqual({ limit: 960, remaining: 10, resetAt: 21_000 });
    const linear = new Headers({ 'x-ratelimit-requests-limit': '1200', 'x-ratelimit-requests-remaining': '5', 'x-ratelimit-requests-reset': '99000' });
    expect(readLinearRateHeaders(linear, 0)).toEqual({ limit: 1200, remaining: 5, resetAt: 99_000 });
    expect(readPagerDutyRateHeaders(new Headers(), 0)).toBeUndefined();
  });

  test('calls go straight out while the budget is healthy', async () => {
    // With no patience at all, any wait would throw: none does.
    const pacer = new RatePacer('pagerduty', readPagerDutyRateHeaders, { maxWaitMs: 0 });
    pacer.observe(pd(900, 30), 200);
    for (let i = 0; i < 20; i++) await expect(pacer.beforeCall()).resolves.toBeUndefined();
  });

  test('a spent budget delays the next call as a rate-limit error carrying the wait, instead of calling', async () => {
    const pacer = new RatePacer('pagerduty', readPagerDutyRateHeaders);
    pacer.observe(pd(0, 20), 200);
    const error = await pacer.beforeCall().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderRateLimitedError);
    expect((error as ProviderRateLimitedError).retryAfterSeconds).toBeGreaterThanOrEqual(19);
  });

  test('a 429 blocks until the reset it announced; a short wait is waited out in place', async () => {
    const pacer = new RatePacer('pagerduty', readPagerDutyRateHeaders, { maxWaitMs: 2_000 });
    pacer.observe(pd(0, 1), 429);
    const started = Date.now();
    await pacer.beforeCall();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  test('a call turned away by a low budget does not take a slot: the next caller gets the same one', async () => {
    let now = 1_000_000;
    const pacer = new RatePacer('pagerduty', readPagerDutyRateHeaders, { maxWaitMs: 500, now: () => now });
    // 12 of 100 calls left, resetting in 10 s: reserve 2, so one call a second.
    pacer.observe(pd(12, 10, 100), 200);
    await expect(pacer.beforeCall()).resolves.toBeUndefined();
    // The next slot is 1 s away, longer than this pacer waits in place: each caller is told 1 s,
    // however many were turned away before it.
    for (let i = 0; i < 5; i++) {
      const error = await pacer.beforeCall().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderRateLimitedError);
      expect((error as ProviderRateLimitedError).retryAfterSeconds).toBe(1);
    }
    // When the slot comes, the call goes out at once.
    now += 1_000;
    await expect(pacer.beforeCall()).resolves.toBeUndefined();
  });

  test('a low budget spreads the remaining calls over the time left', async () => {
    const pacer = new RatePacer('linear', readLinearRateHeaders, { maxWaitMs: 10_000 });
    // 12 of 100 calls left, resetting in 1 s: below 20 %, so they are spread out.
    pacer.observe(
      new Headers({ 'x-ratelimit-requests-limit': '100', 'x-ratelimit-requests-remaining': '12', 'x-ratelimit-requests-reset': String(Date.now() + 1_000) }),
      200,
    );
    const started = Date.now();
    for (let i = 0; i < 4; i++) await pacer.beforeCall();
    // Reserve 2, so 10 calls share 1 s: four calls take about 300 ms (the first goes at once).
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});

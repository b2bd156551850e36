import { afterEach, describe, expect, test } from 'vitest';
import { RATE_LIMIT_WAIT_BOUND_MS } from '../../src/connections/job-errors.js';
import { ManualClock } from '../../src/core/clock.js';
import { DEFAULT_RETRY } from '../../src/queue/catalog.js';
import { requestSubscription } from '../../src/webhooks/ensure-subscription-job.js';
import { client, setupFirstAdmin } from '../helpers/client.js';
import { advanceSandboxClock, connectProvider, sandboxRequests, sandboxSettings, startHubWithSandbox, type HubWithSandbox } from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';

async function until(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()); ) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const HOUR = 60 * 60_000;

/**
 * A job that calls PagerDuty while PagerDuty's rate limit is lowered to one request a minute
 * (the stand-in's `rateLimitPerMinute`; the Connect flow has spent the minute's request): every
 * run is turned away — by a 429, or by the hub's pacer before it asks — and the job waits
 * without using attempts, however many times, for up to RATE_LIMIT_WAIT_BOUND_MS in a row.
 * The hub's clock is a manual one: each step moves it to the job's next run; the stand-in's
 * rate window only moves when the test says so.
 */
describe.each(testDialects())('rate-limited jobs wait without using attempts (%s)', (dialect) => {
  let env: HubWithSandbox | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  async function throttledSubscriptionJob() {
    const clock = new ManualClock(Date.now());
    env = await startHubWithSandbox(dialect, { CONNECTION_CHECK_INTERVAL_SECONDS: '0' }, { clock });
    const admin = client(env.hub);
    const { organisation } = await setupFirstAdmin(admin);
    await connectProvider(admin, 'pagerduty');
    const pd = env.sandbox.pagerdutyUrl;
    await sandboxSettings(pd, { rateLimitPerMinute: 1 });
    const { database, queue } = env.hub.hub.deps;
    const jobId = await database.db.transaction().execute((trx) =>
      requestSubscription(queue, trx, organisation.id, 'pagerduty', { id: 'PSVC001', name: 'Checkout API' }),
    );
    queue.wake();
    const job = () => database.db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
    /** The job's next outcome after the clock moved to `runAt`: queued again for later, or finished. */
    const nextOutcome = async () => {
      await until(async () => {
        const row = await job();
        return (row.status === 'queued' && row.run_at > clock.now()) || row.status === 'succeeded' || row.status === 'dead';
      });
      return job();
    };
    /** Moves the hub's clock to the job's next run and wakes the workers. */
    const runAgain = async (at?: number) => {
      clock.set(Math.max(at ?? 0, (await job()).run_at));
      queue.wake();
    };
    return { clock, pd, job, nextOutcome, runAgain, database };
  }

  test('a job throttled three times its attempts succeeds once the budget allows, with one attempt used', async () => {
    const { pd, nextOutcome, runAgain, database } = await throttledSubscriptionJob();
    const first = await nextOutcome();
    expect(first).toMatchObject({ status: 'queued', attempts: 0, waiting_for: null });
    expect(first.last_error).toMatch(/^Waiting for a rate limit since .*, without using an attempt until .*: .*PagerDuty/);
    const since = first.throttled_since;
    expect(since).not.toBeNull();

    const throttles = 3 * DEFAULT_RETRY.maxAttempts;
    for (let run = 2; run <= throttles; run += 1) {
      await runAgain();
      const row = await nextOutcome();
      expect(row, `run ${run}`).toMatchObject({ status: 'queued', attempts: 0, throttled_since: since });
    }
    const refused = (await sandboxRequests(pd)).filter((request) => request.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(throttles - 1); // at most one turned away by the pacer alone

    // The budget allows again: a new minute at the stand-in, and its usual limit.
    await sandboxSettings(pd, { rateLimitPerMinute: 960 });
    await advanceSandboxClock(env!.sandbox, 61_000);
    await runAgain();
    const done = await nextOutcome();
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1, throttled_since: null, last_error: null });
    const created = (await sandboxRequests(pd, { method: 'POST', pathPrefix: '/webhook_subscriptions' })).filter((request) => request.status < 300);
    expect(created).toHaveLength(1);
    const endpoints = await database.db.selectFrom('webhook_endpoints').selectAll().where('scope_id', '=', 'PSVC001').execute();
    expect(endpoints).toMatchObject([{ status: 'active', provider: 'pagerduty' }]);
  });

  test('rate limited for longer than a day in a row, the job uses its attempts again and ends dead', async () => {
    const { nextOutcome, runAgain } = await throttledSubscriptionJob();
    const first = await nextOutcome();
    const since = first.throttled_since ?? Number.NaN;
    expect(first).toMatchObject({ status: 'queued', attempts: 0 });

    // Just inside the bound: still waiting, still no attempt used.
    await runAgain(since + RATE_LIMIT_WAIT_BOUND_MS - HOUR);
    expect(await nextOutcome()).toMatchObject({ status: 'queued', attempts: 0, throttled_since: since });

    // Past it: each run is a failed attempt (retried no sooner than the reset) until the last.
    await runAgain(since + RATE_LIMIT_WAIT_BOUND_MS);
    for (let attempts = 1; attempts < DEFAULT_RETRY.maxAttempts; attempts += 1) {
      const row = await nextOutcome();
      expect(row, `attempt ${attempts}`).toMatchObject({ status: 'queued', attempts, throttled_since: since });
      expect(row.last_error).toMatch(/^Rate limited since .*, longer than a job waits without using attempts: /);
      await runAgain();
    }
    const dead = await nextOutcome();
    expect(dead).toMatchObject({ status: 'dead', attempts: DEFAULT_RETRY.maxAttempts, throttled_since: since });
    expect(dead.last_error).toMatch(/^Rate limited since .*, longer than a job waits without using attempts: .*PagerDuty/);
  });
});

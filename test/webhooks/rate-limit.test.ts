import { afterEach, describe, expect, test } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { requestSubscription } from '../../src/webhooks/ensure-subscription-job.js';
import { client, setupFirstAdmin } from '../helpers/client.js';
import { connectProvider, injectApiFaults, sandboxRequests, startHubWithSandbox, type HubWithSandbox } from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()); ) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * A job that calls PagerDuty meets a 429 with `ratelimit-reset: 20`: it waits — no attempt
 * used — until the reset (not dropped, not hammered), then succeeds — once.
 */
describe.each(testDialects())('rate limits (%s)', (dialect) => {
  let env: HubWithSandbox | undefined;
  afterEach(async () => {
    await env?.close();
    env = undefined;
  });

  test('a 429 with ratelimit-reset delays the job past the reset, then it succeeds once', async () => {
    const clock = new ManualClock(Date.now());
    env = await startHubWithSandbox(dialect, { CONNECTION_CHECK_INTERVAL_SECONDS: '0' }, { clock });
    const c = client(env.hub);
    const { organisation } = await setupFirstAdmin(c);
    await connectProvider(c, 'pagerduty');
    const pd = env.sandbox.pagerdutyUrl;
    await injectApiFaults(pd, [{ kind: '429', count: 1, method: 'POST', pathPrefix: '/webhook_subscriptions', retryAfterSeconds: 20 }]);

    const { database, queue } = env.hub.hub.deps;
    const jobId = await database.db.transaction().execute((trx) =>
      requestSubscription(queue, trx, organisation.id, 'pagerduty', { id: 'PSVC001', name: 'Checkout API' }),
    );
    queue.wake();
    const job = () => database.db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirstOrThrow();
    await until(async () => (await job()).throttled_since !== null && (await job()).status === 'queued');
    const waiting = await job();
    expect(waiting.last_error).toMatch(/rate limit/i);
    expect(waiting.attempts).toBe(0);
    expect(waiting.run_at).toBeGreaterThanOrEqual(clock.now() + 20_000);

    // Nothing more is sent while the reset has not come.
    queue.wake();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const posts = () => sandboxRequests(pd, { method: 'POST', pathPrefix: '/webhook_subscriptions' });
    expect(await posts()).toHaveLength(1);

    clock.advance(20_001);
    queue.wake();
    await until(async () => (await job()).status === 'succeeded');
    expect((await job()).attempts).toBe(1);
    const created = (await posts()).filter((request) => request.status === 200 || request.status === 201);
    expect(created).toHaveLength(1);
    const subscriptions = await database.db.selectFrom('webhook_endpoints').selectAll().where('scope_id', '=', 'PSVC001').execute();
    expect(subscriptions).toMatchObject([{ status: 'active', provider: 'pagerduty' }]);
  });
});

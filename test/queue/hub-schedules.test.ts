import { afterEach, describe, expect, test } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { startHub } from '../../src/main.js';
import { scheduleKey } from '../../src/queue/schedules.js';
import { insertRule } from '../../src/rules/rules-repository.js';
import { testDialects } from '../helpers/databases.js';
import { client, setupFirstAdmin } from '../helpers/client.js';
import { connectProvider, startHubWithSandbox, type HubWithSandbox } from '../helpers/connections.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { newRule } from '../rules/fixture.js';

/**
 * The hub's own schedules (src/main.ts): the connection keeper's pass and the Scheduler's own
 * pass are queued once for the installation when a process starts — however many processes
 * start — due one interval later; with CONNECTION_CHECK_INTERVAL_SECONDS=0 the check is off.
 * An organisation with rules gets its rule reference check at the Scheduler's pass, and that
 * instance runs through the worker and queues the next. That the keeper's pass runs through the queue:
 * test/connections/keeper.test.ts.
 */
describe.each(testDialects())('hub schedules (%s)', (dialect) => {
  let hub: TestHub | undefined;
  afterEach(async () => {
    await hub?.close();
    hub = undefined;
  });

  const pending = async (kind: string) =>
    (await hub!.database.db.selectFrom('jobs').selectAll().where('kind', '=', kind).execute()).filter(
      (job) => job.status === 'queued' || job.status === 'running',
    );

  test('a second process on the same database adds no second instance', async () => {
    const clock = new ManualClock();
    hub = await startTestHub(dialect, { RECONCILE_INTERVAL_SECONDS: '120', WORKER_CONCURRENCY: '0' }, { clock });
    const second = await startHub({ ...hub.config, port: 0 }, { database: hub.database, logger: hub.hub.deps.logger, clock });
    try {
      const [check] = await pending('connections.check');
      expect(await pending('connections.check')).toHaveLength(1);
      expect(check).toMatchObject({ organisation_id: null, unique_key: scheduleKey('connections.check'), run_at: clock.now() + 300_000 });
      const [ensure] = await pending('queue.ensure_schedules');
      expect(await pending('queue.ensure_schedules')).toHaveLength(1);
      expect(ensure?.run_at).toBe(clock.now() + 120_000);
    } finally {
      await second.close();
    }
  });

  test('with CONNECTION_CHECK_INTERVAL_SECONDS=0 the connection check is not scheduled', async () => {
    hub = await startTestHub(dialect, { CONNECTION_CHECK_INTERVAL_SECONDS: '0' });
    expect(await pending('connections.check')).toHaveLength(0);
    expect(await pending('queue.ensure_schedules')).toHaveLength(1);
  });

  test('an organisation with rules gets its rule reference check, run at the interval and queued again', async () => {
    const clock = new ManualClock(Date.now());
    let env: HubWithSandbox | undefined;
    try {
      env = await startHubWithSandbox(dialect, { CONNECTION_CHECK_INTERVAL_SECONDS: '60' }, { clock });
      const db = env.hub.database.db;
      const checks = () => db.selectFrom('jobs').selectAll().where('kind', '=', 'rules.check_references').orderBy('seq').execute();
      const c = client(env.hub);
      const { organisation } = await setupFirstAdmin(c);
      await connectProvider(c, 'pagerduty');
      expect(await env.hub.hub.scheduler.ensureAll()).toBe(0);
      expect(await checks()).toHaveLength(0); // no rules, nothing to check
      await insertRule(db, newRule(organisation.id, 20, clock.now()));
      // Its reference check, and its reconciliation sweep (an organisation with rules is swept).
      expect(await env.hub.hub.scheduler.ensureAll()).toBe(2);
      const [first] = await checks();
      expect(first).toMatchObject({ organisation_id: organisation.id, status: 'queued', run_at: clock.now() + 60_000 });

      clock.advance(60_000);
      for (const deadline = Date.now() + 10_000; (await checks()).length < 2 && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
      const [ran, next] = await checks();
      expect(ran).toMatchObject({ id: first!.id, status: 'succeeded' });
      expect(next).toMatchObject({ organisation_id: organisation.id, status: 'queued', run_at: clock.now() + 60_000 });
    } finally {
      await env?.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPS } from '../../sandbox/linear/operations.js';
import { sandboxControl } from '../helpers/connections.js';
import { testDialects } from '../helpers/databases.js';
import { createTeamWebhook, linearGraphql, startConnectedHub, until, type ConnectedHub } from './fixture.js';

interface StandInWebhook {
  id: string;
  url: string;
  teamId: string | null;
}

/**
 * Repair runs by itself (issue 12 item 3): every organisation with a hub webhook has a pending
 * `webhooks.repair` instance; when it runs, a webhook deleted at Linear is made again and the next
 * instance is queued. The retention purge has its one installation-wide instance.
 */
describe.each(testDialects())('scheduled webhook repair and purge on %s', (dialect) => {
  let env: ConnectedHub;
  const db = () => env.hub.database.db;
  const standInWebhooks = async () => (await sandboxControl<{ webhooks: StandInWebhook[] }>(env.sandbox.linearUrl, 'GET', '/_sandbox/webhooks')).webhooks;
  const pending = (kind: string) =>
    db().selectFrom('jobs').select(['id', 'organisation_id', 'run_at']).where('kind', '=', kind).where('status', 'in', ['queued', 'running']).execute();

  beforeAll(async () => {
    env = await startConnectedHub(dialect, { RECONCILE_INTERVAL_SECONDS: '3600' });
  }, 60_000);
  afterAll(async () => env?.close());

  it('the purge has one pending instance for the installation', async () => {
    const purge = await pending('retention.purge_expired');
    expect(purge).toHaveLength(1);
    expect(purge[0]?.organisation_id).toBeNull();
  });

  it('an organisation with a hub webhook gets its repair; a run re-creates a webhook deleted at Linear and queues the next', async () => {
    await createTeamWebhook(env.org.admin);
    await env.hub.hub.scheduler.ensureAll();
    const [instance] = await pending('webhooks.repair');
    expect(instance?.organisation_id).toBe(env.org.organisationId);

    const [before] = await standInWebhooks();
    expect((await linearGraphql(env.sandbox.linearUrl, OPS.Unhook, { id: before!.id })).body.errors).toBeUndefined();
    expect(await standInWebhooks()).toEqual([]);

    // Due now (the interval is an hour): the worker runs it.
    await db().updateTable('jobs').set({ run_at: Date.now() }).where('id', '=', instance!.id).execute();
    env.hub.hub.deps.queue.wake();
    const [again] = await until('the webhook made again at Linear', async () => {
      const found = await standInWebhooks();
      return found.length === 1 ? found : undefined;
    }, 15_000);
    expect(again!.id).not.toBe(before!.id);
    // The webhook exists at Linear a moment before the run records its outcome.
    await until('the repair run to succeed', async () => (await db().selectFrom('jobs').select(['status']).where('id', '=', instance!.id).executeTakeFirstOrThrow()).status === 'succeeded', 10_000);
    const next = await pending('webhooks.repair');
    expect(next).toHaveLength(1);
    expect(next[0]!.run_at).toBeGreaterThan(Date.now() + 3000_000);
  });
});
